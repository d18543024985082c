// switchboard/oauth.hpp -- what a connection provider (sb_connection_provider)
// needs: its on_describe document, built from typed values, and the reading of
// a token endpoint's success reply (on_token_response) into the shape the host
// takes, with the two quirks providers really have (a 201 instead of 200, and
// comma- instead of space-separated scopes) as options.
// The host judges error replies (RFC 6749 §5.2: invalid_grant means revoked)
// before a plugin sees anything; on_token_response only gets 2xx replies.
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "switchboard/encoding.hpp"
#include "switchboard/sdk.hpp"

namespace switchboard::oauth {

// The defaults a provider plugin gives the connections that name it
// (`provider:` in the operator's YAML, which overrides them field by field).
struct ConnectionDefaults {
  std::string authorizationEndpoint;
  std::string tokenEndpoint;
  std::string revocationEndpoint;  // RFC 7009 only; empty when the provider has none
  std::vector<std::string> scopes;
  std::string clientAuth = "client_secret_basic";  // or "client_secret_post"
};

// The on_describe document for `defaults`.
inline Outcome describe(const ConnectionDefaults& defaults) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["authorizationEndpoint"] = defaults.authorizationEndpoint;
  out["tokenEndpoint"] = defaults.tokenEndpoint;
  if (!defaults.revocationEndpoint.empty()) out["revocationEndpoint"] = defaults.revocationEndpoint;
  out["scopes"] = defaults.scopes;
  out["clientAuth"] = defaults.clientAuth;
  return Outcome::ok(out.dump());
}

struct TokenReplyRules {
  // Statuses that carry a token (RFC 6749 §5.1 says 200; some answer 201).
  std::vector<int> successStatuses{200};
  // What separates granted scopes in `scope` (RFC 6749 §3.3: a space).
  char scopeSeparator = ' ';
  // An OpenID Connect provider: the "account" is read from the reply's
  // id_token, its preferred_username, else email, else name claim (OpenID
  // Connect Core 1.0 §5.1). The token came straight from the token endpoint
  // over TLS, which §3.1.3.7 lets stand in for checking its signature; the
  // claim is only a label. A claim the host would refuse as a label (over
  // 200 bytes, control characters) is passed over.
  bool accountFromIdToken = false;
};

// The largest "account" the host takes (longer is a malformed reply).
inline constexpr std::size_t kMaxAccountBytes = 200;

namespace detail {
inline bool isString(const nlohmann::json& object, const char* key) {
  return object.contains(key) && object[key].is_string();
}

// A JWT's payload (RFC 7519 §3: base64url without padding, RFC 4648 §5) as
// JSON; null when `jwt` is not three dot-separated parts with a JSON object
// in the middle.
inline nlohmann::json jwtPayload(const std::string& jwt) {
  const std::size_t first = jwt.find('.');
  const std::size_t second = first == std::string::npos ? first : jwt.find('.', first + 1);
  if (second == std::string::npos || jwt.find('.', second + 1) != std::string::npos) return nullptr;
  std::string part = jwt.substr(first + 1, second - first - 1);
  if (part.find_first_of("+/= \t\r\n") != std::string::npos) return nullptr;  // base64url, unpadded
  for (char& c : part) c = c == '-' ? '+' : c == '_' ? '/' : c;
  part.append((4 - part.size() % 4) % 4, '=');
  const std::optional<std::string> bytes = encoding::base64Decode(part);
  if (!bytes) return nullptr;
  nlohmann::json payload = nlohmann::json::parse(*bytes, nullptr, false);
  return payload.is_object() ? payload : nlohmann::json(nullptr);
}

// The first of the id_token's label claims the host would take; "" if none.
inline std::string accountOfIdToken(const std::string& idToken) {
  const nlohmann::json claims = jwtPayload(idToken);
  if (!claims.is_object()) return {};
  for (const char* claim : {"preferred_username", "email", "name"}) {
    if (!isString(claims, claim)) continue;
    const std::string label = claims[claim].get<std::string>();
    bool plain = !label.empty() && label.size() <= kMaxAccountBytes;
    for (unsigned char c : label) plain = plain && c >= 0x20 && c != 0x7f;
    if (plain) return label;
  }
  return {};
}
}  // namespace detail

// Reads on_token_response's request {"status","body"} under `rules` into
// {"accessToken","refreshToken"?,"expiresIn"?,"scope"?,"account"?}. Anything else (not
// JSON, no access_token string, a negative expires_in) is
// SB_ERR_INVALID_ARGUMENT with a reason that never quotes the body: it may
// hold a token.
inline Outcome readTokenReply(std::string_view requestJson, const TokenReplyRules& rules = {}) {
  const nlohmann::json request = nlohmann::json::parse(requestJson, nullptr, false);
  if (!request.is_object() || !request.contains("status") || !request["status"].is_number_integer() ||
      !detail::isString(request, "body")) {
    return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "request must be {\"status\": integer, \"body\": string}");
  }
  const std::int64_t status = request["status"].get<std::int64_t>();
  bool success = false;
  for (int allowed : rules.successStatuses) success = success || status == allowed;
  if (!success) {
    return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "token endpoint answered " + std::to_string(status));
  }
  const nlohmann::json reply = nlohmann::json::parse(request["body"].get<std::string>(), nullptr, false);
  if (!reply.is_object()) return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "token reply is not a JSON object");
  if (!detail::isString(reply, "access_token") || reply["access_token"].get<std::string>().empty()) {
    return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "token reply without an access_token string");
  }
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["accessToken"] = reply["access_token"];
  if (detail::isString(reply, "refresh_token")) out["refreshToken"] = reply["refresh_token"];
  if (reply.contains("expires_in") && !reply["expires_in"].is_null()) {
    if (!reply["expires_in"].is_number_integer() || reply["expires_in"].get<std::int64_t>() < 0) {
      return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "token reply with an expires_in that is not seconds");
    }
    out["expiresIn"] = reply["expires_in"];
  }
  if (detail::isString(reply, "scope")) {
    std::string scope = reply["scope"].get<std::string>();
    if (rules.scopeSeparator != ' ') {
      for (char& c : scope) c = c == rules.scopeSeparator ? ' ' : c;
    }
    out["scope"] = scope;
  }
  if (rules.accountFromIdToken && detail::isString(reply, "id_token")) {
    const std::string account = detail::accountOfIdToken(reply["id_token"].get<std::string>());
    if (!account.empty()) out["account"] = account;
  }
  return Outcome::ok(out.dump());
}

}  // namespace switchboard::oauth
