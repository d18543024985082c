#include "connections/client_registration.hpp"

#include <cctype>
#include <exception>
#include <initializer_list>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/URI.h>

#include "connections/authorization_server_request.hpp"
#include "core/json_text.hpp"

namespace sb::connections {
namespace {

std::string text(const Poco::JSON::Object::Ptr& object, const std::string& key) {
  return object && object->has(key) && object->get(key).isString() ? object->getValue<std::string>(key) : "";
}

Poco::JSON::Array::Ptr list(std::initializer_list<std::string> values) {
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
  for (const std::string& value : values) out->add(value);
  return out;
}

std::string clientName(const ConnectionConfig& connection) {
  return "Switchboard (" + (connection.displayName.empty() ? connection.name : connection.displayName) + ")";
}

}  // namespace

std::string clientMetadataDocumentPath(const std::string& connectionName) {
  return "/oauth/client-metadata/" + connectionName + ".json";
}

std::string clientMetadataDocumentUrl(const ConnectionConfig& connection) {
  try {
    Poco::URI redirect(connection.oauth.redirectUri);
    if (redirect.getScheme() != "https" || redirect.getHost().empty()) return "";
    return "https://" + redirect.getAuthority() + clientMetadataDocumentPath(connection.name);
  } catch (const std::exception&) {
    return "";
  }
}

std::string clientMetadataDocument(const ConnectionConfig& connection) {
  Poco::JSON::Object document(Poco::JSON_PRESERVE_KEY_ORDER);
  document.set("client_id", clientMetadataDocumentUrl(connection));
  document.set("client_name", clientName(connection));
  document.set("redirect_uris", list({connection.oauth.redirectUri}));
  document.set("grant_types", list({"authorization_code", "refresh_token"}));
  document.set("response_types", list({"code"}));
  document.set("token_endpoint_auth_method", "none");
  return jsonText(document);
}

std::string registrationRequestBody(const ConnectionConfig& connection) {
  Poco::JSON::Object request(Poco::JSON_PRESERVE_KEY_ORDER);
  request.set("client_name", clientName(connection));
  request.set("redirect_uris", list({connection.oauth.redirectUri}));
  request.set("grant_types", list({"authorization_code", "refresh_token"}));
  request.set("response_types", list({"code"}));
  request.set("token_endpoint_auth_method", "client_secret_basic");
  return jsonText(request);
}

Result<ClientRegistration> parseRegistrationReply(int status, const std::string& body,
                                                  const std::string& redirectUri) {
  const Poco::JSON::Object::Ptr object = jsonObjectOf(body);
  const std::string where = "the registration endpoint answered " + std::to_string(status);
  if (status != 201 && status != 200) {
    std::string code = text(object, "error");
    for (char c : code) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') code = "(malformed error code)";
    }
    return Status(ErrorCode::BadGateway, where + (code.empty() ? "" : ": " + code.substr(0, 64)));
  }
  if (text(object, "client_id").empty()) return Status(ErrorCode::BadGateway, where + " without a client_id");
  ClientRegistration out;
  out.clientId = text(object, "client_id");
  out.clientSecret = text(object, "client_secret");
  out.redirectUri = redirectUri;
  if (object->has("client_secret_expires_at") && object->get("client_secret_expires_at").isInteger()) {
    out.clientSecretExpiresAt = object->getValue<std::int64_t>("client_secret_expires_at");
  }
  if (text(object, "token_endpoint_auth_method") == "client_secret_post") out.tokenAuth = "client_secret_post";
  return out;
}

bool registrationUsable(const ClientRegistration& registration, const std::string& redirectUri, std::int64_t nowMs) {
  if (registration.clientId.empty() || registration.redirectUri != redirectUri) return false;
  return registration.clientSecretExpiresAt == 0 || registration.clientSecretExpiresAt * 1000 > nowMs;
}

std::string sealRegistration(const ClientRegistration& registration, const SecretBox& box, const std::string& issuer) {
  Poco::JSON::Object plain(Poco::JSON_PRESERVE_KEY_ORDER);
  plain.set("client_id", registration.clientId);
  plain.set("client_secret", registration.clientSecret);
  plain.set("client_secret_expires_at", registration.clientSecretExpiresAt);
  plain.set("token_auth", registration.tokenAuth);
  plain.set("redirect_uri", registration.redirectUri);
  return box.seal(jsonText(plain), oauthRegistrationContext(issuer));
}

Result<ClientRegistration> openRegistration(const std::string& sealed, const SecretBox& box,
                                            const std::string& issuer) {
  Result<std::string> plain = box.open(sealed, oauthRegistrationContext(issuer));
  if (!plain) return plain.status();
  const Poco::JSON::Object::Ptr object = jsonObjectOf(*plain);
  if (!object) return Status(ErrorCode::Internal, "a stored client registration is damaged");
  ClientRegistration out;
  out.clientId = text(object, "client_id");
  out.clientSecret = text(object, "client_secret");
  out.tokenAuth = text(object, "token_auth");
  out.redirectUri = text(object, "redirect_uri");
  out.clientSecretExpiresAt = object->optValue<std::int64_t>("client_secret_expires_at", 0);
  return out;
}

Result<ClientRegistration> registerClient(const ConnectionConfig& connection, const std::string& endpoint) {
  AuthorizationServerReply reply =
      postToAuthorizationServer(connection, endpoint,
                                {{"Content-Type", "application/json"}, {"Accept", "application/json"}},
                                registrationRequestBody(connection));
  if (!reply.delivered) {
    return Status(reply.egressRefused() ? ErrorCode::Conflict : ErrorCode::BadGateway,
                  "client registration (RFC 7591): " + reply.error);
  }
  return parseRegistrationReply(reply.status, reply.body, connection.oauth.redirectUri);
}

}  // namespace sb::connections
