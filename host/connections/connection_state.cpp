#include "connections/connection_state.hpp"

#include <sstream>

namespace sb::connections {

const char* toString(UserConnectionState state) {
  switch (state) {
    case UserConnectionState::Connected: return "connected";
    case UserConnectionState::Expired: return "expired";
    case UserConnectionState::Revoked: return "revoked";
    case UserConnectionState::NotConnected: return "not_connected";
    case UserConnectionState::Disabled: return "disabled";
  }
  return "disabled";
}

bool isOffered(const ConnectionRecord& connection) {
  return connection.enabled || connection.disabledReason != kConnectionRemovedReason;
}

UserConnectionState stateFor(const ConnectionRecord& connection, const std::optional<OAuthTokenRecord>& grant,
                             std::int64_t nowMs) {
  if (!connection.enabled) return UserConnectionState::Disabled;
  if (!grant) return UserConnectionState::NotConnected;
  if (grant->state == GrantState::Revoked) return UserConnectionState::Revoked;
  if (grant->expiresAtMs > 0 && grant->expiresAtMs <= nowMs) return UserConnectionState::Expired;
  return UserConnectionState::Connected;
}

std::vector<std::string> scopeList(const std::string& scopes) {
  std::vector<std::string> out;
  std::istringstream words(scopes);
  for (std::string word; words >> word;) out.push_back(word);
  return out;
}

}  // namespace sb::connections
