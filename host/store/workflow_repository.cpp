#include "store/workflow_repository.hpp"

#include "store/record_ids.hpp"
#include "store/sql_query.hpp"
#include "store/sql_scope.hpp"

namespace sb {
namespace {

using store::Row;
using store::SqlQuery;
using store::toFlag;

constexpr const char* kColumns =
    "SELECT project_id, id, path, name, description, parameters_json, steps_json, source, active, orphaned,"
    " problem_json, created_at, updated_at FROM workflows";

WorkflowRecord fromRow(const Row& row) {
  return {row[0], row[1], row[2], row[3], row[4], row[5], row[6],
          row[7], toFlag(row[8]), toFlag(row[9]), row[10], row[11], row[12]};
}

}  // namespace

Result<std::vector<WorkflowRecord>> WorkflowRepository::list(const std::string& projectId) {
  return store::readIn(scope_, "list workflows", [&](Poco::Data::Session& session) -> Result<std::vector<WorkflowRecord>> {
    std::vector<WorkflowRecord> out;
    for (const Row& row : SqlQuery(session, *scope_.db, std::string(kColumns) + " WHERE project_id = ? ORDER BY name, id")
                              .arg(projectId)
                              .rows()) {
      out.push_back(fromRow(row));
    }
    return out;
  });
}

Result<std::optional<WorkflowRecord>> WorkflowRepository::get(const std::string& projectId, const std::string& id) {
  return store::readIn(scope_, "read workflow",
                       [&](Poco::Data::Session& session) -> Result<std::optional<WorkflowRecord>> {
                         auto rows = SqlQuery(session, *scope_.db,
                                              std::string(kColumns) + " WHERE project_id = ? AND id = ?")
                                         .arg(projectId)
                                         .arg(id)
                                         .rows();
                         if (rows.empty()) return std::optional<WorkflowRecord>();
                         return std::optional<WorkflowRecord>(fromRow(rows.front()));
                       });
}

Status WorkflowRepository::upsertFromFile(const WorkflowRecord& record) {
  return store::writeIn(scope_, "derive workflow", [&](Poco::Data::Session& session) -> Status {
    const std::string now = store::utcNow();
    SqlQuery(session, *scope_.db,
             "UPDATE workflows SET orphaned = 1, updated_at = ? WHERE project_id = ? AND path = ? AND id <> ?")
        .arg(now)
        .arg(record.projectId)
        .arg(record.path)
        .arg(record.id)
        .run();
    SqlQuery(session, *scope_.db,
             "INSERT INTO workflows(project_id, id, path, name, description, parameters_json, steps_json, source,"
             " active, orphaned, problem_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 0, '', ?, ?)"
             " ON CONFLICT (project_id, id) DO UPDATE SET path = excluded.path, name = excluded.name,"
             " description = excluded.description, parameters_json = excluded.parameters_json,"
             " steps_json = excluded.steps_json, source = excluded.source, orphaned = 0, problem_json = '',"
             " updated_at = excluded.updated_at")
        .arg(record.projectId)
        .arg(record.id)
        .arg(record.path)
        .arg(record.name)
        .arg(record.description)
        .arg(record.parametersJson)
        .arg(record.stepsJson)
        .arg(record.source)
        .arg(now)
        .arg(now)
        .run();
    return Status::ok();
  });
}

Status WorkflowRepository::orphanAtPath(const std::string& projectId, const std::string& path) {
  return store::writeIn(scope_, "orphan workflows", [&](Poco::Data::Session& session) -> Status {
    SqlQuery(session, *scope_.db, "UPDATE workflows SET orphaned = 1, updated_at = ? WHERE project_id = ? AND path = ?")
        .arg(store::utcNow())
        .arg(projectId)
        .arg(path)
        .run();
    return Status::ok();
  });
}

Status WorkflowRepository::setProblemAtPath(const std::string& projectId, const std::string& path,
                                            const std::string& problemJson) {
  return store::writeIn(scope_, "record workflow problem", [&](Poco::Data::Session& session) -> Status {
    SqlQuery(session, *scope_.db,
             "UPDATE workflows SET problem_json = ?, updated_at = ? WHERE project_id = ? AND path = ? AND orphaned = 0")
        .arg(problemJson)
        .arg(store::utcNow())
        .arg(projectId)
        .arg(path)
        .run();
    return Status::ok();
  });
}

Status WorkflowRepository::deactivate(const std::string& projectId, const std::string& id) {
  return store::writeIn(scope_, "deactivate workflow", [&](Poco::Data::Session& session) -> Status {
    SqlQuery(session, *scope_.db, "UPDATE workflows SET active = 0, updated_at = ? WHERE project_id = ? AND id = ?")
        .arg(store::utcNow())
        .arg(projectId)
        .arg(id)
        .run();
    return Status::ok();
  });
}

Status WorkflowRepository::mergeInto(const std::string& projectId, const std::string& from, const std::string& to) {
  return store::writeIn(scope_, "replace workflow", [&](Poco::Data::Session& session) -> Status {
    SqlQuery(session, *scope_.db, "UPDATE workflow_runs SET workflow_id = ? WHERE project_id = ? AND workflow_id = ?")
        .arg(to)
        .arg(projectId)
        .arg(from)
        .run();
    SqlQuery(session, *scope_.db, "DELETE FROM workflows WHERE project_id = ? AND id = ?").arg(projectId).arg(from).run();
    return Status::ok();
  });
}

Status WorkflowRepository::recordRun(const WorkflowRun& run) {
  return store::writeIn(scope_, "record workflow run", [&](Poco::Data::Session& session) -> Status {
    SqlQuery(session, *scope_.db,
             "INSERT INTO workflow_runs(id, project_id, workflow_id, action_ids, user_id, created_at)"
             " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")
        .arg(run.id)
        .arg(run.projectId)
        .arg(run.workflowId)
        .arg(run.actionIdsJson)
        .arg(run.userId)
        .arg(store::utcNow())
        .run();
    return Status::ok();
  });
}

Result<std::optional<WorkflowRun>> WorkflowRepository::getRun(const std::string& projectId, const std::string& runId) {
  return store::readIn(scope_, "read workflow run", [&](Poco::Data::Session& session) -> Result<std::optional<WorkflowRun>> {
    auto rows = SqlQuery(session, *scope_.db,
                         "SELECT id, project_id, workflow_id, action_ids, user_id, created_at FROM workflow_runs"
                         " WHERE project_id = ? AND id = ?")
                    .arg(projectId)
                    .arg(runId)
                    .rows();
    if (rows.empty()) return std::optional<WorkflowRun>();
    const Row& row = rows.front();
    return std::optional<WorkflowRun>(WorkflowRun{row[0], row[1], row[2], row[3], row[4], row[5]});
  });
}

Result<int> WorkflowRepository::runCount(const std::string& projectId, const std::string& workflowId) {
  return store::readIn(scope_, "count workflow runs", [&](Poco::Data::Session& session) -> Result<int> {
    auto rows = SqlQuery(session, *scope_.db,
                         "SELECT COUNT(*) FROM workflow_runs WHERE project_id = ? AND workflow_id = ?")
                    .arg(projectId)
                    .arg(workflowId)
                    .rows();
    return store::toInt(rows.at(0).at(0));
  });
}

}  // namespace sb
