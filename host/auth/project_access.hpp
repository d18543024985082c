// Project authorization rules as pure functions: given who is calling and
// what membership they hold, decide what they may do. No I/O, so every rule is
// unit-testable and the HTTP handlers only fetch facts and apply a verdict.
// Thread-safety: free functions on plain values; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "core/model.hpp"
#include "core/result.hpp"

namespace sb {

// The role the caller acts with on one project. A global administrator acts
// as owner everywhere; anyone else acts with their membership role, and a
// non-member has none (callers must answer 404 so existence is not revealed).
std::optional<Role> effectiveRole(const User& caller, const std::optional<Membership>& membership);

// Ok when the caller may read the project and its members, else NotFound.
Status checkCanReadProject(const std::optional<Role>& callerRole, const std::string& projectId);

// Ok when the caller may set `target`'s role to `newRole`.
// `targetCurrentRole` is the target's role now (nullopt: not a member yet).
// NotFound for non-members; PermissionDenied naming the role required.
Status checkCanPutMember(const std::optional<Role>& callerRole, const std::string& projectId,
                         const std::optional<Role>& targetCurrentRole, Role newRole);

// Ok when the caller may remove `targetUserName` (whose role is
// `targetCurrentRole`, nullopt if not a member). Any member may leave; the
// store still refuses to remove the last owner (Conflict).
Status checkCanRemoveMember(const std::optional<Role>& callerRole, const std::string& callerName,
                            const std::string& projectId, const std::string& targetUserName,
                            const std::optional<Role>& targetCurrentRole);

}  // namespace sb
