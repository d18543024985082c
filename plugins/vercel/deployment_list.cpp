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

#include <Poco/JSON/Array.h>

#include "json_fields.hpp"
#include "status_support.hpp"

namespace switchboard::vercel {

using bundled::asObject;
using bundled::boolAt;
using bundled::int64At;
using bundled::isNullAt;
using bundled::objectAt;
using bundled::stringAt;
namespace {

constexpr const char* kProvider = "Vercel";

std::string pageUrl(const ListQuery& query, std::int64_t untilMs) {
  std::string url = query.apiRoot + "/" + query.apiVersion + "/deployments?projectId=" +
                    bundled::urlEncode(query.projectId) + "&limit=" + std::to_string(query.pageSize);
  if (!query.teamId.empty()) url += "&teamId=" + bundled::urlEncode(query.teamId);
  if (!query.target.empty()) url += "&target=" + bundled::urlEncode(query.target);
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
  Outcome ignored;
  bool ok = false;
  Poco::Dynamic::Var body = bundled::parseJsonBody(kProvider, response.body(), ignored, ok);
  if (!ok) return refusal;
  Poco::JSON::Object::Ptr error = objectAt(asObject(body), "error");
  refusal.errorCode = stringAt(error, "code").value_or("");
  refusal.invalidToken = boolAt(error, "invalidToken").value_or(false) || boolAt(error, "missingToken").value_or(false);
  refusal.bodyResetSeconds = int64At(objectAt(error, "limit"), "reset");
  return refusal;
}

bool isRevoked(const Refusal& refusal) {
  return refusal.status == 401 ||
         (refusal.status == 403 && (refusal.errorCode == "forbidden" || refusal.invalidToken));
}

std::int64_t rateLimitWaitSeconds(const Refusal& refusal, std::int64_t nowMs) {
  constexpr std::int64_t kDefaultWaitSeconds = 60;
  if (auto seconds = bundled::parseRetryAfterSeconds(refusal.retryAfter, nowMs))
    return std::max<std::int64_t>(0, *seconds);
  std::optional<std::int64_t> reset = bundled::parseEpochSeconds(refusal.rateLimitReset);
  if (!reset) reset = refusal.bodyResetSeconds;
  if (reset) return std::max<std::int64_t>(0, *reset - nowMs / 1000);
  return kDefaultWaitSeconds;
}

namespace {

Outcome shapeError(const std::string& what) {
  return Outcome::failure(SB_ERR_UNAVAILABLE, std::string(kProvider) + " sent an unexpected reply: " + what);
}

std::optional<Deployment> deploymentOf(const Poco::JSON::Object::Ptr& item) {
  if (item.isNull()) return std::nullopt;
  Deployment deployment;
  const std::optional<std::int64_t> createdAt = int64At(item, "createdAt");
  std::optional<std::string> state = stringAt(item, "readyState");
  if (!state) state = stringAt(item, "state");
  if (!createdAt || !state) return std::nullopt;
  deployment.createdAtMs = *createdAt;
  deployment.state = *state;
  deployment.uid = stringAt(item, "uid").value_or("");
  deployment.name = stringAt(item, "name").value_or("");
  deployment.url = stringAt(item, "url").value_or("");
  if (!isNullAt(item, "target")) {
    deployment.target = stringAt(item, "target");
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
    request.headers = {{"Accept", "application/json"},
                       {"Authorization", "Bearer " + query.token},
                       {"User-Agent", "switchboard"}};
    HttpResult sent = host.send(request, call);
    if (!sent.ok()) {
      failure = bundled::transportFailure(kProvider, sent);
      return std::nullopt;
    }
    if (sent.response.status() != 200) {
      result.refusal = refusalOf(sent.response);
      return result;
    }
    bool ok = false;
    Poco::Dynamic::Var parsed = bundled::parseJsonBody(kProvider, sent.response.body(), failure, ok);
    if (!ok) return std::nullopt;
    Poco::JSON::Object::Ptr body = asObject(parsed);
    if (body.isNull() || !body->has("deployments") || body->getArray("deployments").isNull()) {
      failure = shapeError("no deployments array");
      return std::nullopt;
    }
    Poco::JSON::Array::Ptr items = body->getArray("deployments");
    for (std::size_t i = 0; i < items->size(); ++i) {
      std::optional<Deployment> deployment = deploymentOf(asObject(items->get(static_cast<unsigned>(i))));
      if (!deployment) {
        failure = shapeError("a deployment without createdAt/state or with a non-string target");
        return std::nullopt;
      }
      result.deployments.push_back(std::move(*deployment));
    }
    const std::optional<std::int64_t> next = int64At(objectAt(body, "pagination"), "next");
    // A `next` that does not move backwards would loop over the same page.
    if (!next || *next <= 0 || (untilMs > 0 && *next >= untilMs) || items->size() == 0) return result;
    untilMs = *next;
    if (page + 1 == query.maxPages) result.truncated = true;
  }
  return result;
}

}  // namespace switchboard::vercel
