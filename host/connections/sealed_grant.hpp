// The secret half of a user's grant as it is sealed into
// oauth_tokens.token_sealed: access token, refresh token and token type, as
// JSON under SecretBox with the associated data oauthTokenContext(user,
// connection), so a blob moved to another user's or connection's row does
// not open.
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "core/result.hpp"
#include "crypto/secret_box.hpp"

namespace sb::connections {

struct GrantSecrets {
  std::string accessToken;
  std::string refreshToken;  // empty: the server issued none
  std::string tokenType = "Bearer";
};

std::string sealGrant(const GrantSecrets& secrets, const SecretBox& box, const std::string& userId,
                      const std::string& connectionName);
Result<GrantSecrets> openGrant(const std::string& sealed, const SecretBox& box, const std::string& userId,
                               const std::string& connectionName);

}  // namespace sb::connections
