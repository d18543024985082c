#include "connections/sealed_grant.hpp"

#include <sstream>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace sb::connections {

std::string sealGrant(const GrantSecrets& secrets, const SecretBox& box, const std::string& userId,
                      const std::string& connectionName) {
  Poco::JSON::Object object(Poco::JSON_PRESERVE_KEY_ORDER);
  object.set("access_token", secrets.accessToken);
  object.set("refresh_token", secrets.refreshToken);
  object.set("token_type", secrets.tokenType);
  std::ostringstream out;
  object.stringify(out);
  return box.seal(out.str(), oauthTokenContext(userId, connectionName));
}

Result<GrantSecrets> openGrant(const std::string& sealed, const SecretBox& box, const std::string& userId,
                               const std::string& connectionName) {
  Result<std::string> plain = box.open(sealed, oauthTokenContext(userId, connectionName));
  if (!plain) return plain.status();
  try {
    auto object = Poco::JSON::Parser().parse(*plain).extract<Poco::JSON::Object::Ptr>();
    GrantSecrets out;
    out.accessToken = object->optValue<std::string>("access_token", "");
    out.refreshToken = object->optValue<std::string>("refresh_token", "");
    out.tokenType = object->optValue<std::string>("token_type", "Bearer");
    return out;
  } catch (const std::exception&) {
    return Status(ErrorCode::Internal, "sealed grant of '" + connectionName + "' does not parse");
  }
}

}  // namespace sb::connections
