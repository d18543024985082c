#include "connections/token_client.hpp"

#include <cctype>
#include <sstream>

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Object.h>
#include <Poco/String.h>

#include <switchboard/abi.h>

#include "connections/authorization_server_request.hpp"
#include "core/json_text.hpp"

namespace sb::connections {
namespace {

// application/x-www-form-urlencoded: everything but RFC 3986 unreserved
// characters is %XX-encoded (a space too), which every server decodes.
std::string formEncode(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0xf];
    }
  }
  return out;
}

std::string base64(const std::string& text) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);  // one header line, not 72-column MIME lines
  encoder << text;
  encoder.close();
  return out.str();
}

std::string headerValue(const std::vector<std::pair<std::string, std::string>>& headers, const std::string& name) {
  for (const auto& [key, value] : headers) {
    if (Poco::icompare(key, name) == 0) return value;
  }
  return "";
}

std::int64_t retryAfterMs(const std::vector<std::pair<std::string, std::string>>& headers) {
  const std::string value = Poco::trim(headerValue(headers, "Retry-After"));
  if (value.empty() || value.size() > 9) return 0;
  for (char c : value) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return 0;  // an HTTP-date: unknown
  }
  return std::stoll(value) * 1000;
}

TokenOutcome failure(TokenFailureKind kind, std::string message, std::int64_t retryMs = 0) {
  TokenOutcome out;
  out.failure = kind;
  out.message = std::move(message);
  out.retryAfterMs = retryMs;
  return out;
}

bool isJson(const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string type = Poco::toLower(headerValue(headers, "Content-Type"));
  type = Poco::trim(type.substr(0, type.find(';')));
  return type == "application/json" || (type.size() > 5 && type.compare(type.size() - 5, 5, "+json") == 0);
}

// §5.2's `error`, when the body is one; its code is a fixed ASCII word, so
// it is safe to repeat (error_description is not: it is the server's prose).
std::string errorCodeOf(const Poco::JSON::Object::Ptr& object) {
  if (object.isNull() || !object->has("error") || !object->get("error").isString()) return "";
  std::string code = object->getValue<std::string>("error");
  for (char c : code) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return "(malformed error code)";
  }
  return code.substr(0, 64);
}

bool optionalString(const Poco::JSON::Object& object, const std::string& key, std::string& out) {
  if (!object.has(key) || object.get(key).isEmpty()) return true;
  if (!object.get(key).isString()) return false;
  out = object.getValue<std::string>(key);
  return true;
}

struct FormPost {
  std::string url;
  std::vector<std::pair<std::string, std::string>> fields;
};

// Adds the client's credentials the configured way (§2.3.1).
std::vector<std::pair<std::string, std::string>> authenticate(const ConnectionConfig& connection,
                                                               FormPost& post) {
  std::vector<std::pair<std::string, std::string>> headers;
  const ConnectionOAuthConfig& oauth = connection.oauth;
  if (oauth.tokenAuth == "client_secret_post") {
    post.fields.emplace_back("client_id", oauth.clientId);
    if (!oauth.clientSecret.empty()) post.fields.emplace_back("client_secret", oauth.clientSecret);
  } else if (!oauth.clientSecret.empty()) {
    headers.emplace_back("Authorization",
                         "Basic " + base64(formEncode(oauth.clientId) + ":" + formEncode(oauth.clientSecret)));
  } else {
    post.fields.emplace_back("client_id", oauth.clientId);  // a public client (§2.3, §3.2.1)
  }
  return headers;
}

AuthorizationServerReply send(const ConnectionConfig& connection, FormPost post) {
  std::vector<std::pair<std::string, std::string>> headers = authenticate(connection, post);
  headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  headers.emplace_back("Accept", "application/json");  // GitHub answers form-encoded without it
  std::string body;
  for (const auto& [name, value] : post.fields) body += (body.empty() ? "" : "&") + formEncode(name) + "=" + formEncode(value);
  return postToAuthorizationServer(connection, post.url, headers, body);
}

// A lifetime in seconds a token reply may state: 0..10 years.
bool plausibleLifetime(const Poco::Dynamic::Var& value) {
  return value.isInteger() && value.convert<std::int64_t>() >= 0 &&
         value.convert<std::int64_t>() <= std::int64_t{10} * 365 * 24 * 3600;
}

// An account label a person reads in a list: short, one line, no controls.
bool plausibleAccountLabel(const std::string& label) {
  if (label.size() > kMaxAccountLabelBytes) return false;
  for (unsigned char c : label) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

// A 2xx reply read by the connection's provider plugin (on_token_response),
// whose {"accessToken","refreshToken"?,"expiresIn"?,"scope"?,"account"?} is checked like
// a §5.1 reply. The plugin's reason is not repeated: a careless plugin could
// quote the body, and the body holds the token.
TokenOutcome adaptedTokenReply(const ConnectionConfig& connection, const AuthorizationServerReply& reply) {
  const std::string where = "token endpoint answered " + std::to_string(reply.status);
  Poco::JSON::Object request(Poco::JSON_PRESERVE_KEY_ORDER);
  request.set("status", reply.status);
  request.set("body", reply.body);
  std::ostringstream text;
  request.stringify(text);
  Result<std::string> adapted = connection.tokenReplyAdapter(text.str());
  if (!adapted) {
    return failure(TokenFailureKind::Refused, where + " with a reply its provider plugin '" + connection.provider +
                                                  "' could not read (" + toString(adapted.status().code()) + ")");
  }
  const Poco::JSON::Object::Ptr object = jsonObjectOf(adapted.value());
  const std::string malformed = where + " and provider plugin '" + connection.provider + "' read it malformed";
  if (object.isNull() || !object->has("accessToken") || !object->get("accessToken").isString() ||
      object->getValue<std::string>("accessToken").empty()) {
    return failure(TokenFailureKind::Refused, malformed + " (no accessToken string)");
  }
  TokenGrant grant;
  grant.accessToken = object->getValue<std::string>("accessToken");
  grant.tokenType = "Bearer";
  if (!optionalString(*object, "refreshToken", grant.refreshToken) || !optionalString(*object, "scope", grant.scope)) {
    return failure(TokenFailureKind::Refused, malformed + " (refreshToken or scope not a string)");
  }
  if (!optionalString(*object, "account", grant.account) || !plausibleAccountLabel(grant.account)) {
    return failure(TokenFailureKind::Refused, malformed + " (account not a string of at most " +
                                                  std::to_string(kMaxAccountLabelBytes) +
                                                  " bytes without control characters)");
  }
  if (object->has("expiresIn") && !object->get("expiresIn").isEmpty()) {
    if (!plausibleLifetime(object->get("expiresIn"))) {
      return failure(TokenFailureKind::Refused, malformed + " (expiresIn not a number of seconds)");
    }
    grant.expiresInSeconds = object->get("expiresIn").convert<std::int64_t>();
  }
  TokenOutcome out;
  out.grant = std::move(grant);
  return out;
}

namespace {

TokenOutcome tokenRequest(const ConnectionConfig& connection, FormPost post) {
  if (post.url.empty()) {
    return failure(TokenFailureKind::Refused, "connection '" + connection.name + "' has no token endpoint");
  }
  AuthorizationServerReply reply = send(connection, std::move(post));
  if (!reply.delivered) {
    // An egress refusal will not pass by waiting; a timeout or a failed connection may.
    return failure(reply.egressRefused() ? TokenFailureKind::Refused : TokenFailureKind::Transient,
                   "token request: " + reply.error);
  }
  // A 2xx that is not an error body goes to the provider plugin when the
  // connection has one; errors (GitHub's come with 200) are the host's to judge.
  if (connection.tokenReplyAdapter && reply.status >= 200 && reply.status < 300 &&
      reply.body.size() <= kMaxTokenReplyBytes) {
    if (errorCodeOf(jsonObjectOf(reply.body)).empty()) return adaptedTokenReply(connection, reply);
    return judgeTokenReply(200, reply.headers, reply.body);
  }
  return judgeTokenReply(reply.status, reply.headers, reply.body);
}

}  // namespace

const char* toString(TokenFailureKind kind) {
  switch (kind) {
    case TokenFailureKind::Revoked: return "revoked";
    case TokenFailureKind::Transient: return "transient";
    case TokenFailureKind::Refused: return "refused";
  }
  return "refused";
}

TokenOutcome judgeTokenReply(int status, const std::vector<std::pair<std::string, std::string>>& headers,
                             const std::string& body) {
  const std::string where = "token endpoint answered " + std::to_string(status);
  if (status >= 500 || status == 429) {
    return failure(TokenFailureKind::Transient, where, retryAfterMs(headers));
  }
  if (body.size() > kMaxTokenReplyBytes) {
    return failure(TokenFailureKind::Refused, where + " with a reply over " + std::to_string(kMaxTokenReplyBytes) +
                                                  " bytes");
  }
  const Poco::JSON::Object::Ptr object = isJson(headers) ? jsonObjectOf(body) : nullptr;
  if (status != 200) {
    const std::string code = errorCodeOf(object);
    if (code == "invalid_grant") return failure(TokenFailureKind::Revoked, where + ": invalid_grant");
    TokenOutcome refused = failure(TokenFailureKind::Refused, where + (code.empty() ? "" : ": " + code));
    refused.errorCode = code;
    return refused;
  }
  if (object.isNull()) {
    return failure(TokenFailureKind::Refused,
                   where + " but not with a JSON object (Content-Type '" +
                       headerValue(headers, "Content-Type").substr(0, 80) + "')");
  }
  if (!errorCodeOf(object).empty()) {
    // GitHub's classic endpoint answers errors with 200 (its docs:
    // "Troubleshooting OAuth app access token request errors").
    const std::string code = errorCodeOf(object);
    if (code == "invalid_grant" || code == "bad_verification_code" || code == "bad_refresh_token") {
      return failure(TokenFailureKind::Revoked, where + ": " + code);
    }
    return failure(TokenFailureKind::Refused, where + ": " + code);
  }
  TokenGrant grant;
  if (!object->has("access_token") || !object->get("access_token").isString() ||
      object->getValue<std::string>("access_token").empty()) {
    return failure(TokenFailureKind::Refused, where + " without an access_token string");
  }
  grant.accessToken = object->getValue<std::string>("access_token");
  if (!object->has("token_type") || !object->get("token_type").isString()) {
    return failure(TokenFailureKind::Refused, where + " without a token_type string");
  }
  grant.tokenType = object->getValue<std::string>("token_type");
  if (Poco::icompare(grant.tokenType, "bearer") != 0) {
    return failure(TokenFailureKind::Refused, where + " with token_type '" + grant.tokenType.substr(0, 32) +
                                                  "', not Bearer");
  }
  if (!optionalString(*object, "refresh_token", grant.refreshToken) ||
      !optionalString(*object, "scope", grant.scope)) {
    return failure(TokenFailureKind::Refused, where + " with a refresh_token or scope that is not a string");
  }
  if (object->has("expires_in") && !object->get("expires_in").isEmpty()) {
    const Poco::Dynamic::Var& value = object->get("expires_in");
    if (!plausibleLifetime(value)) {
      return failure(TokenFailureKind::Refused, where + " with an expires_in that is not a number of seconds");
    }
    grant.expiresInSeconds = value.convert<std::int64_t>();
  }
  TokenOutcome out;
  out.grant = std::move(grant);
  return out;
}

TokenOutcome exchangeAuthorizationCode(const ConnectionConfig& connection, const std::string& code,
                                       const std::string& codeVerifier, const std::string& redirectUri,
                                       const std::string& resource) {
  FormPost post{connection.oauth.tokenUrl,
                {{"grant_type", "authorization_code"},
                 {"code", code},
                 {"redirect_uri", redirectUri},
                 {"code_verifier", codeVerifier}}};
  if (!resource.empty()) post.fields.emplace_back("resource", resource);
  return tokenRequest(connection, std::move(post));
}

TokenOutcome refreshAccessToken(const ConnectionConfig& connection, const std::string& refreshToken,
                                const std::string& resource) {
  FormPost post{connection.oauth.tokenUrl, {{"grant_type", "refresh_token"}, {"refresh_token", refreshToken}}};
  if (!resource.empty()) post.fields.emplace_back("resource", resource);
  return tokenRequest(connection, std::move(post));
}

Status revokeToken(const ConnectionConfig& connection, const std::string& token, const std::string& tokenTypeHint) {
  if (connection.oauth.revocationUrl.empty()) {
    return Status(ErrorCode::Conflict, "connection '" + connection.name + "' has no revocation_url");
  }
  FormPost post{connection.oauth.revocationUrl, {{"token", token}}};
  if (!tokenTypeHint.empty()) post.fields.emplace_back("token_type_hint", tokenTypeHint);
  AuthorizationServerReply reply = send(connection, std::move(post));
  if (!reply.delivered) return Status(ErrorCode::Unavailable, "revocation request: " + reply.error);
  if (reply.status != 200) {
    return Status(ErrorCode::Unavailable, "revocation endpoint answered " + std::to_string(reply.status));
  }
  return Status();
}

}  // namespace sb::connections
