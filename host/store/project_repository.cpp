#include "store/project_repository.hpp"

#include "store/record_ids.hpp"
#include "store/sql_query.hpp"
#include "store/sql_scope.hpp"

namespace sb {
namespace {

using store::Database;
using store::Row;
using store::SqlQuery;
using store::toInt;

constexpr std::size_t kMaxProjectNameChars = 200;

std::size_t utf8Length(const std::string& text) {
  std::size_t count = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++count;
  }
  return count;
}

Status checkProjectName(const std::string& name) {
  bool blank = name.find_first_not_of(" \t\r\n") == std::string::npos;
  if (blank || utf8Length(name) > kMaxProjectNameChars) {
    return {ErrorCode::InvalidArgument, "project name must be 1-200 characters and not blank",
            "name"};
  }
  return Status::ok();
}

Project projectFromRow(const Row& row) { return {row[0], row[1], row[2]}; }

std::vector<Project> projectsFromRows(const std::vector<Row>& rows) {
  std::vector<Project> out;
  out.reserve(rows.size());
  for (const Row& row : rows) out.push_back(projectFromRow(row));
  return out;
}

// Only reached for values written through putMember/createProject, which the
// CHECK constraint also guards; a stray value reads as the least privilege.
Role roleFromText(const std::string& text) { return parseRole(text).value_or(Role::Viewer); }

std::optional<std::string> userIdByName(Poco::Data::Session& session, const Database& db,
                                        const std::string& name) {
  auto rows = SqlQuery(session, db, "SELECT id FROM users WHERE name = ?").arg(name).rows();
  if (rows.empty()) return std::nullopt;
  return rows.front()[0];
}

struct CurrentMembership {
  Role role;
  std::string createdAt;
};

std::optional<CurrentMembership> currentMembership(Poco::Data::Session& session, const Database& db,
                                                   const std::string& projectId,
                                                   const std::string& userId) {
  auto rows = SqlQuery(session, db,
                       "SELECT role, created_at FROM project_members "
                       "WHERE project_id = ? AND user_id = ?")
                  .arg(projectId)
                  .arg(userId)
                  .rows();
  if (rows.empty()) return std::nullopt;
  return CurrentMembership{roleFromText(rows.front()[0]), rows.front()[1]};
}

int ownerCount(Poco::Data::Session& session, const Database& db, const std::string& projectId) {
  auto rows = SqlQuery(session, db,
                       "SELECT COUNT(*) FROM project_members WHERE project_id = ? AND role = 'owner'")
                  .arg(projectId)
                  .rows();
  return toInt(rows.at(0).at(0));
}

Status projectNotFound(const std::string& projectId) {
  return {ErrorCode::NotFound, "project '" + projectId + "' not found", "projectId"};
}

Status userNotFound(const std::string& userName, const std::string& field) {
  return {ErrorCode::NotFound, "user '" + userName + "' not found", field};
}

Status lastOwner(const std::string& projectId, const std::string& userName) {
  return {ErrorCode::Conflict,
          "user '" + userName + "' is the last owner of project '" + projectId +
              "'; make someone else owner first",
          "role"};
}

}  // namespace

Result<Project> ProjectRepository::createProject(const std::string& name, const std::string& ownerUserName) {
  if (Status bad = checkProjectName(name); !bad.isOk()) return bad;
  return store::writeIn(scope_, "create project", [&](Poco::Data::Session& session) -> Result<Project> {
    const Database& db = *scope_.db;
    auto ownerId = userIdByName(session, db, ownerUserName);
    if (!ownerId) return userNotFound(ownerUserName, "owner");
    Project project{store::newRecordId("prj_"), name, store::utcNow()};
    SqlQuery(session, db, "INSERT INTO projects(id, name, created_at) VALUES (?, ?, ?)")
        .arg(project.id)
        .arg(project.name)
        .arg(project.createdAt)
        .run();
    SqlQuery(session, db,
             "INSERT INTO project_members(project_id, user_id, role, created_at) "
             "VALUES (?, ?, 'owner', ?)")
        .arg(project.id)
        .arg(*ownerId)
        .arg(project.createdAt)
        .run();
    return project;
  });
}

Result<std::optional<Project>> ProjectRepository::getProject(const std::string& projectId) {
  return store::readIn(scope_, "get project '" + projectId + "'",
                       [&](Poco::Data::Session& session) -> Result<std::optional<Project>> {
                         auto rows = SqlQuery(session, *scope_.db,
                                              "SELECT id, name, created_at FROM projects WHERE id = ?")
                                         .arg(projectId)
                                         .rows();
                         if (rows.empty()) return std::optional<Project>();
                         return std::optional<Project>(projectFromRow(rows.front()));
                       });
}

Result<std::vector<Project>> ProjectRepository::listProjects() {
  return store::readIn(scope_, "list projects", [&](Poco::Data::Session& session) -> Result<std::vector<Project>> {
    return projectsFromRows(
        SqlQuery(session, *scope_.db, "SELECT id, name, created_at FROM projects ORDER BY created_at, id").rows());
  });
}

Result<std::vector<Project>> ProjectRepository::listProjectsForUser(const std::string& userName) {
  return store::readIn(scope_, "list projects of user '" + userName + "'",
                       [&](Poco::Data::Session& session) -> Result<std::vector<Project>> {
                         return projectsFromRows(SqlQuery(session, *scope_.db,
                                                          "SELECT p.id, p.name, p.created_at FROM projects p "
                                                          "JOIN project_members m ON m.project_id = p.id "
                                                          "JOIN users u ON u.id = m.user_id "
                                                          "WHERE u.name = ? ORDER BY p.created_at, p.id")
                                                     .arg(userName)
                                                     .rows());
                       });
}

Result<std::vector<Membership>> ProjectRepository::listMembers(const std::string& projectId) {
  return store::readIn(scope_, "list members of project '" + projectId + "'",
                       [&](Poco::Data::Session& session) -> Result<std::vector<Membership>> {
                         const Database& db = *scope_.db;
                         if (SqlQuery(session, db, "SELECT id FROM projects WHERE id = ?").arg(projectId).rows().empty()) {
                           return projectNotFound(projectId);
                         }
                         auto rows = SqlQuery(session, db,
                                              "SELECT u.name, m.role, m.created_at FROM project_members m "
                                              "JOIN users u ON u.id = m.user_id WHERE m.project_id = ? ORDER BY u.name")
                                         .arg(projectId)
                                         .rows();
                         std::vector<Membership> out;
                         out.reserve(rows.size());
                         for (const Row& row : rows) out.push_back({projectId, row[0], roleFromText(row[1]), row[2]});
                         return out;
                       });
}

Result<std::optional<Membership>> ProjectRepository::getMember(const std::string& projectId,
                                                               const std::string& userName) {
  return store::readIn(scope_, "get member '" + userName + "' of project '" + projectId + "'",
                       [&](Poco::Data::Session& session) -> Result<std::optional<Membership>> {
                         auto rows = SqlQuery(session, *scope_.db,
                                              "SELECT m.role, m.created_at FROM project_members m "
                                              "JOIN users u ON u.id = m.user_id WHERE m.project_id = ? AND u.name = ?")
                                         .arg(projectId)
                                         .arg(userName)
                                         .rows();
                         if (rows.empty()) return std::optional<Membership>();
                         return std::optional<Membership>(
                             Membership{projectId, userName, roleFromText(rows.front()[0]), rows.front()[1]});
                       });
}

Result<Membership> ProjectRepository::putMember(const std::string& projectId, const std::string& userName, Role role) {
  return store::writeIn(
      scope_, "put member '" + userName + "' of project '" + projectId + "'",
      [&](Poco::Data::Session& session) -> Result<Membership> {
        const Database& db = *scope_.db;
        if (!store::lockProject(session, db, projectId)) return projectNotFound(projectId);
        auto userId = userIdByName(session, db, userName);
        if (!userId) return userNotFound(userName, "user");
        auto current = currentMembership(session, db, projectId, *userId);
        Membership membership{projectId, userName, role, current ? current->createdAt : store::utcNow()};
        if (current && current->role == Role::Owner && role != Role::Owner && ownerCount(session, db, projectId) <= 1) {
          return lastOwner(projectId, userName);
        }
        if (current) {
          SqlQuery(session, db, "UPDATE project_members SET role = ? WHERE project_id = ? AND user_id = ?")
              .arg(toString(role))
              .arg(projectId)
              .arg(*userId)
              .run();
        } else {
          SqlQuery(session, db,
                   "INSERT INTO project_members(project_id, user_id, role, created_at) "
                   "VALUES (?, ?, ?, ?)")
              .arg(projectId)
              .arg(*userId)
              .arg(toString(role))
              .arg(membership.createdAt)
              .run();
        }
        return membership;
      });
}

Status ProjectRepository::deleteMember(const std::string& projectId, const std::string& userName) {
  return store::writeIn(scope_, "delete member '" + userName + "' of project '" + projectId + "'",
                        [&](Poco::Data::Session& session) -> Status {
                          const Database& db = *scope_.db;
                          if (!store::lockProject(session, db, projectId)) return projectNotFound(projectId);
                          auto userId = userIdByName(session, db, userName);
                          auto current = userId ? currentMembership(session, db, projectId, *userId) : std::nullopt;
                          if (!current) {
                            return {ErrorCode::NotFound,
                                    "user '" + userName + "' is not a member of project '" + projectId + "'", "user"};
                          }
                          if (current->role == Role::Owner && ownerCount(session, db, projectId) <= 1) {
                            return lastOwner(projectId, userName);
                          }
                          SqlQuery(session, db, "DELETE FROM project_members WHERE project_id = ? AND user_id = ?")
                              .arg(projectId)
                              .arg(*userId)
                              .run();
                          return Status::ok();
                        });
}

}  // namespace sb
