// Vercel "List deployments": GET /v6/deployments
//   https://vercel.com/docs/rest-api/reference/endpoints/deployments/list-deployments
// Query: projectId, teamId, target, limit, since/until (ms); the reply is
// {"deployments":[{uid,name,url,createdAt,state|readyState,target}],
//  "pagination":{"count","next","prev"}}, and pagination.next goes back as
// `until` for the next (older) page. Errors: https://vercel.com/docs/rest-api/errors
#include "deployment_list.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include <switchboard/provider.hpp>
#include <switchboard/time.hpp>

namespace switchboard::vercel {

using provider::Json;

namespace {

constexpr const char* kProvider = "Vercel";

std::string pageUrl(const ListQuery& query, std::int64_t untilMs) {
  std::string url = query.apiRoot + "/" + query.apiVersion + "/deployments?projectId=" +
                    provider::urlEncode(query.projectId) + "&limit=" + std::to_string(query.pageSize);
  if (!query.teamId.empty()) url += "&teamId=" + provider::urlEncode(query.teamId);
  if (!query.target.empty()) url += "&target=" + provider::urlEncode(query.target);
  if (query.sinceMs > 0) url += "&since=" + std::to_string(query.sinceMs);
  if (untilMs > 0) url += "&until=" + std::to_string(untilMs);
  return url;
}

}  // namespace

Refusal refusalOf(const HttpResponse& response) {
  Refusal refusal;
  refusal.status = response.status();
  refusal.retryAfter = std::string(response.header("retry-after"));
  refusal.rateLimitReset = std::string(response.header("x-ratelimit-reset"));
  // The body is only a hint: a refusal without Vercel's error object is still a refusal.
  const std::optional<Json> body = provider::parseJson(response.body());
  const Json* error = body ? provider::objectAt(*body, "error") : nullptr;
  if (error == nullptr) return refusal;
  refusal.errorCode = provider::stringAt(*error, "code").value_or("");
  refusal.invalidToken =
      provider::boolAt(*error, "invalidToken").value_or(false) || provider::boolAt(*error, "missingToken").value_or(false);
  if (const Json* limit = provider::objectAt(*error, "limit")) refusal.bodyResetSeconds = provider::int64At(*limit, "reset");
  return refusal;
}

bool isRevoked(const Refusal& refusal) {
  return refusal.status == 401 ||
         (refusal.status == 403 && (refusal.errorCode == "forbidden" || refusal.invalidToken));
}

std::int64_t rateLimitWaitSeconds(const Refusal& refusal, std::int64_t nowMs) {
  constexpr std::int64_t kDefaultWaitSeconds = 60;
  if (auto seconds = time::parseRetryAfterSeconds(refusal.retryAfter, nowMs))
    return std::max<std::int64_t>(0, *seconds);
  std::optional<std::int64_t> reset = time::parseEpochSeconds(refusal.rateLimitReset);
  if (!reset) reset = refusal.bodyResetSeconds;
  if (reset) return std::max<std::int64_t>(0, *reset - nowMs / 1000);
  return kDefaultWaitSeconds;
}

namespace {

Outcome shapeError(const std::string& what) { return provider::unexpectedShape(kProvider, what); }

std::optional<Deployment> deploymentOf(const Json& item) {
  if (!item.is_object()) return std::nullopt;
  Deployment deployment;
  const std::optional<std::int64_t> createdAt = provider::int64At(item, "createdAt");
  std::optional<std::string> state = provider::stringAt(item, "readyState");
  if (!state) state = provider::stringAt(item, "state");
  if (!createdAt || !state) return std::nullopt;
  deployment.createdAtMs = *createdAt;
  deployment.state = *state;
  deployment.uid = provider::stringAt(item, "uid").value_or("");
  deployment.name = provider::stringAt(item, "name").value_or("");
  deployment.url = provider::stringAt(item, "url").value_or("");
  // Previews have "target": null (or none at all).
  if (const Json* target = provider::memberAt(item, "target"); target != nullptr && !target->is_null()) {
    deployment.target = provider::stringAt(item, "target");
    if (!deployment.target) return std::nullopt;
  }
  return deployment;
}

}  // namespace

std::optional<ListResult> listDeployments(const Host& host, const Call& call, const ListQuery& query,
                                          Outcome& failure) {
  ListResult result;
  std::int64_t untilMs = 0;
  for (int page = 0; page < query.maxPages; ++page) {
    HttpRequest request;
    request.url = pageUrl(query, untilMs);
    request.headers = {{"Accept", "application/json"}, {"User-Agent", "switchboard"}};
    HttpResult sent = provider::sendWithBearer(host, call, std::move(request), query.linkToken);
    if (!sent.ok()) {
      failure = provider::transportFailure(kProvider, sent);
      return std::nullopt;
    }
    if (sent.response.status() != 200) {
      result.refusal = refusalOf(sent.response);
      return result;
    }
    std::optional<Json> body = provider::parseReplyBody(kProvider, sent.response.body(), failure);
    if (!body) return std::nullopt;
    const Json* items = provider::arrayAt(*body, "deployments");
    if (items == nullptr) {
      failure = shapeError("no deployments array");
      return std::nullopt;
    }
    for (const Json& item : *items) {
      std::optional<Deployment> deployment = deploymentOf(item);
      if (!deployment) {
        failure = shapeError("a deployment without createdAt/state or with a non-string target");
        return std::nullopt;
      }
      result.deployments.push_back(std::move(*deployment));
    }
    const Json* pagination = provider::objectAt(*body, "pagination");
    const std::optional<std::int64_t> next = pagination != nullptr ? provider::int64At(*pagination, "next") : std::nullopt;
    // A `next` that does not move backwards would loop over the same page.
    if (!next || *next <= 0 || (untilMs > 0 && *next >= untilMs) || items->empty()) return result;
    untilMs = *next;
    if (page + 1 == query.maxPages) result.truncated = true;
  }
  return result;
}

}  // namespace switchboard::vercel
