// Disconnecting (DELETE /api/v1/connections/{name}): the provider is asked to
// revoke the grant (RFC 7009, the refresh token, which revokes the grant's
// access tokens too per §2.1, else the access token) when a revocation_url is
// configured, and the stored tokens are deleted whatever it answered: a user
// who disconnects is disconnected here even while the provider is down. The
// outcome says which of the two happened.
// Thread-safety: free function; safe from any thread.
#pragma once

#include <string>

#include "connections/connection_directory.hpp"
#include "core/result.hpp"
#include "crypto/secret_box.hpp"
#include "store/connection_repository.hpp"

namespace sb::connections {

struct DisconnectOutcome {
  // "revoked": the provider confirmed; "failed": it could not be reached or
  // refused (detail says why); "not_supported": no revocation_url.
  std::string revocation;
  std::string detail;
};

// NotFound when the user has no grant for `connectionName`.
Result<DisconnectOutcome> disconnect(const std::string& userId, const std::string& connectionName,
                                     const ConnectionDirectory& directory, const SecretBox* box,
                                     ConnectionRepository& repository);

}  // namespace sb::connections
