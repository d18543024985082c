// GET /oauth/client-metadata/{name}.json: the Client ID Metadata Document of
// an MCP connection that has no configured oauth.client_id (the MCP
// authorization spec's "Client ID Metadata Documents"): the authorization
// server fetches it from the URL that is the client id. Public, like the
// callback; it holds nothing secret. 404 for any connection the host would
// not use a metadata document for.
#include "connections/client_registration.hpp"
#include "connections/connection_directory.hpp"
#include "http/api_routes.hpp"

namespace sb::http {

void addClientMetadataRoutes(Router& router, const ApiContext& context) {
  const connections::ConnectionDirectory* directory = context.connectionDirectory;
  router.add("GET", "/oauth/client-metadata/{document}", RouteAccess::Public, [directory](ApiRequest& request) {
    const std::string& document = request.param("document");
    const std::string suffix = ".json";
    const ConnectionConfig* connection = nullptr;
    if (directory != nullptr && document.size() > suffix.size() &&
        document.compare(document.size() - suffix.size(), suffix.size(), suffix) == 0) {
      connection = directory->find(document.substr(0, document.size() - suffix.size()));
    }
    if (connection == nullptr || connection->type != "mcp" || !connection->oauth.clientId.empty() ||
        !connection->disabledReason.empty() || connections::clientMetadataDocumentUrl(*connection).empty()) {
      return failureReply(request, Status(ErrorCode::NotFound, "no client metadata document '" + document + "'"));
    }
    ApiReply reply;
    reply.status = 200;
    reply.contentType = "application/json";
    reply.body = connections::clientMetadataDocument(*connection);
    reply.headers.emplace_back("Cache-Control", "public, max-age=300");
    return reply;
  });
}

}  // namespace sb::http
