// What a user's connection looks like to them: one of connected, expired,
// revoked, not_connected or disabled, from the configured connection and the
// user's grant (if any). The HTTP views and, later, status use this one rule.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/connection_repository.hpp"

namespace sb::connections {

enum class UserConnectionState { Connected, Expired, Revoked, NotConnected, Disabled };
const char* toString(UserConnectionState state);

// A removed connection (no longer configured) is not offered at all.
bool isOffered(const ConnectionRecord& connection);
// Disabled wins; then the grant: none, revoked, past its known expiry at
// `nowMs` (an unknown expiry, 0, is not expired), or connected.
UserConnectionState stateFor(const ConnectionRecord& connection, const std::optional<OAuthTokenRecord>& grant,
                             std::int64_t nowMs);
// Granted scopes as stored (space-separated, RFC 6749 §3.3) as a list.
std::vector<std::string> scopeList(const std::string& scopes);

}  // namespace sb::connections
