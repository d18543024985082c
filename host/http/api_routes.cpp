#include "http/api_routes.hpp"

namespace sb::http {

Router buildApiRouter(const ApiContext& context) {
  Router router;
  addHealthRoutes(router, context);
  addPluginRoutes(router, context);
  addCatalogRoutes(router, context);
  addProjectRoutes(router, context);
  addMemberRoutes(router, context);
  addIntegrationRoutes(router, context);
  addStatusRoutes(router, context);
  addEventRoutes(router, context);
  addActionRoutes(router, context);
  addFileRoutes(router, context);
  addSyncRoutes(router, context);
  addSyncSetupRoutes(router, context);
  addWorkflowRoutes(router, context);
  addConnectionRoutes(router, context);
  addOAuthCallbackRoutes(router, context);
  addClientMetadataRoutes(router, context);
  addMetricsRoutes(router, context);
  return router;
}

}  // namespace sb::http
