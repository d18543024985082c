#include "connections/authorization_start.hpp"

#include <exception>
#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include "connections/connection_state.hpp"
#include "connections/pkce.hpp"
#include "core/json_text.hpp"

namespace sb::connections {
namespace {

Poco::JSON::Object::Ptr settingsOf(const ConnectionRecord& connection) {
  try {
    auto parsed = Poco::JSON::Parser().parse(connection.settingsJson);
    if (parsed.type() == typeid(Poco::JSON::Object::Ptr)) return parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    // Written only by the config sync; damage reads as empty.
  }
  return new Poco::JSON::Object;
}

std::string text(const Poco::JSON::Object& object, const std::string& key) {
  return object.has(key) && object.get(key).isString() ? object.getValue<std::string>(key) : std::string();
}

// scheme://host:port of an absolute http(s) URL, "" for anything else.
std::string originOf(const std::string& url) {
  try {
    Poco::URI uri(url);
    if ((uri.getScheme() != "http" && uri.getScheme() != "https") || uri.getHost().empty()) return "";
    if (!uri.getUserInfo().empty()) return "";
    return uri.getScheme() + "://" + uri.getHost() + ":" + std::to_string(uri.getPort());
  } catch (const std::exception&) {
    return "";
  }
}

bool hasUnsafeCharacters(const std::string& url) {
  for (char c : url) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '\\') return true;
  }
  return false;
}

}  // namespace

Result<AuthorizationStart> startAuthorization(const ConnectionRecord& connection, const std::string& userId,
                                              const std::string& returnTo, const SecretBox& box,
                                              ConnectionRepository& repository, std::int64_t nowMs) {
  if (!isOffered(connection)) return Status(ErrorCode::NotFound, "connection '" + connection.name + "' not found");
  if (!connection.enabled) {
    return Status(ErrorCode::Conflict,
                  "connection '" + connection.name + "' is disabled: " + connection.disabledReason);
  }
  const Poco::JSON::Object::Ptr settings = settingsOf(connection);
  const std::string authorizeUrl = text(*settings, "authorize_url");
  const std::string redirectUri = text(*settings, "redirect_uri");
  if (authorizeUrl.empty()) {
    return Status(ErrorCode::Conflict, "connection '" + connection.name +
                                           "' has no authorization endpoint configured (oauth.authorize_url; "
                                           "MCP discovery is not available yet)");
  }
  if (!returnTo.empty()) {
    const std::string allowed = originOf(redirectUri);
    if (hasUnsafeCharacters(returnTo) || originOf(returnTo).empty() || originOf(returnTo) != allowed) {
      return Status(ErrorCode::InvalidArgument,
                    "returnTo must be an absolute http(s) URL on this server's origin (that of the redirect_uri)",
                    "returnTo");
    }
  }

  const std::string state = newState();
  const std::string verifier = newCodeVerifier();
  const std::string resource = connection.type == "mcp" ? connection.url : std::string();

  Poco::JSON::Object pending(Poco::JSON_PRESERVE_KEY_ORDER);
  pending.set("code_verifier", verifier);
  pending.set("redirect_uri", redirectUri);
  pending.set("return_to", returnTo);
  pending.set("resource", resource);
  PendingAuthorization stored;
  stored.stateHash = stateHash(state);
  stored.userId = userId;
  stored.connectionName = connection.name;
  stored.pendingSealed = box.seal(jsonText(pending), oauthPendingContext(userId, connection.name));
  stored.expiresAtMs = nowMs + kPendingAuthorizationMs;
  if (Status saved = repository.putPendingAuthorization(stored); !saved) return saved;

  Poco::URI url(authorizeUrl);
  url.addQueryParameter("response_type", "code");
  url.addQueryParameter("client_id", text(*settings, "client_id"));
  url.addQueryParameter("redirect_uri", redirectUri);
  std::string scope;
  if (settings->has("scopes") && settings->get("scopes").type() == typeid(Poco::JSON::Array::Ptr)) {
    auto scopes = settings->getArray("scopes");
    for (std::size_t i = 0; i < scopes->size(); ++i) {
      scope += (scope.empty() ? "" : " ") + scopes->getElement<std::string>(static_cast<unsigned int>(i));
    }
  }
  if (!scope.empty()) url.addQueryParameter("scope", scope);
  url.addQueryParameter("state", state);
  url.addQueryParameter("code_challenge", codeChallengeS256(verifier));
  url.addQueryParameter("code_challenge_method", "S256");
  if (!resource.empty()) url.addQueryParameter("resource", resource);
  if (settings->has("extra_params") && settings->get("extra_params").type() == typeid(Poco::JSON::Object::Ptr)) {
    auto extra = settings->getObject("extra_params");
    std::vector<std::string> names;
    extra->getNames(names);
    for (const std::string& name : names) url.addQueryParameter(name, text(*extra, name));
  }
  return AuthorizationStart{url.toString(), stored.expiresAtMs};
}

}  // namespace sb::connections
