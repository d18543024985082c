// Registration of every API endpoint on a Router, one function per resource
// family (each in its own .cpp). docs/openapi.yaml documents exactly this
// route table; tests/unit/http checks that both agree.
// Thread-safety: call while building the server; the handlers they register
// are safe to run concurrently (they only use ApiContext's thread-safe parts).
#pragma once

#include "http/api_server.hpp"
#include "http/router.hpp"

namespace sb::http {

void addHealthRoutes(Router& router, const ApiContext& context);
void addPluginRoutes(Router& router, const ApiContext& context);
void addCatalogRoutes(Router& router, const ApiContext& context);
void addProjectRoutes(Router& router, const ApiContext& context);
void addMemberRoutes(Router& router, const ApiContext& context);
// PUT/GET/DELETE /api/v1/projects/{id}/integrations/{key} (integration_routes.cpp).
void addIntegrationRoutes(Router& router, const ApiContext& context);
// GET /api/v1/integrations/status (status_routes.cpp).
void addStatusRoutes(Router& router, const ApiContext& context);
// GET /api/v1/integrations/events (SSE) and POST .../events/tickets (event_routes.cpp).
void addEventRoutes(Router& router, const ApiContext& context);
// POST/GET /api/v1/integrations/actions[/{id}] (action_routes.cpp).
void addActionRoutes(Router& router, const ApiContext& context);
// The Idempotency-Key rule of every POST that starts actions (action_routes.cpp).
Status checkIdempotencyKey(const std::string* key);
// GET /api/v1/projects/{id}/files and GET/PUT/DELETE .../files/{path} (file_routes.cpp).
void addFileRoutes(Router& router, const ApiContext& context);
// GET/POST /api/v1/projects/{id}/sync and GET .../sync/jobs/{jobId} (sync_routes.cpp).
void addSyncRoutes(Router& router, const ApiContext& context);
// POST .../sync/validate, GET .../sync/repositories|branches|commits: the sync
// link's set-up calls (sync_setup_routes.cpp).
void addSyncSetupRoutes(Router& router, const ApiContext& context);
// /api/v1/projects/{id}/workflows[...] (workflow_routes.cpp)
void addWorkflowRoutes(Router& router, const ApiContext& context);
// GET /api/v1/connections, POST .../{name}/authorize, DELETE .../{name}
// (oauth_connection_routes.cpp).
void addConnectionRoutes(Router& router, const ApiContext& context);
// GET /oauth/callback (oauth_callback_routes.cpp).
void addOAuthCallbackRoutes(Router& router, const ApiContext& context);
// GET /oauth/client-metadata/{name}.json (client_metadata_routes.cpp).
void addClientMetadataRoutes(Router& router, const ApiContext& context);
// GET /metrics, Prometheus text format (metrics_routes.cpp).
void addMetricsRoutes(Router& router, const ApiContext& context);

// All of the above, in documentation order.
Router buildApiRouter(const ApiContext& context);

}  // namespace sb::http
