// GET /metrics: Prometheus text exposition format 0.0.4. Public like a
// Prometheus scrape target: labels carry route templates, status codes and
// provider names only, never project ids, users or secrets. Restrict it at
// the network level if even that is too much.
#include "core/metrics.hpp"
#include "http/api_routes.hpp"

namespace sb::http {

void addMetricsRoutes(Router& router, const ApiContext& context) {
  Metrics* metrics = context.metrics;
  router.add("GET", "/metrics", RouteAccess::Public, [metrics](ApiRequest&) {
    ApiReply reply;
    reply.status = 200;
    reply.contentType = "text/plain; version=0.0.4; charset=utf-8";
    reply.body = metrics != nullptr ? metrics->render() : std::string();
    reply.headers.emplace_back("Cache-Control", "no-store");
    return reply;
  });
}

}  // namespace sb::http
