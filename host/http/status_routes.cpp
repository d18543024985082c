// GET /api/v1/integrations/status?projectId=...: the status of every
// integration of a project for the caller, with a weak ETag over the stable
// hash (RFC 9110 §8.8.3): If-None-Match (weak comparison, lists, *) gets a
// bodiless 304 that repeats ETag, Cache-Control and Vary.
#include <chrono>
#include <memory>

#include "core/expiring_cache.hpp"
#include "http/api_routes.hpp"
#include "http/conditional_get.hpp"
#include "http/project_lookup.hpp"
#include "store/store.hpp"
#include "status/status_service.hpp"

namespace sb::http {
namespace {

// Who may see which project, remembered briefly: the status call is polled by
// every open workspace, and membership changes are rare. A removed member
// keeps seeing status for at most this long (like the token cache).
constexpr std::chrono::seconds kAccessFreshFor{2};
constexpr std::size_t kAccessEntries = 10000;

// The reply depends on who asks (role, redaction): private, revalidated each time.
const char* const kStatusCacheControl = "private, no-cache";

Result<std::string> parseProjectId(const QueryParams& query) {
  std::optional<std::string> projectId;
  for (const auto& [name, value] : query) {
    if (name != "projectId") {
      return Status(ErrorCode::InvalidArgument, "unknown query parameter '" + name + "' (known: projectId)", name);
    }
    if (projectId) {
      return Status(ErrorCode::InvalidArgument, "query parameter 'projectId' given more than once", "projectId");
    }
    projectId = value;
  }
  if (!projectId || projectId->empty()) {
    return Status(ErrorCode::InvalidArgument, "query parameter 'projectId' is required", "projectId");
  }
  return *projectId;
}

// The 200 (or the 304 for a matching If-None-Match) for a rendered status.
ApiReply statusReply(const ApiRequest& request, const status::RenderedStatus& rendered) {
  ApiReply reply;
  reply.status = 200;
  const std::string etag = "W/\"" + rendered.hash + "\"";
  reply.headers.emplace_back("ETag", etag);
  reply.headers.emplace_back("Cache-Control", kStatusCacheControl);
  reply.headers.emplace_back("Vary", "Authorization");
  if (request.ifNoneMatch && ifNoneMatchMatches(*request.ifNoneMatch, etag)) {
    reply.status = 304;
    return reply;
  }
  reply.contentType = kJsonContentType;
  reply.body = rendered.body;
  return reply;
}

}  // namespace

void addStatusRoutes(Router& router, const ApiContext& context) {
  Store* store = context.store;
  status::StatusService* service = context.status;
  auto access = std::make_shared<ExpiringCache<VisibleProject>>(kAccessFreshFor, kAccessEntries);
  auto callerOf = [](const ApiRequest& request, const VisibleProject& visible) {
    return status::StatusCaller{visible.project.id, request.principal->user.id, visible.callerRole, request.requestId};
  };
  auto handler = [store, service, access, callerOf](ApiRequest& request) {
    auto projectId = parseProjectId(request.query);
    if (!projectId) return failureReply(request, projectId.status());
    if (service == nullptr) {
      return failureReply(request, Status(ErrorCode::Unavailable, "integration status is not configured"));
    }
    const std::string accessKey = request.principal->user.id + '\n' + *projectId;
    std::optional<VisibleProject> cached = access->find(accessKey);
    if (!cached) {
      auto visible = loadVisibleProject(store->projects(), request.principal->user, *projectId);
      if (!visible) return failureReply(request, visible.status());  // refusals are not cached
      cached = std::move(visible).value();
      access->put(accessKey, *cached);
    }
    auto rendered = service->projectStatus(callerOf(request, *cached));
    if (!rendered) return failureReply(request, rendered.status());
    return statusReply(request, *rendered);
  };
  // Polling workspaces mostly ask for what is cached: answered from memory on
  // the I/O thread when the caller's access and every item are fresh.
  auto fast = [service, access, callerOf](ApiRequest& request) -> std::optional<ApiReply> {
    auto projectId = parseProjectId(request.query);
    if (!projectId || service == nullptr) return std::nullopt;
    std::optional<VisibleProject> visible = access->find(request.principal->user.id + '\n' + *projectId);
    if (!visible) return std::nullopt;
    auto rendered = service->cachedProjectStatus(callerOf(request, *visible));
    if (!rendered) return std::nullopt;
    return statusReply(request, *rendered);
  };
  router.add("GET", "/api/v1/integrations/status", RouteAccess::Bearer, handler, fast);
}

}  // namespace sb::http
