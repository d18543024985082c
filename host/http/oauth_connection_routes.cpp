// GET /api/v1/connections: every offered connection (configured, or disabled
// for a reason other than removal) with the caller's state. The views decide
// what leaves the server (json_views): never a token or a client secret.
#include <map>

#include <Poco/JSON/Array.h>

#include "core/clock.hpp"
#include "http/api_routes.hpp"
#include "http/json_views.hpp"
#include "store/store.hpp"

namespace sb::http {

void addConnectionRoutes(Router& router, const ApiContext& context) {
  Store* store = context.store;
  router.add("GET", "/api/v1/connections", RouteAccess::Bearer, [store](ApiRequest& request) {
    auto configured = store->connections().listConfigs();
    if (!configured) return failureReply(request, configured.status());
    auto grants = store->connections().listTokens(request.principal->user.id);
    if (!grants) return failureReply(request, grants.status());
    std::map<std::string, OAuthTokenRecord> byConnection;
    for (OAuthTokenRecord& grant : *grants) byConnection.emplace(grant.connectionName, std::move(grant));
    const std::int64_t now = systemNowMs();
    Poco::JSON::Array items;
    for (const ConnectionRecord& connection : *configured) {
      if (!connections::isOffered(connection)) continue;
      auto found = byConnection.find(connection.name);
      std::optional<OAuthTokenRecord> grant;
      if (found != byConnection.end()) grant = found->second;
      items.add(connectionJson(connection, grant, connections::stateFor(connection, grant, now)));
    }
    return itemsReply(items);
  });
}

}  // namespace sb::http
