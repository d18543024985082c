// GET /healthz (process is up) and GET /readyz (store and plugins usable,
// configured connections synced).
#include <Poco/JSON/Object.h>

#include "http/api_routes.hpp"
#include "store/store.hpp"

namespace sb::http {

void addHealthRoutes(Router& router, const ApiContext& context) {
  auto alive = [](ApiRequest&) { return ApiReply{200, kJsonContentType, R"({"status":"ok"})", {}, {}}; };
  router.add("GET", "/healthz", RouteAccess::Public, alive,
             [alive](ApiRequest& request) -> std::optional<ApiReply> { return alive(request); });

  router.add("GET", "/readyz", RouteAccess::Public, [context](ApiRequest& request) {
    const bool storeOk = context.store != nullptr && context.store->ping().isOk();
    const bool pluginsOk = !context.pluginsReady || context.pluginsReady();
    const bool connectionsOk = !context.connectionsSynced || context.connectionsSynced();
    if (storeOk && pluginsOk && connectionsOk) {
      Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
      body.set("status", "ready");
      body.set("store", "ok");
      body.set("plugins", "ok");
      body.set("connections", "ok");
      return jsonReply(200, body);
    }
    // Unauthenticated endpoint: say *which* dependency is down, never why
    // (store errors can carry paths or connection strings).
    std::string detail;
    if (!storeOk) detail = "store is unavailable";
    if (!pluginsOk) detail += std::string(detail.empty() ? "" : "; ") + "a configured plugin failed to load";
    if (!connectionsOk) {
      detail += std::string(detail.empty() ? "" : "; ") + "the configured connections could not be synced";
    }
    Problem problem = problemForHttpStatus(503, detail);
    problem.type = "urn:switchboard:problem:not-ready";
    problem.title = "Not Ready";
    problem.extensions.emplace_back("store", storeOk ? "ok" : "unavailable");
    problem.extensions.emplace_back("plugins", pluginsOk ? "ok" : "failed");
    problem.extensions.emplace_back("connections", connectionsOk ? "ok" : "failed");
    return problemReply(request, problem);
  });
}

}  // namespace sb::http
