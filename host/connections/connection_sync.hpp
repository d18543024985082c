// The start-up sync of `connections:` into the store: each configured
// connection becomes its row (upsert by name, ids kept), those no longer
// configured are disabled with their tokens kept. Only non-secret fields go
// to the store: the client secret stays in the Config in memory.
// Thread-safety: free functions; syncConnections may run on any thread.
#pragma once

#include <vector>

#include "config/config.hpp"
#include "core/result.hpp"
#include "store/connection_repository.hpp"

namespace sb::connections {

// The row a configured connection is stored as. `settingsJson` carries the
// OAuth endpoints, client id, scopes, token_auth, extra_params and the
// refresh margin, never the client secret. A connection whose `${VAR}` is
// unset is stored disabled with that reason.
ConnectionRecord toRecord(const ConnectionConfig& connection);

// Upserts every configured connection and disables the rest, in one
// transaction. The caller reports a failure and keeps running.
Result<ConnectionSyncReport> syncConnections(ConnectionRepository& repository,
                                             const std::vector<ConnectionConfig>& configured);

}  // namespace sb::connections
