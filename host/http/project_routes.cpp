// GET/POST /api/v1/projects and GET /api/v1/projects/{id}.
#include <Poco/JSON/Array.h>
#include <Poco/String.h>

#include <algorithm>

#include "http/api_routes.hpp"
#include "http/json_body.hpp"
#include "http/json_views.hpp"
#include "http/project_lookup.hpp"
#include "store/store.hpp"

namespace sb::http {
namespace {

constexpr std::size_t kMaxProjectNameChars = 200;

std::size_t utf8Length(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(
      text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

Result<std::string> validProjectName(const std::string& raw) {
  std::string name = Poco::trim(raw);
  if (name.empty()) {
    return Status(ErrorCode::InvalidArgument, "field 'name' must not be empty or blank", "name");
  }
  if (utf8Length(name) > kMaxProjectNameChars) {
    return Status(ErrorCode::InvalidArgument,
                  "field 'name' must be at most " + std::to_string(kMaxProjectNameChars) +
                      " characters",
                  "name");
  }
  const bool hasControl = std::any_of(name.begin(), name.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
  });
  if (hasControl) {
    return Status(ErrorCode::InvalidArgument, "field 'name' must not contain control characters",
                  "name");
  }
  return name;
}

Result<Poco::JSON::Array> projectsOf(ProjectRepository& repository, const User& caller) {
  Poco::JSON::Array items;
  if (caller.isAdmin) {
    auto projects = repository.listProjects();
    if (!projects) return projects.status();
    for (const auto& project : *projects) items.add(projectJson(project, Role::Owner));
    return items;
  }
  auto projects = repository.listProjectsForUser(caller.name);
  if (!projects) return projects.status();
  for (const auto& project : *projects) {
    auto member = repository.getMember(project.id, caller.name);
    if (!member) return member.status();
    // Membership removed between the two reads: the project is no longer theirs.
    if (!member->has_value()) continue;
    items.add(projectJson(project, (*member)->role));
  }
  return items;
}

}  // namespace

void addProjectRoutes(Router& router, const ApiContext& context) {
  Store* store = context.store;

  router.add("GET", "/api/v1/projects", RouteAccess::Bearer, [store](ApiRequest& request) {
    auto items = projectsOf(store->projects(), request.principal->user);
    if (!items) return failureReply(request, items.status());
    return itemsReply(*items);
  });

  router.add("POST", "/api/v1/projects", RouteAccess::Bearer, [store](ApiRequest& request) {
    const JsonBody body = parseJsonObjectBody(request, {"name"});
    if (body.problem) return problemReply(request, *body.problem);
    auto rawName = requiredString(*body.object, "name");
    if (!rawName) return failureReply(request, rawName.status());
    auto name = validProjectName(*rawName);
    if (!name) return failureReply(request, name.status());
    auto project = store->projects().createProject(*name, request.principal->user.name);
    if (!project) return failureReply(request, project.status());
    ApiReply reply = jsonReply(201, projectJson(*project, Role::Owner));
    reply.headers.emplace_back("Location", "/api/v1/projects/" + project->id);
    return reply;
  });

  router.add("GET", "/api/v1/projects/{id}", RouteAccess::Bearer, [store](ApiRequest& request) {
    auto visible = loadVisibleProject(store->projects(), request.principal->user, request.param("id"));
    if (!visible) return failureReply(request, visible.status());
    return jsonReply(200, projectJson(visible->project, visible->callerRole));
  });
}

}  // namespace sb::http
