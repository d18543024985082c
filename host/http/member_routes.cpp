// /api/v1/projects/{id}/members[/{user}]: list, read, put (add or change
// role) and delete (remove or leave). The rules live in auth/project_access;
// this file fetches the facts they need, in an order that never reveals more
// than the caller may see: project visibility (404), then permission (403),
// then whether the target user exists (404).
#include <Poco/JSON/Array.h>
#include <Poco/Logger.h>

#include <variant>

#include "auth/project_access.hpp"
#include "core/clock.hpp"
#include "events/event_hub.hpp"
#include "http/api_routes.hpp"
#include "http/json_body.hpp"
#include "http/json_views.hpp"
#include "http/project_lookup.hpp"
#include "store/store.hpp"

namespace sb::http {
namespace {

Status notAMember(const std::string& user, const std::string& projectId) {
  return {ErrorCode::NotFound, "user '" + user + "' is not a member of project '" + projectId + "'",
          "user"};
}

Result<std::optional<Role>> currentRole(ProjectRepository& projects, const std::string& projectId,
                                        const std::string& user) {
  if (!isPlausibleUserName(user)) return std::optional<Role>();
  auto member = projects.getMember(projectId, user);
  if (!member) return member.status();
  if (!member->has_value()) return std::optional<Role>();
  return std::optional<Role>((*member)->role);
}

// The requested role, or the reply explaining why the body is unusable.
std::variant<Role, ApiReply> roleFromBody(const ApiRequest& request) {
  const JsonBody body = parseJsonObjectBody(request, {"role"});
  if (body.problem) return problemReply(request, *body.problem);
  auto text = requiredString(*body.object, "role");
  if (!text) return failureReply(request, text.status());
  const auto role = parseRole(*text);
  if (!role) {
    return failureReply(request, Status(ErrorCode::InvalidArgument,
                                         "field 'role' must be one of owner, admin, editor, "
                                         "viewer; got '" + *text + "'",
                                         "role"));
  }
  return *role;
}

// Tells every instance's event hub to re-read this member's access (a
// removed member's streams end, a new role applies at once). Best effort:
// the change itself is already committed.
void announceAccessChange(Store& store, events::EventHub* hub, const std::string& projectId,
                          const std::string& user) {
  NewEvent event;
  event.projectId = projectId;
  event.type = events::kAccessChanged;
  event.subject = user;
  auto appended = store.events().append(event, systemNowMs());
  if (!appended) {
    Poco::Logger::get("switchboard.events")
        .warning("cannot announce the access change of %s in %s: %s", user, projectId, appended.status().message());
    return;
  }
  if (hub != nullptr) hub->notify();
}

ApiReply putMember(Store& store, events::EventHub* hub, ApiRequest& request) {
  const std::string& projectId = request.param("id");
  const std::string& user = request.param("user");
  auto visible = loadVisibleProject(store.projects(), request.principal->user, projectId);
  if (!visible) return failureReply(request, visible.status());

  const auto parsed = roleFromBody(request);
  if (const auto* reply = std::get_if<ApiReply>(&parsed)) return *reply;
  const Role role = std::get<Role>(parsed);

  auto targetRole = currentRole(store.projects(), projectId, user);
  if (!targetRole) return failureReply(request, targetRole.status());
  const Status allowed = checkCanPutMember(visible->callerRole, projectId, *targetRole, role);
  if (!allowed) return failureReply(request, allowed);

  if (!targetRole->has_value()) {
    auto known = isPlausibleUserName(user) ? store.users().findUser(user)
                                           : Result<std::optional<User>>(std::optional<User>());
    if (!known) return failureReply(request, known.status());
    if (!known->has_value()) {
      return failureReply(request, Status(ErrorCode::NotFound, "user '" + user + "' does not exist",
                                          "user"));
    }
  }
  auto membership = store.projects().putMember(projectId, user, role);
  if (!membership) return failureReply(request, membership.status());
  if (targetRole->has_value() && **targetRole != role) announceAccessChange(store, hub, projectId, user);
  return jsonReply(targetRole->has_value() ? 200 : 201, membershipJson(*membership));
}

ApiReply deleteMember(Store& store, events::EventHub* hub, ApiRequest& request) {
  const std::string& projectId = request.param("id");
  const std::string& user = request.param("user");
  const User& caller = request.principal->user;
  auto visible = loadVisibleProject(store.projects(), caller, projectId);
  if (!visible) return failureReply(request, visible.status());
  auto targetRole = currentRole(store.projects(), projectId, user);
  if (!targetRole) return failureReply(request, targetRole.status());
  const Status allowed =
      checkCanRemoveMember(visible->callerRole, caller.name, projectId, user, *targetRole);
  if (!allowed) return failureReply(request, allowed);
  if (!targetRole->has_value()) return failureReply(request, notAMember(user, projectId));
  const Status removed = store.projects().deleteMember(projectId, user);
  if (!removed) return failureReply(request, removed);
  announceAccessChange(store, hub, projectId, user);
  return noContentReply();
}

}  // namespace

void addMemberRoutes(Router& router, const ApiContext& context) {
  Store* store = context.store;
  events::EventHub* hub = context.events;

  router.add("GET", "/api/v1/projects/{id}/members", RouteAccess::Bearer,
             [store](ApiRequest& request) {
               const std::string& projectId = request.param("id");
               auto visible = loadVisibleProject(store->projects(), request.principal->user, projectId);
               if (!visible) return failureReply(request, visible.status());
               auto members = store->projects().listMembers(projectId);
               if (!members) return failureReply(request, members.status());
               Poco::JSON::Array items;
               for (const auto& member : *members) items.add(membershipJson(member));
               return itemsReply(items);
             });

  router.add("GET", "/api/v1/projects/{id}/members/{user}", RouteAccess::Bearer,
             [store](ApiRequest& request) {
               const std::string& projectId = request.param("id");
               const std::string& user = request.param("user");
               auto visible = loadVisibleProject(store->projects(), request.principal->user, projectId);
               if (!visible) return failureReply(request, visible.status());
               if (!isPlausibleUserName(user)) return failureReply(request, notAMember(user, projectId));
               auto member = store->projects().getMember(projectId, user);
               if (!member) return failureReply(request, member.status());
               if (!member->has_value()) return failureReply(request, notAMember(user, projectId));
               return jsonReply(200, membershipJson(**member));
             });

  router.add("PUT", "/api/v1/projects/{id}/members/{user}", RouteAccess::Bearer,
             [store, hub](ApiRequest& request) { return putMember(*store, hub, request); });

  router.add("DELETE", "/api/v1/projects/{id}/members/{user}", RouteAccess::Bearer,
             [store, hub](ApiRequest& request) { return deleteMember(*store, hub, request); });
}

}  // namespace sb::http
