#include "connections/disconnect.hpp"

#include "connections/sealed_grant.hpp"
#include "connections/token_client.hpp"

namespace sb::connections {

Result<DisconnectOutcome> disconnect(const std::string& userId, const std::string& connectionName,
                                     const ConnectionDirectory& directory, const SecretBox* box,
                                     ConnectionRepository& repository) {
  auto grant = repository.getToken(userId, connectionName);
  if (!grant) return grant.status();
  if (!grant->has_value()) {
    return Status(ErrorCode::NotFound, "you have no connection '" + connectionName + "' to remove");
  }
  DisconnectOutcome out{"not_supported", "no revocation endpoint is configured for this connection"};
  Result<ResolvedConnection> resolved = directory.resolve(connectionName);
  if (!resolved && resolved.status().code() != ErrorCode::NotFound) {
    out = {"failed", "the connection's authorization server could not be found: " + resolved.status().message()};
  }
  const ConnectionConfig* connection = resolved ? &resolved->config : nullptr;
  if (connection != nullptr && !connection->oauth.revocationUrl.empty()) {
    Result<GrantSecrets> secrets = box == nullptr ? Result<GrantSecrets>(ErrorCode::Unavailable, "no secret key")
                                                  : openGrant((*grant)->tokenSealed, *box, userId, connectionName);
    if (!secrets) {
      out = {"failed", "the stored tokens could not be opened, so they were not sent for revocation"};
    } else {
      const bool refresh = !secrets->refreshToken.empty();
      Status revoked = revokeToken(*connection, refresh ? secrets->refreshToken : secrets->accessToken,
                                   refresh ? "refresh_token" : "access_token");
      out = revoked ? DisconnectOutcome{"revoked", "the provider revoked the grant"}
                    : DisconnectOutcome{"failed", revoked.message()};
    }
  }
  auto deleted = repository.deleteToken(userId, connectionName);
  if (!deleted) return deleted.status();
  return out;
}

}  // namespace sb::connections
