#include "core/model.hpp"

namespace sb {

const char* toString(Role role) {
  switch (role) {
    case Role::Owner: return "owner";
    case Role::Admin: return "admin";
    case Role::Editor: return "editor";
    case Role::Viewer: return "viewer";
  }
  return "viewer";
}

std::optional<Role> parseRole(const std::string& text) {
  if (text == "owner") return Role::Owner;
  if (text == "admin") return Role::Admin;
  if (text == "editor") return Role::Editor;
  if (text == "viewer") return Role::Viewer;
  return std::nullopt;
}

bool roleAtLeast(Role actual, Role required) {
  return static_cast<int>(actual) <= static_cast<int>(required);
}

std::string roleRequirement(Role minRole) {
  switch (minRole) {
    case Role::Owner: return "Requires the owner role";
    case Role::Admin: return "Requires the admin or owner role";
    case Role::Editor: return "Requires the editor role or higher";
    case Role::Viewer: return "";
  }
  return "";
}

Role actionMinimumRole(const std::string& kind, Role pluginMinRole) {
  const bool editorKind = kind == "push" || kind == "content-sync" || kind == "deploy-preview" || kind == "check" ||
                          kind == "open";
  const Role floor = editorKind ? Role::Editor : Role::Admin;
  return roleAtLeast(pluginMinRole, floor) ? pluginMinRole : floor;
}

const char* toString(PluginState state) {
  return state == PluginState::Loaded ? "loaded" : "failed";
}

}  // namespace sb
