// Shared by the bundled provider plugins (not part of the public SDK): parsing
// the on_status request, building the status document the host expects
// (docs/plugin-authoring.md, "Status adapter"), and the failure mappings every
// adapter shares (transport failures, 5xx, malformed JSON, oversized bodies).
// Uses Poco JSON inside the plugin only; nothing Poco crosses the ABI.
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <future>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <switchboard/sdk.hpp>

namespace switchboard::bundled {

// The on_status request: {"projectId","key","baseUrl","settings":{},"secrets":{}}.
struct StatusRequest {
  std::string projectId;
  std::string key;
  std::string baseUrl;  // plugins.enabled[].base_url from the host config; empty = provider default
  Poco::JSON::Object::Ptr settings;
  Poco::JSON::Object::Ptr secrets;

  // A string setting/secret; empty when absent or not a string.
  std::string setting(const std::string& name) const;
  std::string secret(const std::string& name) const;
  // `base` unless the link's own field `settingName` or the host's baseUrl
  // overrides it (the link's field wins: GitHub Enterprise per project).
  std::string apiRoot(const std::string& defaultRoot, const std::string& settingName = "apiBaseUrl") const;
};

// Parses the request; on failure an SB_ERR_INVALID_ARGUMENT outcome.
std::optional<StatusRequest> parseStatusRequest(std::string_view json, Outcome& failure);
// The same fields from an already parsed request object (on_run requests
// carry the on_status context plus params).
StatusRequest statusRequestFrom(const Poco::JSON::Object::Ptr& root);

// One listed action, in the status document's actions[] and in on_list /
// on_list_for (docs/plugin-authoring.md, "Actions").
struct Action {
  std::string id;
  std::string label;
  std::string minRole;       // owner | admin | editor | viewer
  std::string kind;          // connect | deploy-production | deploy-preview | push | content-sync | check | open | ...
  bool enabled = true;
  std::string reason;        // why it is disabled (shown when enabled is false)
};

// [{"id","label","minRole","kind","enabled"?,"reason"?}]
Poco::JSON::Array::Ptr actionsArray(const std::vector<Action>& actions);
std::string actionsJson(const std::vector<Action>& actions);

struct Environment {
  std::string name;
  std::string status;        // connected | warning | error | disconnected
  std::string summary;
  std::string url;           // empty = none
  std::int64_t lastDeployAtMs = 0;  // 0 = none
};

// The status document a plugin returns with SB_OK.
struct StatusReport {
  std::string status = "connected";
  std::string summary;             // never a resource name: the host may show it to anyone
  std::string configuredReason;    // "" or "revoked"
  std::string problemCode;         // "" | oauth_revoked | rate_limited | timeout | unknown
  std::string problemHint;
  std::int64_t retryAfterSeconds = -1;  // < 0 = none
  // The linked resource; the host hides label/url from callers who may not see it.
  std::string resourceLabel;       // e.g. "acme/web"
  std::string resourceUrl;
  bool resourcePrivate = true;
  std::string resourceGenericLabel;  // e.g. "Private repo"
  std::vector<Environment> environments;
  std::vector<Action> actions;

  std::string toJson() const;

  // The provider rejected the credentials: error, configuredReason revoked,
  // problem oauth_revoked, and every enabled action except those in
  // `keepEnabled` disabled with `disabledReason`.
  void markRevoked(std::string summaryText, std::string hint, const std::string& disabledReason,
                   const std::vector<std::string>& keepEnabled = {"connect"});
  // The provider asked us to wait: warning, problem rate_limited, retryAfter
  // in seconds (< 0 = unknown).
  void markRateLimited(std::string summaryText, std::string hint, std::int64_t waitSeconds);
};

// ---- shared failure mappings (non-OK statuses; the host turns them into
// problem.code timeout/unknown and serves the last good status) -----------

// A transport failure from Host::send: keeps SB_ERR_TIMEOUT, maps the rest to
// SB_ERR_UNAVAILABLE; `provider` is the display name ("GitHub").
Outcome transportFailure(const std::string& provider, const HttpResult& result);
// "GitHub answered 502" for a 5xx (or any status the adapter does not expect).
Outcome unexpectedStatus(const std::string& provider, int status);
// Parses a JSON body; on failure sets `failure` to SB_ERR_UNAVAILABLE naming
// the provider and the parser's reason.
Poco::Dynamic::Var parseJsonBody(const std::string& provider, std::string_view body, Outcome& failure,
                                 bool& ok);

// ---- small helpers ----------------------------------------------------------

// Runs `second` on a thread of its own while `first` runs on this one, and
// returns both results once both have finished: two independent provider
// requests then cost one round trip, not two. Falls back to running `second`
// afterwards on this thread when no thread can be started. An exception from
// either is rethrown here, after both have finished.
template <class First, class Second>
auto bothAtOnce(First&& first, Second&& second) {
  using SecondResult = decltype(second());
  std::future<SecondResult> background;
  try {
    // By reference: both finish before this returns.
    background = std::async(std::launch::async, [&second] { return second(); });
  } catch (const std::system_error&) {
    auto firstResult = first();
    return std::make_pair(std::move(firstResult), second());
  }
  auto firstResult = first();  // on throw, background's destructor waits for it
  return std::make_pair(std::move(firstResult), background.get());
}

// "2026-11-23T10:00:00Z" / with fractions / offsets -> epoch ms; nullopt if malformed.
std::optional<std::int64_t> parseIso8601Ms(const std::string& text);
std::string formatIso8601(std::int64_t epochMs);  // UTC, "...Z", second precision
// Unix seconds as sent in rate-limit reset headers ("1732356000"); nullopt
// when absent or not 1-12 decimal digits.
std::optional<std::int64_t> parseEpochSeconds(std::string_view text);
// Retry-After as delta-seconds or an HTTP-date; nullopt when absent/malformed.
std::optional<std::int64_t> parseRetryAfterSeconds(std::string_view value, std::int64_t nowMs);
// Percent-encodes for a URL query value or path segment (RFC 3986 unreserved kept).
std::string urlEncode(std::string_view text);

}  // namespace switchboard::bundled
