// GET /api/v1/connections: every offered connection (configured, or disabled
// for a reason other than removal) with the caller's state. The views decide
// what leaves the server (json_views): never a token or a client secret.
// POST /api/v1/connections/{name}/authorize {returnTo?}: starts the
// authorization-code flow (connections/authorization_start).
// DELETE /api/v1/connections/{name}: revokes at the provider where configured
// and deletes the caller's tokens, even when the provider is down; the reply
// says what the provider answered (connections/disconnect).
#include <map>

#include <Poco/JSON/Array.h>

#include "connections/authorization_start.hpp"
#include "connections/disconnect.hpp"
#include "core/clock.hpp"
#include "http/json_body.hpp"
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

  const SecretBox* box = context.secrets;
  static const connections::ConnectionDirectory none;
  const connections::ConnectionDirectory* directory = context.connectionDirectory ? context.connectionDirectory : &none;
  router.add("POST", "/api/v1/connections/{name}/authorize", RouteAccess::Bearer, [store, box, directory](ApiRequest& request) {
    std::string returnTo;
    if (!request.body.empty()) {
      const JsonBody body = parseJsonObjectBody(request, {"returnTo"});
      if (body.problem) return problemReply(request, *body.problem);
      if (body.object->has("returnTo")) {
        if (!body.object->get("returnTo").isString()) {
          return problemReply(request, problemForHttpStatus(400, "returnTo must be a string", "returnTo"));
        }
        returnTo = body.object->getValue<std::string>("returnTo");
      }
    }
    const std::string& name = request.param("name");
    auto connection = store->connections().getConfig(name);
    if (!connection) return failureReply(request, connection.status());
    if (!connection->has_value()) {
      return failureReply(request, Status(ErrorCode::NotFound, "connection '" + name + "' not found"));
    }
    if (box == nullptr) {
      Problem problem = problemForHttpStatus(
          503, "no secret key is configured (secrets.key or secrets.key_file), so OAuth grants cannot be stored; "
               "ask the operator to configure one");
      problem.field = "secrets";
      return problemReply(request, problem);
    }
    auto started = connections::startAuthorization(**connection, *directory, request.principal->user.id, returnTo,
                                                   *box, store->connections(), systemNowMs());
    if (!started) return failureReply(request, started.status());
    Poco::JSON::Object reply(Poco::JSON_PRESERVE_KEY_ORDER);
    reply.set("authorizationUrl", started->authorizationUrl);
    reply.set("expiresAt", isoTimeOfMs(started->expiresAtMs));
    return jsonReply(200, reply);
  });

  router.add("DELETE", "/api/v1/connections/{name}", RouteAccess::Bearer, [store, box, directory](ApiRequest& request) {
    const std::string& name = request.param("name");
    auto connection = store->connections().getConfig(name);
    if (!connection) return failureReply(request, connection.status());
    if (!connection->has_value() || !connections::isOffered(**connection)) {
      return failureReply(request, Status(ErrorCode::NotFound, "connection '" + name + "' not found"));
    }
    auto done = connections::disconnect(request.principal->user.id, name, *directory, box, store->connections());
    if (!done) return failureReply(request, done.status());
    Poco::JSON::Object reply(Poco::JSON_PRESERVE_KEY_ORDER);
    reply.set("name", name);
    reply.set("state", connections::toString(connections::UserConnectionState::NotConnected));
    reply.set("tokensDeleted", true);
    reply.set("revocation", done->revocation);
    reply.set("revocationDetail", done->detail);
    return jsonReply(200, reply);
  });
}

}  // namespace sb::http
