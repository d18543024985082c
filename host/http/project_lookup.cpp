#include "http/project_lookup.hpp"

#include <algorithm>

#include "auth/project_access.hpp"
#include "store/project_repository.hpp"

namespace sb::http {

Result<VisibleProject> loadVisibleProject(ProjectRepository& projects, const User& caller,
                                          const std::string& projectId) {
  auto project = projects.getProject(projectId);
  if (!project) return project.status();
  if (!project->has_value()) {
    return Status(ErrorCode::NotFound, "project '" + projectId + "' not found");
  }
  std::optional<Membership> membership;
  if (!caller.isAdmin) {
    auto member = projects.getMember(projectId, caller.name);
    if (!member) return member.status();
    membership = std::move(*member);
  }
  const auto role = effectiveRole(caller, membership);
  const Status readable = checkCanReadProject(role, projectId);
  if (!readable) return readable;
  return VisibleProject{std::move(**project), *role};
}

bool isPlausibleUserName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
  });
}

}  // namespace sb::http
