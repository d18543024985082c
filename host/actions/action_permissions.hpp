// Whether a caller may run a quick action: the host's permission table by
// kind (core/model.hpp, actionMinimumRole), the same rule that gives status
// items their actions[].can/reason, so the route's 403 says what status said.
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "core/model.hpp"
#include "plugins/action_shapes.hpp"

namespace sb::actions {

// "" when `role` may run it, else the reason ("Requires the admin or owner role").
std::string refusalFor(Role role, ActionKind kind, Role pluginMinRole);

}  // namespace sb::actions
