// switchboard/provider.hpp -- what every status adapter needs besides the ABI:
// the on_status request as typed values (settings, secrets, baseUrl and the
// per-call access token of connections), reads of a provider's JSON reply that
// never throw, the status document, the failure mappings providers share
// (401 -> revoked, 429 + Retry-After, 5xx, oversized and malformed replies),
// several requests at once within one hook, and requests sent with the
// connection's bearer token, refreshed once after a 401 (sendWithBearer).
// Built on nlohmann-json (Debian nlohmann-json3-dev; find_package(SwitchboardSDK)
// finds it).
// Mappings where providers differ (GitHub's 403 rate limit) stay in the plugin.
// Thread-safety: plain values and pure functions; `inParallel` runs its tasks
// on threads of their own and returns when all have finished.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <future>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "switchboard/host.hpp"
#include "switchboard/json.hpp"
#include "switchboard/sdk.hpp"
#include "switchboard/time.hpp"

namespace switchboard::provider {

using Json = nlohmann::json;

// ---- typed reads that never throw ------------------------------------------
// A missing member, or one of another type, is "absent": nullopt / null.

// Parses `text`; nullopt when it is not JSON (never throws).
inline std::optional<Json> parseJson(std::string_view text) {
  Json value = Json::parse(text.begin(), text.end(), nullptr, false);
  if (value.is_discarded()) return std::nullopt;
  return value;
}

// The member `name` of `object`, or null when `object` is no object or lacks it.
inline const Json* memberAt(const Json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}
inline const Json* objectAt(const Json& object, std::string_view name) {
  const Json* value = memberAt(object, name);
  return value != nullptr && value->is_object() ? value : nullptr;
}
inline const Json* arrayAt(const Json& object, std::string_view name) {
  const Json* value = memberAt(object, name);
  return value != nullptr && value->is_array() ? value : nullptr;
}
inline std::optional<std::string> stringAt(const Json& object, std::string_view name) {
  const Json* value = memberAt(object, name);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return value->get<std::string>();
}
inline std::optional<bool> boolAt(const Json& object, std::string_view name) {
  const Json* value = memberAt(object, name);
  if (value == nullptr || !value->is_boolean()) return std::nullopt;
  return value->get<bool>();
}
// Integral numbers only (1.5 and "15" are absent); values past int64 too.
inline std::optional<std::int64_t> int64At(const Json& object, std::string_view name) {
  const Json* value = memberAt(object, name);
  if (value == nullptr) return std::nullopt;
  if (value->is_number_integer() && !value->is_number_unsigned()) return value->get<std::int64_t>();
  if (value->is_number_unsigned()) {
    const auto unsignedValue = value->get<std::uint64_t>();
    if (unsignedValue > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<std::int64_t>(unsignedValue);
  }
  return std::nullopt;
}
inline std::optional<double> numberAt(const Json& object, std::string_view name) {
  const Json* value = memberAt(object, name);
  if (value == nullptr || !value->is_number()) return std::nullopt;
  return value->get<double>();
}
// Present and JSON null (Vercel's preview deployments have "target": null).
inline bool isNullAt(const Json& object, std::string_view name) {
  const Json* value = memberAt(object, name);
  return value != nullptr && value->is_null();
}
// An ISO 8601 string member as epoch ms.
inline std::optional<std::int64_t> timeAt(const Json& object, std::string_view name) {
  auto text = stringAt(object, name);
  return text ? time::parseIso8601Ms(*text) : std::nullopt;
}

// ---- the on_status (and on_run) request --------------------------------------

// {"projectId","key","baseUrl","settings":{},"secrets":{},"accessToken"?}
// (docs/plugin-authoring.md, "Status adapter"). `accessToken` is the current
// token of the link's connection, when the host sends one (connections).
struct StatusRequest {
  std::string projectId;
  std::string key;
  std::string baseUrl;  // the operator's plugins.enabled[].base_url; empty = the plugin's default root
  Json settings = Json::object();
  Json secrets = Json::object();
  std::optional<std::string> accessToken;
  Json raw = Json::object();  // the whole request (on_run adds "params")

  // A string setting / secret; empty when absent or not a string.
  std::string setting(std::string_view name) const { return stringAt(settings, name).value_or(std::string()); }
  std::string secret(std::string_view name) const { return stringAt(secrets, name).value_or(std::string()); }
  // The credential to send: the connection's access token when the host gave
  // one, else the link's secret `secretName`.
  std::string credential(std::string_view secretName) const {
    return accessToken && !accessToken->empty() ? *accessToken : secret(secretName);
  }
  // The API root requests are made against: the link's own setting
  // `settingName` (GitHub Enterprise per project) when set, else the host's
  // baseUrl, else `defaultRoot`; without a trailing slash. The root is the
  // whole prefix, version included ("https://api.netlify.com/api/v1").
  std::string apiRoot(std::string_view defaultRoot, std::string_view settingName = {}) const {
    std::string root = settingName.empty() ? std::string() : setting(settingName);
    if (root.empty()) root = baseUrl;
    if (root.empty()) root = std::string(defaultRoot);
    while (!root.empty() && root.back() == '/') root.pop_back();
    return root;
  }
  // `pathOrUrl` against apiRoot(defaultRoot): an absolute http(s) URL is
  // returned as it is; a path is appended to the root ("/sites" ->
  // "<root>/sites").
  std::string url(std::string_view pathOrUrl, std::string_view defaultRoot, std::string_view settingName = {}) const {
    if (pathOrUrl.rfind("http://", 0) == 0 || pathOrUrl.rfind("https://", 0) == 0) return std::string(pathOrUrl);
    const std::string root = apiRoot(defaultRoot, settingName);
    if (pathOrUrl.empty()) return root;
    return root + (pathOrUrl.front() == '/' ? "" : "/") + std::string(pathOrUrl);
  }
};

// Parses the request; on failure an SB_ERR_INVALID_ARGUMENT outcome naming
// what is wrong. Non-object settings/secrets are refused, not guessed at.
inline std::optional<StatusRequest> parseStatusRequest(std::string_view text, Outcome& failure) {
  auto root = parseJson(text);
  if (!root || !root->is_object()) {
    const auto problem = json::validateObject(text);
    failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT,
                               "request: " + (problem ? problem->describe() : std::string("not a JSON object")));
    return std::nullopt;
  }
  StatusRequest request;
  request.projectId = stringAt(*root, "projectId").value_or(std::string());
  request.key = stringAt(*root, "key").value_or(std::string());
  request.baseUrl = stringAt(*root, "baseUrl").value_or(std::string());
  for (const char* name : {"settings", "secrets"}) {
    const Json* value = memberAt(*root, name);
    if (value != nullptr && !value->is_object() && !value->is_null()) {
      failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, std::string("request: ") + name + " must be an object");
      return std::nullopt;
    }
  }
  if (const Json* settings = objectAt(*root, "settings")) request.settings = *settings;
  if (const Json* secrets = objectAt(*root, "secrets")) request.secrets = *secrets;
  request.accessToken = stringAt(*root, "accessToken");
  request.raw = std::move(*root);
  return request;
}

// ---- the status document ------------------------------------------------------

// One listed action (docs/plugin-authoring.md, "Actions").
struct Action {
  std::string id;
  std::string label;
  std::string minRole;  // owner | admin | editor | viewer
  std::string kind;     // connect | deploy-production | deploy-preview | push | content-sync | check | open | ...
  bool enabled = true;
  std::string reason;   // why it is disabled (shown when enabled is false)

  nlohmann::ordered_json toJson() const {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    out["id"] = id;
    out["label"] = label;
    out["minRole"] = minRole;
    out["kind"] = kind;
    if (!enabled) {
      out["enabled"] = false;
      if (!reason.empty()) out["reason"] = reason;
    }
    return out;
  }
};

struct Environment {
  std::string name;
  std::string status;  // connected | warning | error | disconnected
  std::string summary;
  std::string url;                  // empty = none
  std::int64_t lastDeployAtMs = 0;  // 0 = none
};

// The document a status adapter returns with SB_OK.
struct StatusReport {
  std::string status = "connected";  // connected | warning | error | disconnected
  std::string summary;               // never a resource name: the host may show it to anyone
  std::string configuredReason;      // "" or "revoked"
  std::string problemCode;           // "" | oauth_revoked | rate_limited | timeout | unknown
  std::string problemHint;
  std::int64_t retryAfterSeconds = -1;  // < 0 = none
  std::string resourceLabel;            // e.g. "acme/web"; the host hides it from callers who may not see it
  std::string resourceUrl;
  bool resourcePrivate = true;
  std::string resourceGenericLabel;  // e.g. "Private repo"
  std::vector<Environment> environments;
  std::vector<Action> actions;

  std::string toJson() const {
    // nlohmann's default object sorts keys; the host does not care, readers do.
    nlohmann::ordered_json root = nlohmann::ordered_json::object();
    root["status"] = status;
    if (!summary.empty()) root["summary"] = summary;
    if (!configuredReason.empty()) root["configuredReason"] = configuredReason;
    if (!problemCode.empty()) {
      nlohmann::ordered_json problem = nlohmann::ordered_json::object();
      problem["code"] = problemCode;
      if (!problemHint.empty()) problem["hint"] = problemHint;
      if (retryAfterSeconds >= 0) problem["retryAfter"] = retryAfterSeconds;
      root["problem"] = problem;
    }
    if (!resourceLabel.empty()) {
      nlohmann::ordered_json resource = nlohmann::ordered_json::object();
      resource["label"] = resourceLabel;
      if (!resourceUrl.empty()) resource["url"] = resourceUrl;
      resource["private"] = resourcePrivate;
      if (!resourceGenericLabel.empty()) resource["genericLabel"] = resourceGenericLabel;
      root["resource"] = resource;
    }
    if (!environments.empty()) {
      nlohmann::ordered_json list = nlohmann::ordered_json::array();
      for (const Environment& env : environments) {
        nlohmann::ordered_json item = nlohmann::ordered_json::object();
        item["name"] = env.name;
        item["status"] = env.status;
        if (!env.summary.empty()) item["summary"] = env.summary;
        if (!env.url.empty()) item["url"] = env.url;
        if (env.lastDeployAtMs > 0) item["lastDeployAt"] = time::formatIso8601(env.lastDeployAtMs);
        list.push_back(item);
      }
      root["environments"] = list;
    }
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const Action& action : actions) list.push_back(action.toJson());
    root["actions"] = list;
    return root.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }

  // The provider rejected the credentials: error, configuredReason revoked,
  // problem oauth_revoked; every enabled action but those in `keepEnabled`
  // is disabled with `disabledReason`.
  void markRevoked(std::string summaryText, std::string hint, const std::string& disabledReason,
                   const std::vector<std::string>& keepEnabled = {"connect"}) {
    status = "error";
    summary = std::move(summaryText);
    configuredReason = "revoked";
    problemCode = "oauth_revoked";
    problemHint = std::move(hint);
    for (Action& action : actions) {
      bool keep = !action.enabled;  // disabled for a lasting reason: keeps it
      for (const auto& id : keepEnabled) keep = keep || id == action.id;
      if (keep) continue;
      action.enabled = false;
      action.reason = disabledReason;
    }
  }
  // The provider asked us to wait: warning, problem rate_limited, retryAfter
  // in seconds (< 0 = unknown).
  void markRateLimited(std::string summaryText, std::string hint, std::int64_t waitSeconds) {
    status = "warning";
    summary = std::move(summaryText);
    problemCode = "rate_limited";
    problemHint = std::move(hint);
    retryAfterSeconds = waitSeconds;
  }
};

// ---- the failure mappings providers share -------------------------------------

// What one provider reply means for a status adapter.
enum class ReplyKind {
  Ok,           // 2xx with a JSON body: `body` holds it
  Revoked,      // 401: the credentials are gone (markRevoked)
  RateLimited,  // 429: wait `retryAfterSeconds` (-1 = the provider did not say)
  NotFound,     // 404: the linked resource is gone, or private and unreadable
  Failed,       // 5xx, another status, a transport failure, an oversized or malformed body: `failure`
};

struct Reply {
  ReplyKind kind = ReplyKind::Failed;
  int httpStatus = 0;
  Json body;                          // Ok: the parsed reply
  std::int64_t retryAfterSeconds = -1;  // RateLimited
  Outcome failure;                    // Failed: a non-OK outcome naming the provider and the reason
};

// The default cap on a reply body a status adapter parses (the host's own cap
// applies first). Status needs little: a huge reply is a misbehaving provider.
inline constexpr std::size_t kDefaultMaxReplyBytes = 4u << 20;

// Classifies one exchange. `provider` is the display name ("Netlify").
//   transport failure -> Failed, SB_ERR_TIMEOUT kept, else SB_ERR_UNAVAILABLE
//   401 -> Revoked; 429 -> RateLimited with Retry-After (delta-seconds or an
//   HTTP-date) when sent; 404 -> NotFound; other non-2xx -> Failed
//   ("Netlify answered HTTP 502"); a 2xx body over `maxBytes` or not JSON ->
//   Failed ("Netlify sent malformed JSON: invalid JSON at byte 1: ...").
// Provider-specific rules (GitHub: 403 with x-ratelimit-remaining: 0 is a rate
// limit) are checked by the plugin before calling this.
inline Reply classify(std::string_view provider, const HttpResult& result, std::int64_t nowMs,
                      std::size_t maxBytes = kDefaultMaxReplyBytes) {
  Reply reply;
  const std::string name(provider);
  if (!result.ok()) {
    const sb_status status = result.status == SB_ERR_TIMEOUT ? SB_ERR_TIMEOUT : SB_ERR_UNAVAILABLE;
    reply.failure = Outcome::failure(status, name + " could not be reached: " + result.error);
    return reply;
  }
  reply.httpStatus = result.response.status();
  if (reply.httpStatus == 401) {
    reply.kind = ReplyKind::Revoked;
    return reply;
  }
  if (reply.httpStatus == 429) {
    reply.kind = ReplyKind::RateLimited;
    reply.retryAfterSeconds = time::parseRetryAfterSeconds(result.response.header("retry-after"), nowMs).value_or(-1);
    return reply;
  }
  if (reply.httpStatus == 404) {
    reply.kind = ReplyKind::NotFound;
    return reply;
  }
  if (reply.httpStatus < 200 || reply.httpStatus > 299) {
    reply.failure = Outcome::failure(SB_ERR_UNAVAILABLE, name + " answered HTTP " + std::to_string(reply.httpStatus));
    return reply;
  }
  const std::string_view body = result.response.body();
  if (body.size() > maxBytes) {
    reply.failure = Outcome::failure(SB_ERR_UNAVAILABLE, name + " sent " + std::to_string(body.size()) +
                                                             " bytes, more than the " + std::to_string(maxBytes) +
                                                             " a status reply may have");
    return reply;
  }
  auto parsed = parseJson(body);
  if (!parsed) {
    const auto problem = json::validate(body);
    reply.failure = Outcome::failure(SB_ERR_UNAVAILABLE, name + " sent malformed JSON: " +
                                                             (problem ? problem->describe() : std::string("not JSON")));
    return reply;
  }
  reply.kind = ReplyKind::Ok;
  reply.body = std::move(*parsed);
  return reply;
}

// A reply whose JSON has the wrong shape (a member missing or of another type).
inline Outcome unexpectedShape(std::string_view provider, std::string_view what) {
  return Outcome::failure(SB_ERR_UNAVAILABLE, std::string(provider) + " sent an unexpected reply: " + std::string(what));
}

// ---- several requests at once ---------------------------------------------------

// Runs every task at once, each but the first on a thread of its own, and
// returns their results in order once all have finished: independent provider
// requests then cost one round trip. Tasks that cannot get a thread run here,
// afterwards. An exception from a task is rethrown after all have finished.
template <class Result>
std::vector<Result> inParallel(std::vector<std::function<Result()>> tasks) {
  std::vector<std::future<Result>> running(tasks.size());
  std::vector<bool> started(tasks.size(), false);
  for (std::size_t i = 1; i < tasks.size(); ++i) {
    try {
      running[i] = std::async(std::launch::async, tasks[i]);
      started[i] = true;
    } catch (const std::system_error&) {
    }
  }
  std::vector<std::optional<Result>> results(tasks.size());
  std::exception_ptr thrown;
  auto run = [&](std::size_t i) {
    try {
      results[i] = started[i] ? running[i].get() : tasks[i]();
    } catch (...) {
      if (!thrown) thrown = std::current_exception();
    }
  };
  if (!tasks.empty()) run(0);
  for (std::size_t i = 1; i < tasks.size(); ++i) run(i);
  if (thrown) std::rethrow_exception(thrown);
  std::vector<Result> out;
  out.reserve(results.size());
  for (auto& result : results) out.push_back(std::move(*result));
  return out;
}

// Two requests at once, as a pair.
template <class First, class Second>
auto bothAtOnce(First&& first, Second&& second) {
  using SecondResult = decltype(second());
  std::future<SecondResult> background;
  try {
    background = std::async(std::launch::async, [&second] { return second(); });  // both finish before we return
  } catch (const std::system_error&) {
    auto firstResult = first();
    return std::make_pair(std::move(firstResult), second());
  }
  auto firstResult = first();  // on throw, background's destructor waits for it
  return std::make_pair(std::move(firstResult), background.get());
}

// Percent-encodes a URL query value or path segment (RFC 3986 unreserved kept).
inline std::string urlEncode(std::string_view text) {
  constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// ---- replies handled by the plugin itself -----------------------------------------
// For adapters and actions that map statuses classify() does not (Vercel's
// 403 forbidden, a 400 from a create): the same messages, piece by piece.

// A transport failure from Host::send: SB_ERR_TIMEOUT kept, the rest
// SB_ERR_UNAVAILABLE ("Vercel could not be reached: ...").
inline Outcome transportFailure(std::string_view provider, const HttpResult& result) {
  const sb_status status = result.status == SB_ERR_TIMEOUT ? SB_ERR_TIMEOUT : SB_ERR_UNAVAILABLE;
  return Outcome::failure(status, std::string(provider) + " could not be reached: " + result.error);
}

// A status the plugin does not expect: SB_ERR_UNAVAILABLE, "Vercel answered HTTP 502".
inline Outcome unexpectedStatus(std::string_view provider, int status) {
  return Outcome::failure(SB_ERR_UNAVAILABLE, std::string(provider) + " answered HTTP " + std::to_string(status));
}

// A reply body as JSON; nullopt with SB_ERR_UNAVAILABLE in `failure` ("Vercel
// sent malformed JSON: invalid JSON at byte 1: ...") when it is not JSON.
inline std::optional<Json> parseReplyBody(std::string_view provider, std::string_view body, Outcome& failure) {
  if (auto parsed = parseJson(body)) return parsed;
  const auto problem = json::validate(body);
  failure = Outcome::failure(SB_ERR_UNAVAILABLE, std::string(provider) + " sent malformed JSON: " +
                                                     (problem ? problem->describe() : std::string("not JSON")));
  return std::nullopt;
}

// ---- bearer tokens and the connection's refresh ---------------------------------------

// The token a request of this call sends: the connection's access token
// (Call::accessToken, ABI 1.3) when the link uses a connection, else
// `linkToken` (the link's own secret, or StatusRequest::credential, which
// also covers a host before 1.3 that sends the token in the request only).
inline std::string bearerToken(const Call& call, std::string_view linkToken) {
  std::string token = call.accessToken();
  return token.empty() ? std::string(linkToken) : token;
}

// Sends `request` with "Authorization: Bearer <bearerToken>". When the
// provider answers 401 to the connection's token, asks the host for one
// refresh and, when it succeeds, sends the request once more with the new
// token; otherwise (no connection, refresh refused: the grant is revoked) the
// 401 is the result, for the plugin to report as revoked.
inline HttpResult sendWithBearer(const Host& host, const Call& call, HttpRequest request, std::string_view linkToken) {
  const std::string connectionToken = call.accessToken();
  request.headers.emplace_back("Authorization",
                               "Bearer " + (connectionToken.empty() ? std::string(linkToken) : connectionToken));
  HttpResult result = host.send(request, call);
  if (connectionToken.empty() || !result.ok() || result.response.status() != 401) return result;
  if (call.refreshAccessToken() != SB_OK) return result;
  request.headers.back().second = "Bearer " + call.accessToken();
  return host.send(request, call);
}

}  // namespace switchboard::provider
