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
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

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
};

namespace detail {
inline bool isString(const nlohmann::json& object, const char* key) {
  return object.contains(key) && object[key].is_string();
}
}  // namespace detail

// Reads on_token_response's request {"status","body"} under `rules` into
// {"accessToken","refreshToken"?,"expiresIn"?,"scope"?}. Anything else (not
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
  return Outcome::ok(out.dump());
}

}  // namespace switchboard::oauth
