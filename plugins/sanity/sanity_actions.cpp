// See sanity_actions.hpp. Provider documentation this follows:
//   Query API    https://www.sanity.io/docs/http-query (GET .../data/query/<dataset>?query=&$since=)
//   GROQ         https://www.sanity.io/docs/groq (count(), _updatedAt)
//   Webhooks API https://www.sanity.io/docs/webhooks-api (no trigger endpoint)
//   Manage pages https://www.sanity.io/manage/project/<id> and .../api (tokens)
#include "sanity_actions.hpp"

#include <string>

#include <switchboard/actions.hpp>
#include <switchboard/time.hpp>

#include "sanity_link.hpp"

namespace switchboard::bundled::sanity {
namespace {

using namespace switchboard::actions;

// One request reads both numbers.
constexpr std::string_view kSyncQuery = "{\"documents\": count(*), \"updated\": count(*[_updatedAt > $since])}";
constexpr std::int64_t kDayMs = 24LL * 60 * 60 * 1000;

// "YYYY-MM-DDTHH:MM:SS" and then whatever parseIso8601Ms accepts (fractions, Z, offsets).
bool isIsoTime(const std::string& text) {
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd";
  if (text.size() < kShape.size() + 1) return false;
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    const bool digit = text[i] >= '0' && text[i] <= '9';
    if (kShape[i] == 'd' ? !digit : text[i] != kShape[i]) return false;
  }
  return time::parseIso8601Ms(text).has_value();
}

std::optional<std::int64_t> countAt(const provider::Json& object, std::string_view name) {
  std::optional<std::int64_t> value = provider::int64At(object, name);
  return value && *value >= 0 ? value : std::nullopt;
}

Outcome sync(const Host& host, const Call& call, std::string_view requestJson) {
  Outcome failure;
  std::optional<ActionRequest> request = parseActionRequest(requestJson, {"since"}, failure);
  if (!request) return failure;
  std::optional<std::string> since = stringParam(*request, "since", failure);
  if (!since && !failure.isOk()) return failure;
  std::optional<Link> link = readLink(request->link, call, failure);
  if (!link) return failure;
  if (!since) since = time::formatIso8601(host.nowMs() - kDayMs);
  if (!isIsoTime(*since)) {
    return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "params.since must be an ISO 8601 time");
  }
  ProgressStep step{"query-content", "Reading the dataset again", StepState::Running, 0, 1, {}};
  call.step(step);
  HttpResult read =
      authorisedGet(host, call, queryUrl(request->link, *link, kSyncQuery, {{"since", jsonString(*since)}}), *link);
  if (!read.ok()) return failStep(call, step, provider::transportFailure(kProvider, read));
  const int status = read.response.status();
  if (status != 200) {
    const std::int64_t wait = status == 429 ? retryAfter(read.response, host.nowMs()).value_or(-1) : -1;
    return failStep(call, step, providerRefusal(kProvider, status, wait));
  }
  std::optional<provider::Json> body = provider::parseReplyBody(kProvider, read.response.body(), failure);
  if (!body) return failStep(call, step, failure);
  const provider::Json* result = provider::objectAt(*body, "result");
  const std::optional<std::int64_t> documents = result != nullptr ? countAt(*result, "documents") : std::nullopt;
  const std::optional<std::int64_t> updated = result != nullptr ? countAt(*result, "updated") : std::nullopt;
  if (!documents || !updated) {
    return failStep(call, step,
                    Outcome::failure(SB_ERR_UNAVAILABLE, "Sanity query answer has no numeric documents/updated"));
  }
  step.state = StepState::Succeeded;
  step.done = 1;
  step.detail = std::to_string(*updated) + " of " + std::to_string(*documents) + " documents updated";
  call.step(step);
  return Outcome::ok("{\"dataset\":" + json::quote(link->dataset) + ",\"documents\":" + std::to_string(*documents) +
                     ",\"updated\":" + std::to_string(*updated) + ",\"since\":" + json::quote(*since) +
                     ",\"queryMs\":" + std::to_string(provider::int64At(*body, "ms").value_or(0)) + "}");
}

// The link's own studioUrl, when it is an https URL; else the project's page.
Outcome openStudio(const Call& call, std::string_view requestJson) {
  Outcome failure;
  std::optional<ActionRequest> request = parseActionRequest(requestJson, {}, failure);
  if (!request) return failure;
  std::optional<Link> link = readLink(request->link, call, failure);
  if (!link) return failure;
  const std::string studio = request->link.setting("studioUrl");
  if (studio.empty()) {
    return navigate(call, "Opening the Sanity project", "https://www.sanity.io/manage/project/" + link->projectId);
  }
  if (studio.rfind("https://", 0) != 0 || studio.find('@') != std::string::npos) {
    return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "settings.studioUrl must be an https URL without user info");
  }
  return navigate(call, "Opening Sanity Studio", studio);
}

Outcome connect(const Call& call, std::string_view requestJson) {
  Outcome failure;
  std::optional<ActionRequest> request = parseActionRequest(requestJson, {}, failure);
  if (!request) return failure;
  std::optional<Link> link = readLink(request->link, call, failure);
  if (!link) return failure;
  return navigate(call, "Opening the project's API tokens",
                  "https://www.sanity.io/manage/project/" + link->projectId + "/api");
}

}  // namespace

std::vector<Action> sanityActions() {
  return {{"sync", "Sync content", "editor", "content-sync", true, ""},
          {"open-studio", "Open Studio", "viewer", "open", true, ""},
          {"connect", "Reconnect", "admin", "connect", true, ""}};
}

Outcome listSanityActionsFor(std::string_view contextJson) {
  return listForContext(sanityActions(), contextJson, "token", "Add a Sanity token first", {"open-studio", "connect"});
}

Outcome runSanityAction(const Host& host, const Call& call, std::string_view actionId, std::string_view requestJson) {
  if (actionId == "sync") return sync(host, call, requestJson);
  if (actionId == "open-studio") return openStudio(call, requestJson);
  if (actionId == "connect") return connect(call, requestJson);
  return unknownAction(actionId);
}

}  // namespace switchboard::bundled::sanity
