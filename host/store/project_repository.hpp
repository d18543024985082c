// Projects and their members, with the "every project keeps an owner" rule
// enforced inside the writing transaction.
// Thread-safety: as its Scope (store/scope.hpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"
#include "store/scope.hpp"

namespace sb {

class ProjectRepository {
 public:
  explicit ProjectRepository(store::Scope scope) : scope_(scope) {}

  // Creates the project and makes ownerUserName its owner, atomically.
  Result<Project> createProject(const std::string& name, const std::string& ownerUserName);
  Result<std::optional<Project>> getProject(const std::string& projectId);
  Result<std::vector<Project>> listProjects();  // all, by creation
  Result<std::vector<Project>> listProjectsForUser(const std::string& userName);
  Result<std::vector<Membership>> listMembers(const std::string& projectId);
  Result<std::optional<Membership>> getMember(const std::string& projectId,
                                              const std::string& userName);
  // Inserts or changes the role. NotFound if the project or user does not exist.
  // Conflict if it would leave the project without an owner. Atomic.
  Result<Membership> putMember(const std::string& projectId, const std::string& userName, Role role);
  // NotFound if not a member; Conflict if it is the last owner. Atomic.
  Status deleteMember(const std::string& projectId, const std::string& userName);

 private:
  store::Scope scope_;
};

}  // namespace sb
