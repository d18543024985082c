#include "connections/authorization_start.hpp"

#include <exception>

#include <Poco/JSON/Object.h>
#include <Poco/URI.h>

#include "connections/connection_state.hpp"
#include "connections/pkce.hpp"
#include "core/json_text.hpp"

namespace sb::connections {
namespace {

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

Result<AuthorizationStart> startAuthorization(const ConnectionRecord& connection, const ConnectionDirectory& directory,
                                              const std::string& userId, const std::string& returnTo,
                                              const SecretBox& box, ConnectionRepository& repository,
                                              std::int64_t nowMs) {
  if (!isOffered(connection)) return Status(ErrorCode::NotFound, "connection '" + connection.name + "' not found");
  if (!connection.enabled) {
    return Status(ErrorCode::Conflict,
                  "connection '" + connection.name + "' is disabled: " + connection.disabledReason);
  }
  Result<ResolvedConnection> resolved = directory.resolve(connection.name);
  if (!resolved) {
    if (resolved.status().code() != ErrorCode::NotFound) return resolved.status();
    return Status(ErrorCode::Conflict, "connection '" + connection.name + "' is no longer configured");
  }
  const ConnectionOAuthConfig& oauth = resolved->config.oauth;
  if (oauth.authorizeUrl.empty()) {
    return Status(ErrorCode::Conflict, "connection '" + connection.name +
                                           "' has no authorization endpoint (configure oauth.authorize_url)");
  }
  if (oauth.clientId.empty()) {
    return Status(ErrorCode::Conflict, "connection '" + connection.name + "' has no client id (configure oauth.client_id)",
                  "oauth.client_id");
  }
  if (!returnTo.empty()) {
    const std::string allowed = originOf(oauth.redirectUri);
    if (hasUnsafeCharacters(returnTo) || originOf(returnTo).empty() || originOf(returnTo) != allowed) {
      return Status(ErrorCode::InvalidArgument,
                    "returnTo must be an absolute http(s) URL on this server's origin (that of the redirect_uri)",
                    "returnTo");
    }
  }

  const std::string state = newState();
  const std::string verifier = newCodeVerifier();
  const std::string& resource = resolved->resource;

  Poco::JSON::Object pending(Poco::JSON_PRESERVE_KEY_ORDER);
  pending.set("code_verifier", verifier);
  pending.set("redirect_uri", oauth.redirectUri);
  pending.set("return_to", returnTo);
  pending.set("resource", resource);
  pending.set("issuer", resolved->issuer);
  pending.set("iss_required", resolved->issInResponse);
  pending.set("client_id", oauth.clientId);
  PendingAuthorization stored;
  stored.stateHash = stateHash(state);
  stored.userId = userId;
  stored.connectionName = connection.name;
  stored.pendingSealed = box.seal(jsonText(pending), oauthPendingContext(userId, connection.name));
  stored.expiresAtMs = nowMs + kPendingAuthorizationMs;
  if (Status saved = repository.putPendingAuthorization(stored); !saved) return saved;

  Poco::URI url(oauth.authorizeUrl);
  url.addQueryParameter("response_type", "code");
  url.addQueryParameter("client_id", oauth.clientId);
  url.addQueryParameter("redirect_uri", oauth.redirectUri);
  std::string scope;
  for (const std::string& name : oauth.scopes) scope += (scope.empty() ? "" : " ") + name;
  if (!scope.empty()) url.addQueryParameter("scope", scope);
  url.addQueryParameter("state", state);
  url.addQueryParameter("code_challenge", codeChallengeS256(verifier));
  url.addQueryParameter("code_challenge_method", "S256");
  if (!resource.empty()) url.addQueryParameter("resource", resource);
  for (const auto& [name, value] : oauth.extraParams) url.addQueryParameter(name, value);
  return AuthorizationStart{url.toString(), stored.expiresAtMs};
}

}  // namespace sb::connections
