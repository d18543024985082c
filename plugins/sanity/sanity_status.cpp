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

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "sanity_actions.hpp"
#include "sanity_link.hpp"
#include "status_support.hpp"

namespace switchboard::bundled::sanity {
namespace {

constexpr std::string_view kHooksApiVersion = "v2021-10-04";
constexpr std::string_view kRecentChangesQuery = "count(*[_updatedAt > $since])";
constexpr std::int64_t kDayMs = 24LL * 60 * 60 * 1000;

enum class Webhook { Live, Disabled, Missing, Hidden };

std::string recentChangesUrl(const StatusRequest& request, const Link& link, std::int64_t nowMs) {
  return queryUrl(request, link, kRecentChangesQuery, {{"since", jsonString(formatIso8601(nowMs - kDayMs))}});
}

std::string hooksUrl(const StatusRequest& request, const Link& link) {
  return request.apiRoot("https://api.sanity.io", "") + "/" + std::string(kHooksApiVersion) + "/hooks/projects/" +
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
  bool ok = false;
  Poco::Dynamic::Var parsed = parseJsonBody(kProvider, body, failure, ok);
  if (!ok) return std::nullopt;
  if (parsed.type() == typeid(Poco::JSON::Object::Ptr)) {
    auto object = parsed.extract<Poco::JSON::Object::Ptr>();
    if (!object.isNull() && object->has("result")) {
      const Poco::Dynamic::Var result = object->get("result");
      if (result.isInteger() && result.convert<std::int64_t>() >= 0) return result.convert<std::int64_t>();
    }
  }
  failure = Outcome::failure(SB_ERR_UNAVAILABLE, "Sanity query answer has no numeric \"result\"");
  return std::nullopt;
}

bool isTrue(const Poco::JSON::Object::Ptr& object, const std::string& name) {
  if (!object->has(name)) return false;
  const Poco::Dynamic::Var value = object->get(name);
  return value.isBoolean() && value.extract<bool>();
}

bool isDeleted(const Poco::JSON::Object::Ptr& object) {
  if (!object->has("deletedAt")) return false;
  const Poco::Dynamic::Var value = object->get("deletedAt");
  return !value.isEmpty() && !(value.isString() && value.extract<std::string>().empty());
}

// A hook serves the dataset when it names it or "*" (all datasets).
std::optional<Webhook> webhookState(std::string_view body, const Link& link, Outcome& failure) {
  bool ok = false;
  Poco::Dynamic::Var parsed = parseJsonBody(kProvider, body, failure, ok);
  if (!ok) return std::nullopt;
  if (parsed.type() != typeid(Poco::JSON::Array::Ptr) || parsed.extract<Poco::JSON::Array::Ptr>().isNull()) {
    failure = Outcome::failure(SB_ERR_UNAVAILABLE, "Sanity webhooks answer is not a list");
    return std::nullopt;
  }
  auto hooks = parsed.extract<Poco::JSON::Array::Ptr>();
  Webhook state = Webhook::Missing;
  for (std::size_t i = 0; i < hooks->size(); ++i) {
    Poco::JSON::Object::Ptr hook = hooks->getObject(static_cast<unsigned>(i));
    if (hook.isNull()) {
      failure = Outcome::failure(SB_ERR_UNAVAILABLE, "Sanity webhooks answer holds a non-object entry");
      return std::nullopt;
    }
    const std::string dataset = hook->has("dataset") ? hook->get("dataset").toString() : std::string();
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
  auto request = parseStatusRequest(requestJson, failure);
  if (!request) return failure;
  auto link = readLink(*request, failure);
  if (!link) return failure;

  // The count and the webhooks are independent: one round trip for both.
  auto [query, hooks] =
      bothAtOnce([&] { return host.send(authorisedGet(recentChangesUrl(*request, *link, host.nowMs()), *link), call); },
                 [&] { return host.send(authorisedGet(hooksUrl(*request, *link), *link), call); });
  if (!query.ok()) return transportFailure(kProvider, query);
  if (query.response.status() != 200) {
    if (auto report = refusal(query.response, *link, host.nowMs())) return Outcome::ok(report->toJson());
    return unexpectedStatus(kProvider, query.response.status());
  }
  auto changed = changedDocuments(query.response.body(), failure);
  if (!changed) return failure;

  if (!hooks.ok()) return transportFailure(kProvider, hooks);
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
      return unexpectedStatus(kProvider, hooks.response.status());
  }
  return Outcome::ok(healthyReport(*link, *changed, *webhook).toJson());
}

}  // namespace switchboard::bundled::sanity
