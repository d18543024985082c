#include "auth/project_access.hpp"

namespace sb {
namespace {

Status projectNotFound(const std::string& projectId) {
  return {ErrorCode::NotFound, "project '" + projectId + "' not found"};
}

Status requiresRole(Role required, const std::string& action) {
  return {ErrorCode::PermissionDenied,
          std::string("role '") + toString(required) + "' or higher is required to " + action};
}

// Owners are the only ones who may create, change or remove owners: an admin
// who could demote an owner could take the project over.
Status checkOwnerTouch(Role callerRole, bool touchesOwner, const std::string& action) {
  if (touchesOwner && callerRole != Role::Owner) return requiresRole(Role::Owner, action);
  return Status::ok();
}

}  // namespace

std::optional<Role> effectiveRole(const User& caller, const std::optional<Membership>& membership) {
  if (caller.isAdmin) return Role::Owner;
  if (membership && membership->userName == caller.name) return membership->role;
  return std::nullopt;
}

Status checkCanReadProject(const std::optional<Role>& callerRole, const std::string& projectId) {
  return callerRole ? Status::ok() : projectNotFound(projectId);
}

Status checkCanPutMember(const std::optional<Role>& callerRole, const std::string& projectId,
                         const std::optional<Role>& targetCurrentRole, Role newRole) {
  if (!callerRole) return projectNotFound(projectId);
  if (!roleAtLeast(*callerRole, Role::Admin)) return requiresRole(Role::Admin, "change members");
  const bool touchesOwner = newRole == Role::Owner || targetCurrentRole == Role::Owner;
  return checkOwnerTouch(*callerRole, touchesOwner, "grant, change or remove the owner role");
}

Status checkCanRemoveMember(const std::optional<Role>& callerRole, const std::string& callerName,
                            const std::string& projectId, const std::string& targetUserName,
                            const std::optional<Role>& targetCurrentRole) {
  if (!callerRole) return projectNotFound(projectId);
  if (targetUserName == callerName) return Status::ok();  // leaving is always allowed
  if (!roleAtLeast(*callerRole, Role::Admin)) return requiresRole(Role::Admin, "remove members");
  return checkOwnerTouch(*callerRole, targetCurrentRole == Role::Owner,
                         "grant, change or remove the owner role");
}

}  // namespace sb
