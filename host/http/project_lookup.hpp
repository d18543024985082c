// Loads a project together with the role the caller acts with on it. A
// project the caller may not see is reported exactly like a missing one
// (NotFound), so ids cannot be probed.
// Thread-safety: free functions; thread-safe when the repository is (it is).
#pragma once

#include <string>

#include "core/model.hpp"
#include "core/result.hpp"

namespace sb {
class ProjectRepository;
}

namespace sb::http {

struct VisibleProject {
  Project project;
  Role callerRole = Role::Viewer;
};

Result<VisibleProject> loadVisibleProject(ProjectRepository& projects, const User& caller,
                                          const std::string& projectId);

// Member names follow User.name's rule; anything else cannot exist.
bool isPlausibleUserName(const std::string& name);

}  // namespace sb::http
