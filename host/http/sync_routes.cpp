// /api/v1/projects/{id}/sync: GET previews (members), POST executes (editors
// and above: a sync pushes) and answers 202 with the job, which
// GET .../sync/jobs/{jobId} reads. The rules live in sync/sync_service; this
// file reads the body and writes the replies.
#include <Poco/JSON/Object.h>

#include "http/api_routes.hpp"
#include "http/json_body.hpp"
#include "http/project_lookup.hpp"
#include "store/store.hpp"
#include "sync/sync_service.hpp"

namespace sb::http {
namespace {

ApiReply rawJson(int status, std::string body) {
  ApiReply reply;
  reply.status = status;
  reply.contentType = kJsonContentType;
  reply.body = std::move(body);
  return reply;
}

Status notConfigured() { return {ErrorCode::Unavailable, "sync is not configured"}; }

// The execute body, or the problem with it. An empty body is {}.
Result<sync::ExecuteRequest> executeRequestOf(const ApiRequest& request, std::optional<Problem>& problem) {
  sync::ExecuteRequest out;
  if (request.body.empty()) return out;
  const JsonBody body = parseJsonObjectBody(request, {"conflict_resolutions", "confirm_orphans"});
  if (body.problem) {
    problem = body.problem;
    return Status(ErrorCode::InvalidArgument, body.problem->detail);
  }
  if (body.object->has("conflict_resolutions")) {
    Poco::JSON::Object::Ptr resolutions = body.object->getObject("conflict_resolutions");
    if (resolutions.isNull()) {
      return Status(ErrorCode::InvalidArgument, "conflict_resolutions must be an object {path: keep_local|keep_remote}",
                    "conflict_resolutions");
    }
    for (const auto& [path, side] : *resolutions) {
      if (!side.isString()) {
        return Status(ErrorCode::InvalidArgument, "a resolution is the string keep_local or keep_remote",
                      "conflict_resolutions." + path);
      }
      out.resolutions[path] = side.extract<std::string>();
    }
  }
  if (body.object->has("confirm_orphans")) {
    const Poco::Dynamic::Var confirm = body.object->get("confirm_orphans");
    if (confirm.isBoolean()) {
      out.confirmOrphans = confirm.extract<bool>();
    } else if (confirm.type() == typeid(Poco::JSON::Array::Ptr)) {
      out.confirmOrphans = true;
    } else {
      return Status(ErrorCode::InvalidArgument, "confirm_orphans must be true/false or the list of workflow ids",
                    "confirm_orphans");
    }
  }
  return out;
}

ApiReply postSync(Store& store, sync::SyncService& service, ApiRequest& request) {
  auto visible = loadVisibleProject(store.projects(), request.principal->user, request.param("id"));
  if (!visible) return failureReply(request, visible.status());
  if (!roleAtLeast(visible->callerRole, Role::Editor)) {
    return failureReply(request, Status(ErrorCode::PermissionDenied, "running a sync " + roleRequirement(Role::Editor)));
  }
  std::optional<Problem> problem;
  auto body = executeRequestOf(request, problem);
  if (problem) return problemReply(request, *problem);
  if (!body) return failureReply(request, body.status());
  sync::ExecuteOutcome outcome = service.execute(request.principal->user, visible->project.id, *body);
  if (!outcome.refusal) return failureReply(request, outcome.refusal);
  Poco::JSON::Object reply(Poco::JSON_PRESERVE_KEY_ORDER);
  reply.set("jobId", outcome.job->id);
  reply.set("state", toString(outcome.job->state));
  ApiReply accepted = jsonReply(202, reply);
  accepted.headers.emplace_back("Location",
                                "/api/v1/projects/" + visible->project.id + "/sync/jobs/" + outcome.job->id);
  return accepted;
}

}  // namespace

void addSyncRoutes(Router& router, const ApiContext& context) {
  Store* store = context.store;
  sync::SyncService* service = context.syncService;
  router.add("GET", "/api/v1/projects/{id}/sync", RouteAccess::Bearer, [store, service](ApiRequest& request) {
    if (service == nullptr) return failureReply(request, notConfigured());
    auto visible = loadVisibleProject(store->projects(), request.principal->user, request.param("id"));
    if (!visible) return failureReply(request, visible.status());
    auto plan = service->preview(visible->project.id);
    if (!plan) return failureReply(request, plan.status());
    return rawJson(200, sync::SyncService::planJson(*plan));
  });
  router.add("POST", "/api/v1/projects/{id}/sync", RouteAccess::Bearer, [store, service](ApiRequest& request) {
    if (service == nullptr) return failureReply(request, notConfigured());
    return postSync(*store, *service, request);
  });
  router.add("GET", "/api/v1/projects/{id}/sync/jobs/{jobId}", RouteAccess::Bearer,
             [store, service](ApiRequest& request) {
               if (service == nullptr) return failureReply(request, notConfigured());
               auto visible = loadVisibleProject(store->projects(), request.principal->user, request.param("id"));
               if (!visible) return failureReply(request, visible.status());
               auto job = service->job(visible->project.id, request.param("jobId"));
               if (!job) return failureReply(request, job.status());
               if (!job->has_value()) {
                 return failureReply(request, Status(ErrorCode::NotFound, "no sync job '" + request.param("jobId") +
                                                                              "' in this project", "jobId"));
               }
               return rawJson(200, sync::SyncService::jobJson(**job));
             });
}

}  // namespace sb::http
