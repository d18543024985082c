// Sanity status adapter; see sanity_status.hpp.
//
// Provider documentation this follows:
//   Query API   https://www.sanity.io/docs/http-query
//     GET https://<projectId>.api.sanity.io/<vYYYY-MM-DD>/data/query/<dataset>
//         ?query=<GROQ>&$<param>=<JSON value>   -> {"ms":..,"query":..,"result":<value>}
//   Webhooks API https://www.sanity.io/docs/webhooks-api
//     GET https://api.sanity.io/v2021-10-04/hooks/projects/<projectId>
//         -> [{"id","name","dataset","isDisabled","isDisabledByUser","deletedAt",...}]
//   Limits      https://www.sanity.io/docs/technical-limits
//     429 with `retry-after` (seconds) and `ratelimit-reset` (seconds).
#include "sanity_status.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>

#include <switchboard/provider.hpp>
#include <switchboard/time.hpp>

#include "sanity_actions.hpp"
#include "sanity_link.hpp"

namespace switchboard::bundled::sanity {
namespace {

using provider::Json;
using provider::StatusReport;

constexpr std::string_view kHooksApiVersion = "v2021-10-04";
constexpr std::string_view kRecentChangesQuery = "count(*[_updatedAt > $since])";
constexpr std::int64_t kDayMs = 24LL * 60 * 60 * 1000;

enum class Webhook { Live, Disabled, Missing, Hidden };

std::string recentChangesUrl(const StatusRequest& request, const Link& link, std::int64_t nowMs) {
  return queryUrl(request, link, kRecentChangesQuery, {{"since", jsonString(time::formatIso8601(nowMs - kDayMs))}});
}

std::string hooksUrl(const StatusRequest& request, const Link& link) {
  return request.apiRoot("https://api.sanity.io") + "/" + std::string(kHooksApiVersion) + "/hooks/projects/" +
         link.projectId;
}

StatusReport baseReport(const Link& link) {
  StatusReport report;
  report.resourceLabel = link.projectId + "/" + link.dataset;
  report.resourceUrl = "https://www.sanity.io/manage/project/" + link.projectId;
  report.resourcePrivate = true;
  report.resourceGenericLabel = "Private dataset";
  report.actions = sanityActions();
  return report;
}

// The answers that are still a status document: rejected token, rate limit,
// unknown project or dataset. nullopt for anything else.
std::optional<StatusReport> refusal(const HttpResponse& response, const Link& link, std::int64_t nowMs) {
  StatusReport report = baseReport(link);
  switch (response.status()) {
    case 401:
      report.markRevoked("Token rejected", "Sanity rejected the API token. Reconnect with a valid token.", "Reconnect Sanity first: the token was rejected", {"open-studio", "connect"});
      return report;
    case 429:
      report.markRateLimited("Rate limited", "Sanity asked us to wait", retryAfter(response, nowMs).value_or(-1));
      return report;
    case 404:
      report.status = "error";
      report.summary = "Project or dataset not found";
      report.problemCode = "unknown";
      report.problemHint = "Sanity does not know this project or dataset: check the project id and dataset name.";
      return report;
    default:
      return std::nullopt;
  }
}

// {"result": <non-negative integer>, ...}; nullopt (with `failure`) on any other shape.
std::optional<std::int64_t> changedDocuments(std::string_view body, Outcome& failure) {
  std::optional<Json> parsed = provider::parseReplyBody(kProvider, body, failure);
  if (!parsed) return std::nullopt;
  if (std::optional<std::int64_t> result = provider::int64At(*parsed, "result"); result && *result >= 0) return result;
  failure = Outcome::failure(SB_ERR_UNAVAILABLE, "Sanity query answer has no numeric \"result\"");
  return std::nullopt;
}

bool isTrue(const Json& object, std::string_view name) { return provider::boolAt(object, name).value_or(false); }

// Deleted unless deletedAt is absent, null or "".
bool isDeleted(const Json& object) {
  const Json* value = provider::memberAt(object, "deletedAt");
  return value != nullptr && !value->is_null() && !(value->is_string() && value->get<std::string>().empty());
}

// The dataset a hook serves; a non-string value in its text form, as it never
// names a dataset.
std::string datasetOf(const Json& hook) {
  const Json* value = provider::memberAt(hook, "dataset");
  if (value == nullptr || value->is_null()) return {};
  return value->is_string() ? value->get<std::string>() : value->dump();
}

// A hook serves the dataset when it names it or "*" (all datasets).
std::optional<Webhook> webhookState(std::string_view body, const Link& link, Outcome& failure) {
  std::optional<Json> hooks = provider::parseReplyBody(kProvider, body, failure);
  if (!hooks) return std::nullopt;
  if (!hooks->is_array()) {
    failure = Outcome::failure(SB_ERR_UNAVAILABLE, "Sanity webhooks answer is not a list");
    return std::nullopt;
  }
  Webhook state = Webhook::Missing;
  for (const Json& hook : *hooks) {
    if (!hook.is_object()) {
      failure = Outcome::failure(SB_ERR_UNAVAILABLE, "Sanity webhooks answer holds a non-object entry");
      return std::nullopt;
    }
    const std::string dataset = datasetOf(hook);
    if ((dataset != link.dataset && dataset != "*") || isDeleted(hook)) continue;
    if (!isTrue(hook, "isDisabled") && !isTrue(hook, "isDisabledByUser")) return Webhook::Live;
    state = Webhook::Disabled;
  }
  return state;
}

std::string changesPhrase(std::int64_t count) {
  if (count == 0) return "No docs updated today";
  return std::to_string(count) + (count == 1 ? " doc" : " docs") + " updated today";
}

StatusReport healthyReport(const Link& link, std::int64_t changed, Webhook webhook) {
  StatusReport report = baseReport(link);
  const std::string changes = changesPhrase(changed);
  switch (webhook) {
    case Webhook::Live:
      report.status = "connected";
      report.summary = changes + " · Live sync";
      break;
    case Webhook::Disabled:
      report.status = "warning";
      report.summary = changes + " · Webhook disabled";
      break;
    case Webhook::Missing:
      report.status = "warning";
      report.summary = changes + " · No webhook";
      break;
    case Webhook::Hidden:
      report.status = "warning";
      report.summary = changes + " · Webhook status unknown";
      report.problemCode = "unknown";
      report.problemHint = "The token may not read webhooks; give it access to the project's API settings.";
      break;
  }
  return report;
}

}  // namespace

Outcome reportStatus(const Host& host, const Call& call, std::string_view requestJson) {
  Outcome failure;
  auto request = provider::parseStatusRequest(requestJson, failure);
  if (!request) return failure;
  auto link = readLink(*request, call, failure);
  if (!link) return failure;

  // The count and the webhooks are independent: one round trip for both.
  auto [query, hooks] = provider::bothAtOnce(
      [&] { return authorisedGet(host, call, recentChangesUrl(*request, *link, host.nowMs()), *link); },
      [&] { return authorisedGet(host, call, hooksUrl(*request, *link), *link); });
  if (!query.ok()) return provider::transportFailure(kProvider, query);
  if (query.response.status() != 200) {
    if (auto report = refusal(query.response, *link, host.nowMs())) return Outcome::ok(report->toJson());
    return provider::unexpectedStatus(kProvider, query.response.status());
  }
  auto changed = changedDocuments(query.response.body(), failure);
  if (!changed) return failure;

  if (!hooks.ok()) return provider::transportFailure(kProvider, hooks);
  std::optional<Webhook> webhook;
  switch (hooks.response.status()) {
    case 200:
      webhook = webhookState(hooks.response.body(), *link, failure);
      if (!webhook) return failure;
      break;
    case 403:  // a Viewer token may read content but not the project's webhooks
      webhook = Webhook::Hidden;
      break;
    default:
      if (auto report = refusal(hooks.response, *link, host.nowMs())) return Outcome::ok(report->toJson());
      return provider::unexpectedStatus(kProvider, hooks.response.status());
  }
  return Outcome::ok(healthyReport(*link, *changed, *webhook).toJson());
}

}  // namespace switchboard::bundled::sanity
