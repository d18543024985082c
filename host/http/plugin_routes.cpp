// GET /api/v1/plugins: the loaded and failed plugins, in configuration order.
#include <Poco/JSON/Array.h>

#include "http/api_routes.hpp"
#include "http/json_views.hpp"

namespace sb::http {

void addPluginRoutes(Router& router, const ApiContext& context) {
  router.add("GET", "/api/v1/plugins", RouteAccess::Bearer, [context](ApiRequest&) {
    Poco::JSON::Array items;
    if (context.plugins) {
      for (const auto& plugin : context.plugins()) items.add(pluginJson(plugin));
    }
    return itemsReply(items);
  });
}

}  // namespace sb::http
