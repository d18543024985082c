#include "actions/action_permissions.hpp"

namespace sb::actions {

std::string refusalFor(Role role, ActionKind kind, Role pluginMinRole) {
  const Role needed = actionMinimumRole(actionKindName(kind), pluginMinRole);
  if (roleAtLeast(role, needed)) return {};
  return roleRequirement(needed);
}

}  // namespace sb::actions
