// The sync link's set-up calls, answered with the link's token (its pasted
// secret or its connection's access token):
//   POST .../sync/validate       the token and its access to the linked repository
//   GET  .../sync/repositories   the repositories the token can see (?limit=)
//   GET  .../sync/branches       the linked repository's branches (?limit=)
//   GET  .../sync/commits        the linked branch's newest commits (?limit=)
// under /api/v1/projects/{id}. Members who see the link may call them, as
// they may preview a sync; listing the token's other repositories is for
// choosing the link, so it needs the role that changes integrations (admin).
// Rules and records: sync/sync_setup.hpp; views: json_views; refusals: problem.
#include <cstdint>
#include <string>

#include "http/api_routes.hpp"
#include "http/json_views.hpp"
#include "http/project_lookup.hpp"
#include "store/store.hpp"
#include "sync/sync_service.hpp"

namespace sb::http {
namespace {

// ?limit=<1..1000>, the only query parameter; 0 when absent. The plugin
// applies its own cap (commits: 100) and says so.
Result<int64_t> limitOf(const ApiRequest& request, bool allowed) {
  int64_t limit = 0;
  bool seen = false;
  for (const auto& [name, value] : request.query) {
    if (name != "limit" || !allowed) {
      return Status(ErrorCode::InvalidArgument,
                    "unknown query parameter '" + name + "'" + (allowed ? " (known: limit)" : ""), name);
    }
    if (seen) return Status(ErrorCode::InvalidArgument, "query parameter 'limit' given more than once", "limit");
    seen = true;
    const bool digits = !value.empty() && value.size() <= 4 && value.find_first_not_of("0123456789") == std::string::npos;
    limit = digits ? std::stoll(value) : 0;
    if (limit < 1 || limit > 1000) {
      return Status(ErrorCode::InvalidArgument, "query parameter 'limit' must be a whole number from 1 to 1000",
                    "limit");
    }
  }
  return limit;
}

ApiReply setupReply(Store& store, sync::SyncService& service, ApiRequest& request, sync::SetupCall call,
                    Role least) {
  auto visible = loadVisibleProject(store.projects(), request.principal->user, request.param("id"));
  if (!visible) return failureReply(request, visible.status());
  if (!roleAtLeast(visible->callerRole, least)) {
    return failureReply(request, Status(ErrorCode::PermissionDenied,
                                        std::string(sync::setupCallText(call)) + ": " + roleRequirement(least)));
  }
  auto limit = limitOf(request, call != sync::SetupCall::Validate);
  if (!limit) return failureReply(request, limit.status());
  auto reply = service.setup(visible->callerRole, visible->project.id, call, *limit);
  if (!reply) return failureReply(request, reply.status());
  if (reply->refusal) return problemReply(request, problemForProviderRefusal(*reply->refusal));
  return jsonReply(200, syncSetupJson(*reply->data));
}

}  // namespace

void addSyncSetupRoutes(Router& router, const ApiContext& context) {
  Store* store = context.store;
  sync::SyncService* service = context.syncService;
  auto add = [&](const char* method, const std::string& path, sync::SetupCall call, Role least) {
    router.add(method, "/api/v1/projects/{id}/sync/" + path, RouteAccess::Bearer,
               [store, service, call, least](ApiRequest& request) {
                 if (service == nullptr) {
                   return failureReply(request, Status(ErrorCode::Unavailable, "sync is not configured"));
                 }
                 return setupReply(*store, *service, request, call, least);
               });
  };
  add("POST", "validate", sync::SetupCall::Validate, Role::Viewer);
  add("GET", "repositories", sync::SetupCall::Repositories, Role::Admin);
  add("GET", "branches", sync::SetupCall::Branches, Role::Viewer);
  add("GET", "commits", sync::SetupCall::Commits, Role::Viewer);
}

}  // namespace sb::http
