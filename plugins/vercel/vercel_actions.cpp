// See vercel_actions.hpp. Provider documentation this follows:
//   List deployments     GET /v6/deployments?projectId&target=production|preview&limit=1&teamId
//     https://vercel.com/docs/rest-api/reference/endpoints/deployments/list-deployments
//   Create a deployment  POST /v13/deployments?teamId  {"name","deploymentId","target"?}
//     https://vercel.com/docs/rest-api/deployments/create-a-new-deployment
//     ("a deployment id can be specified to redeploy a previous deployment";
//      target "production", or no target for a preview)
//   Get a deployment     GET /v13/deployments/{idOrUrl}?teamId  -> {"id","url","readyState","target"}
//     https://vercel.com/docs/rest-api/deployments/get-a-deployment-by-id-or-url
//   Errors               https://vercel.com/docs/rest-api/errors (403 forbidden, 404, 429 + X-RateLimit-Reset)
//   Dashboard pages      https://vercel.com/docs/dashboard-features, tokens: https://vercel.com/account/tokens
#include "vercel_actions.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include <switchboard/actions.hpp>

#include "deployment_list.hpp"
#include "deployments_api_version.hpp"
#include "vercel_link.hpp"

namespace switchboard::vercel {
namespace {

using provider::Json;

constexpr const char* kProvider = "Vercel";
constexpr std::uint64_t kDeploySteps = 3;

struct Created {
  std::string id;
  std::string url;
  std::string readyState;
  std::optional<std::string> target;
};

bool isFinal(const std::string& state) {
  return state == "READY" || state == "ERROR" || state == "CANCELED" || state == "DELETED" || state == "BLOCKED";
}

std::string teamQuery(const Link& link, char separator) {
  return link.teamId.empty() ? std::string() : std::string(1, separator) + "teamId=" + provider::urlEncode(link.teamId);
}

// Sends with the bearer token: the connection's, refreshed once after a 401, else the link's.
HttpResult send(const Host& host, const Call& call, const Link& link, HttpRequest request) {
  request.headers.insert(request.headers.begin(), {{"Accept", "application/json"}, {"User-Agent", "switchboard"}});
  return provider::sendWithBearer(host, call, std::move(request), link.linkToken);
}

Outcome refusalOutcome(const HttpResponse& response, std::int64_t nowMs) {
  const Refusal refusal = refusalOf(response);
  if (isRevoked(refusal)) return Outcome::failure(SB_ERR_UNAUTHORIZED, "Vercel rejected the token");
  if (refusal.status == 429) {
    return Outcome::rateLimited("Vercel asked us to wait before the next request", rateLimitWaitSeconds(refusal, nowMs));
  }
  if (refusal.status == 400) {
    return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "Vercel refused the deployment request (" + refusal.errorCode + ")");
  }
  return actions::providerRefusal(kProvider, refusal.status, -1, false);
}

// The reply to create or get: {"id","url","readyState","target"}.
std::optional<Created> createdOf(const HttpResponse& response, Outcome& failure) {
  std::optional<Json> body = provider::parseReplyBody(kProvider, response.body(), failure);
  if (!body) return std::nullopt;
  Created created;
  std::optional<std::string> id = provider::stringAt(*body, "id");
  std::optional<std::string> state = provider::stringAt(*body, "readyState");
  if (!id || !state) {
    failure = Outcome::failure(SB_ERR_UNAVAILABLE, "Vercel sent a deployment without id/readyState");
    return std::nullopt;
  }
  created.id = *id;
  created.readyState = *state;
  created.url = provider::stringAt(*body, "url").value_or("");
  created.target = provider::stringAt(*body, "target");
  return created;
}

std::string resultJson(const Created& created) {
  std::string json = "{\"deploymentId\":" + json::quote(created.id) + ",\"url\":" +
                     (created.url.empty() ? std::string("null") : json::quote("https://" + created.url)) +
                     ",\"target\":" + (created.target ? json::quote(*created.target) : std::string("null")) +
                     ",\"readyState\":" + json::quote(created.readyState) + "}";
  return json;
}

// Step 1: the latest deployment of the target, the one to redeploy.
std::optional<Deployment> findLatest(const Host& host, const Call& call, const Link& link, const std::string& apiVersion,
                                     bool production, Outcome& failure) {
  ProgressStep step{"find-latest", production ? "Finding the latest production deployment"
                                              : "Finding the latest preview deployment",
                    StepState::Running, 0, kDeploySteps, {}};
  call.step(step);
  ListQuery query;
  query.apiRoot = link.apiRoot;
  query.apiVersion = apiVersion;
  query.projectId = link.projectId;
  query.teamId = link.teamId;
  query.linkToken = link.linkToken;
  query.target = production ? "production" : "preview";
  query.pageSize = 1;
  query.maxPages = 1;
  std::optional<ListResult> listed = listDeployments(host, call, query, failure);
  if (!listed) {
    actions::failStep(call, step, failure);
    return std::nullopt;
  }
  if (listed->refusal) {
    const Refusal& refusal = *listed->refusal;
    if (isRevoked(refusal)) {
      failure = Outcome::failure(SB_ERR_UNAUTHORIZED, "Vercel rejected the token");
    } else if (refusal.status == 429) {
      failure = Outcome::rateLimited("Vercel asked us to wait before the next request",
                                     rateLimitWaitSeconds(refusal, host.nowMs()));
    } else {
      failure = actions::providerRefusal(kProvider, refusal.status, -1, false);
    }
    actions::failStep(call, step, failure);
    return std::nullopt;
  }
  const auto& found = listed->deployments;
  if (found.empty() || found.front().uid.empty() || found.front().name.empty()) {
    failure = Outcome::failure(SB_ERR_NOT_FOUND, std::string("there is no ") + (production ? "production" : "preview") +
                                                     " deployment to redeploy");
    actions::failStep(call, step, failure);
    return std::nullopt;
  }
  step.state = StepState::Succeeded;
  step.done = 1;
  step.detail = found.front().uid;
  call.step(step);
  return found.front();
}

// Step 2: POST /v13/deployments redeploying `latest`.
std::optional<Created> createDeployment(const Host& host, const Call& call, const Link& link, const Deployment& latest,
                                        bool production, Outcome& failure) {
  ProgressStep step{"create-deployment", "Creating the deployment", StepState::Running, 1, kDeploySteps, {}};
  call.step(step);
  HttpRequest request;
  request.method = "POST";
  request.url = link.apiRoot + "/v13/deployments" + teamQuery(link, '?');
  request.headers = {{"Content-Type", "application/json"}};
  request.body = "{\"name\":" + json::quote(latest.name) + ",\"deploymentId\":" + json::quote(latest.uid) +
                 (production ? ",\"target\":\"production\"" : "") + "}";
  HttpResult sent = send(host, call, link, std::move(request));
  if (!sent.ok()) {
    failure = provider::transportFailure(kProvider, sent);
  } else if (sent.response.status() != 200 && sent.response.status() != 201) {
    failure = refusalOutcome(sent.response, host.nowMs());
  } else if (std::optional<Created> created = createdOf(sent.response, failure)) {
    step.state = StepState::Succeeded;
    step.done = 2;
    step.detail = created->id;
    call.step(step);
    return created;
  }
  actions::failStep(call, step, failure);
  return std::nullopt;
}

// Step 3: GET /v13/deployments/{id} until a final state, the poll budget or
// the deadline. A failed poll ends the wait, not the action: the deployment
// exists, and status will follow it.
void waitUntilReady(const Host& host, const Call& call, const Link& link, const DeployPolling& polling,
                    Created& created) {
  ProgressStep step{"wait-ready", "Waiting for the build", StepState::Running, 2, kDeploySteps, created.readyState};
  call.step(step);
  for (int poll = 0; poll < polling.maxPolls && !isFinal(created.readyState); ++poll) {
    const std::int64_t deadline = call.deadlineMs();
    if (call.cancelled() || (deadline > 0 && host.nowMs() + polling.intervalMs >= deadline)) break;
    // Sleep in short slices so a host that gives up (shutdown) is noticed at once.
    for (std::int64_t slept = 0; slept < polling.intervalMs && !call.cancelled(); slept += 100) {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min<std::int64_t>(100, polling.intervalMs - slept)));
    }
    if (call.cancelled()) break;
    HttpRequest request;
    request.url = link.apiRoot + "/v13/deployments/" + provider::urlEncode(created.id) + teamQuery(link, '?');
    HttpResult sent = send(host, call, link, std::move(request));
    Outcome ignored;
    std::optional<Created> latest =
        sent.ok() && sent.response.status() == 200 ? createdOf(sent.response, ignored) : std::nullopt;
    if (!latest) break;
    created.readyState = latest->readyState;
    if (!latest->url.empty()) created.url = latest->url;
    step.detail = created.readyState;
    call.step(step);
  }
  step.done = 3;
  step.state = created.readyState == "READY" ? StepState::Succeeded
               : isFinal(created.readyState) ? StepState::Failed
                                             : StepState::Skipped;  // stopped waiting; still building
  step.detail = created.readyState;
  call.step(step);
}

Outcome deploy(const Host& host, const Call& call, std::string_view requestJson, const std::string& apiVersion,
               const DeployPolling& polling, bool production) {
  Outcome failure;
  std::optional<actions::ActionRequest> request = actions::parseActionRequest(requestJson, {"waitForReady"}, failure);
  if (!request) return failure;
  std::optional<bool> wait = actions::boolParam(*request, "waitForReady", true, failure);
  if (!wait) return failure;
  std::optional<Link> link = linkOf(request->link, call, failure);
  if (!link) return failure;
  std::optional<Deployment> latest = findLatest(host, call, *link, apiVersion, production, failure);
  if (!latest) return failure;
  std::optional<Created> created = createDeployment(host, call, *link, *latest, production, failure);
  if (!created) return failure;
  if (*wait) {
    waitUntilReady(host, call, *link, polling, *created);
  } else {
    call.step(ProgressStep{"wait-ready", "Waiting for the build", StepState::Skipped, 3, kDeploySteps, "not asked to wait"});
  }
  return Outcome::ok(resultJson(*created));
}

std::optional<std::int64_t> boundedSetting(const Json& settings, const std::string& name, std::int64_t fallback,
                                           std::int64_t max, Outcome& failure) {
  if (provider::memberAt(settings, name) == nullptr) return fallback;
  std::optional<std::int64_t> value = provider::int64At(settings, name);
  if (!value || *value < 0 || *value > max) {
    failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "settings." + name + " must be an integer from 0 to " +
                                                            std::to_string(max));
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::optional<DeployPolling> deployPolling(std::string_view settingsJson, Outcome& failure) {
  std::optional<Json> parsed = initSettings(settingsJson, failure);
  if (!parsed) return std::nullopt;
  const Json& settings = *parsed;
  DeployPolling polling;
  std::optional<std::int64_t> interval = boundedSetting(settings, "deployPollIntervalMs", polling.intervalMs, 60000, failure);
  if (!interval) return std::nullopt;
  std::optional<std::int64_t> polls = boundedSetting(settings, "deployMaxPolls", polling.maxPolls, 100, failure);
  if (!polls) return std::nullopt;
  polling.intervalMs = *interval;
  polling.maxPolls = static_cast<int>(*polls);
  return polling;
}

std::vector<provider::Action> vercelActions() {
  return {{"deploy", "Deploy", "admin", "deploy-production", true, ""},
          {"deploy-preview", "Deploy preview", "editor", "deploy-preview", true, ""},
          {"link", "Link project", "admin", "connect", true, ""},
          {"connect", "Reconnect", "admin", "connect", true, ""}};
}

Outcome listVercelActionsFor(std::string_view contextJson) {
  return actions::listForContext(vercelActions(), contextJson, "token", "Add a Vercel token first", {"link", "connect"});
}

Outcome runVercelAction(const Host& host, const Call& call, std::string_view actionId, std::string_view requestJson,
                        const std::string& apiVersion, const DeployPolling& polling) {
  if (actionId == "deploy") return deploy(host, call, requestJson, apiVersion, polling, true);
  if (actionId == "deploy-preview") return deploy(host, call, requestJson, apiVersion, polling, false);
  if (actionId == "link" || actionId == "connect") {
    Outcome failure;
    if (!actions::parseActionRequest(requestJson, {}, failure)) return failure;
    return actionId == "link" ? actions::navigate(call, "Opening the Vercel dashboard", "https://vercel.com/dashboard")
                              : actions::navigate(call, "Opening Vercel access tokens", "https://vercel.com/account/tokens");
  }
  return actions::unknownAction(actionId);
}

}  // namespace switchboard::vercel
