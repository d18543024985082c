// See supabase_actions.hpp. The health check is supabase_health.hpp's
// (https://supabase.com/docs/reference/api/v1-get-services-health); access
// tokens are managed at https://supabase.com/dashboard/account/tokens
// (https://supabase.com/docs/reference/api/introduction, Authentication).
#include "supabase_actions.hpp"

#include <algorithm>
#include <string>

#include <switchboard/actions.hpp>

#include "supabase_health.hpp"

namespace switchboard::bundled::supabase {
namespace {

using namespace switchboard::actions;

constexpr const char* kTokensUrl = "https://supabase.com/dashboard/account/tokens";

std::string resultJson(const std::vector<Service>& all, std::int64_t latencyMs) {
  const bool healthy = std::all_of(all.begin(), all.end(), [](const Service& s) { return s.healthy; });
  std::string list;
  for (const Service& service : all) {
    list += (list.empty() ? "" : ",") + std::string("{\"name\":") + json::quote(service.name) +
            ",\"healthy\":" + (service.healthy ? "true" : "false") + ",\"status\":" + json::quote(service.status) + "}";
  }
  return std::string("{\"healthy\":") + (healthy ? "true" : "false") + ",\"services\":[" + list +
         "],\"latencyMs\":" + std::to_string(latencyMs) + "}";
}

Outcome testConnection(const Host& host, const Call& call, std::string_view requestJson, LatencyWindow& latencies) {
  Outcome failure;
  std::optional<ActionRequest> request = parseActionRequest(requestJson, {}, failure);
  if (!request) return failure;
  std::optional<Link> link = readLink(request->link, call, failure);
  if (!link) return failure;
  ProgressStep step{"health-check", "Checking the project's services", StepState::Running, 0, 1, {}};
  call.step(step);
  const std::int64_t startedMs = host.nowMs();
  HttpResult health = sendHealthCheck(host, call, request->link, *link);
  const std::int64_t latencyMs = std::max<std::int64_t>(0, host.nowMs() - startedMs);
  if (!health.ok()) return failStep(call, step, provider::transportFailure(kProvider, health));
  const int status = health.response.status();
  if (status != 200) {
    const std::int64_t wait = status == 429 ? retryAfter(health.response, host.nowMs()).value_or(-1) : -1;
    return failStep(call, step, providerRefusal(kProvider, status, wait));
  }
  std::optional<std::vector<Service>> all = services(health.response.body(), failure);
  if (!all) return failStep(call, step, failure);
  latencies.recordAndAverage(link->projectRef, latencyMs);
  step.state = StepState::Succeeded;
  step.done = 1;
  step.detail = std::to_string(latencyMs) + " ms";
  call.step(step);
  return Outcome::ok(resultJson(*all, latencyMs));
}

}  // namespace

std::vector<Action> supabaseActions() {
  return {{"test-connection", "Test connection", "editor", "check", true, ""},
          {"reconnect", "Reconnect", "admin", "connect", true, ""},
          {"connect", "Connect", "admin", "connect", true, ""}};
}

Outcome listSupabaseActionsFor(std::string_view contextJson) {
  return listForContext(supabaseActions(), contextJson, "accessToken", "Add a Supabase access token first",
                        {"reconnect", "connect"});
}

Outcome runSupabaseAction(const Host& host, const Call& call, std::string_view actionId, std::string_view requestJson,
                          LatencyWindow& latencies) {
  if (actionId == "test-connection") return testConnection(host, call, requestJson, latencies);
  if (actionId == "reconnect" || actionId == "connect") {
    Outcome failure;
    if (!parseActionRequest(requestJson, {}, failure)) return failure;
    return navigate(call, "Opening Supabase access tokens", kTokensUrl);
  }
  return unknownAction(actionId);
}

}  // namespace switchboard::bundled::supabase
