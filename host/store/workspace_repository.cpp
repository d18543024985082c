#include "store/workspace_repository.hpp"

#include "core/base64_text.hpp"
#include "store/record_ids.hpp"
#include "store/sql_query.hpp"
#include "store/sql_scope.hpp"

namespace sb {
namespace {

using store::Database;
using store::Row;
using store::SqlQuery;
using store::toFlag;
using store::toInt64;

constexpr const char* kJobColumns =
    "SELECT id, project_id, user_id, state, request_json, progress_json, result_json, error_json, lease_owner,"
    " lease_expires_ms, created_at, updated_at FROM sync_jobs";

SyncJobState jobStateFrom(const std::string& text) {
  for (SyncJobState state : {SyncJobState::Pending, SyncJobState::Running, SyncJobState::Succeeded}) {
    if (text == toString(state)) return state;
  }
  return SyncJobState::Failed;  // the CHECK constraint admits only the four names
}

SyncJobRecord jobFromRow(const Row& row) {
  SyncJobRecord out;
  out.id = row[0];
  out.projectId = row[1];
  out.userId = row[2];
  out.state = jobStateFrom(row[3]);
  out.requestJson = row[4];
  out.progressJson = row[5];
  out.resultJson = row[6];
  out.errorJson = row[7];
  out.leaseOwner = row[8];
  out.leaseExpiresMs = toInt64(row[9]);
  out.createdAt = row[10];
  out.updatedAt = row[11];
  return out;
}

std::optional<WorkspaceFile> selectFile(Poco::Data::Session& session, const Database& db, const std::string& projectId,
                                        const std::string& path, bool withContent) {
  auto rows = SqlQuery(session, db,
                       withContent ? "SELECT path, blob_sha, size, base_sha, deleted, updated_at, content"
                                     " FROM workspace_files WHERE project_id = ? AND path = ?"
                                   : "SELECT path, blob_sha, size, base_sha, deleted, updated_at"
                                     " FROM workspace_files WHERE project_id = ? AND path = ?")
                  .arg(projectId)
                  .arg(path)
                  .rows();
  if (rows.empty()) return std::nullopt;
  const Row& row = rows.front();
  WorkspaceFile file{row[0], "", row[1], toInt64(row[2]), row[3], toFlag(row[4]), row[5]};
  if (withContent) {
    // Only this module writes the column, always as base64 of the bytes.
    file.content = decodeBase64(row[6]).value_or(std::string());
  }
  return file;
}

// The precondition against the live file (a tombstone is no file).
bool conditionHolds(const std::optional<WorkspaceFile>& current, const FileCondition& condition) {
  const bool live = current && !current->deleted;
  if (condition.mustNotExist && live) return false;
  if (!condition.ifMatch) return true;
  if (!live) return false;
  for (const std::string& tag : *condition.ifMatch) {
    if (tag == "*" || tag == current->blobSha) return true;
  }
  return false;
}

Status projectMissing(const std::string& projectId) {
  return {ErrorCode::NotFound, "project '" + projectId + "' not found", "id"};
}

}  // namespace

const char* toString(SyncJobState state) {
  switch (state) {
    case SyncJobState::Pending: return "pending";
    case SyncJobState::Running: return "running";
    case SyncJobState::Succeeded: return "succeeded";
    case SyncJobState::Failed: return "failed";
  }
  return "failed";
}

Result<std::vector<WorkspaceFile>> WorkspaceRepository::list(const std::string& projectId) {
  return store::readIn(scope_, "list workspace files",
                       [&](Poco::Data::Session& session) -> Result<std::vector<WorkspaceFile>> {
                         auto rows = SqlQuery(session, *scope_.db,
                                              "SELECT path, blob_sha, size, base_sha, deleted, updated_at"
                                              " FROM workspace_files WHERE project_id = ? ORDER BY path")
                                         .arg(projectId)
                                         .rows();
                         std::vector<WorkspaceFile> out;
                         out.reserve(rows.size());
                         for (const Row& row : rows) {
                           out.push_back({row[0], "", row[1], toInt64(row[2]), row[3], toFlag(row[4]), row[5]});
                         }
                         return out;
                       });
}

Result<std::optional<WorkspaceFile>> WorkspaceRepository::get(const std::string& projectId, const std::string& path) {
  return store::readIn(scope_, "read workspace file",
                       [&](Poco::Data::Session& session) -> Result<std::optional<WorkspaceFile>> {
                         return selectFile(session, *scope_.db, projectId, path, true);
                       });
}

Result<FileWrite> WorkspaceRepository::put(const std::string& projectId, const std::string& path,
                                           const std::string& content, const std::string& blobSha,
                                           const FileCondition& condition) {
  return store::writeIn(scope_, "write workspace file", [&](Poco::Data::Session& session) -> Result<FileWrite> {
    const Database& db = *scope_.db;
    if (!store::lockProject(session, db, projectId)) return projectMissing(projectId);
    const std::optional<WorkspaceFile> current = selectFile(session, db, projectId, path, false);
    if (!conditionHolds(current, condition)) return FileWrite::PreconditionFailed;
    const std::string now = store::utcNow();
    if (current) {
      SqlQuery(session, db,
               "UPDATE workspace_files SET content = ?, blob_sha = ?, size = ?, deleted = 0, updated_at = ?"
               " WHERE project_id = ? AND path = ?")
          .arg(encodeBase64Url(content))
          .arg(blobSha)
          .arg(static_cast<std::int64_t>(content.size()))
          .arg(now)
          .arg(projectId)
          .arg(path)
          .run();
      return current->deleted ? FileWrite::Created : FileWrite::Replaced;
    }
    SqlQuery(session, db,
             "INSERT INTO workspace_files(project_id, path, content, blob_sha, size, base_sha, deleted, updated_at)"
             " VALUES (?, ?, ?, ?, ?, '', 0, ?)")
        .arg(projectId)
        .arg(path)
        .arg(encodeBase64Url(content))
        .arg(blobSha)
        .arg(static_cast<std::int64_t>(content.size()))
        .arg(now)
        .run();
    return FileWrite::Created;
  });
}

Result<FileWrite> WorkspaceRepository::remove(const std::string& projectId, const std::string& path,
                                              const FileCondition& condition) {
  return store::writeIn(scope_, "delete workspace file", [&](Poco::Data::Session& session) -> Result<FileWrite> {
    const Database& db = *scope_.db;
    if (!store::lockProject(session, db, projectId)) return projectMissing(projectId);
    const std::optional<WorkspaceFile> current = selectFile(session, db, projectId, path, false);
    if (!conditionHolds(current, condition)) return FileWrite::PreconditionFailed;
    if (!current || current->deleted) return FileWrite::Missing;
    if (current->baseSha.empty()) {
      SqlQuery(session, db, "DELETE FROM workspace_files WHERE project_id = ? AND path = ?")
          .arg(projectId)
          .arg(path)
          .run();
    } else {
      SqlQuery(session, db,
               "UPDATE workspace_files SET content = '', blob_sha = '', size = 0, deleted = 1, updated_at = ?"
               " WHERE project_id = ? AND path = ?")
          .arg(store::utcNow())
          .arg(projectId)
          .arg(path)
          .run();
    }
    return FileWrite::Removed;
  });
}

Status WorkspaceRepository::applySynced(const std::string& projectId, const std::vector<SyncedFile>& files) {
  return store::writeIn(scope_, "apply sync", [&](Poco::Data::Session& session) -> Status {
    const Database& db = *scope_.db;
    if (!store::lockProject(session, db, projectId)) return projectMissing(projectId);
    const std::string now = store::utcNow();
    for (const SyncedFile& file : files) {
      if (file.sha.empty()) {  // absent on both sides now: no row, no tombstone
        SqlQuery(session, db, "DELETE FROM workspace_files WHERE project_id = ? AND path = ?")
            .arg(projectId)
            .arg(file.path)
            .run();
      } else if (file.content) {
        SqlQuery(session, db,
                 "INSERT INTO workspace_files(project_id, path, content, blob_sha, size, base_sha, deleted, updated_at)"
                 " VALUES (?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT (project_id, path) DO UPDATE SET"
                 " content = excluded.content, blob_sha = excluded.blob_sha, size = excluded.size,"
                 " base_sha = excluded.base_sha, deleted = 0, updated_at = excluded.updated_at")
            .arg(projectId)
            .arg(file.path)
            .arg(encodeBase64Url(*file.content))
            .arg(file.sha)
            .arg(static_cast<std::int64_t>(file.content->size()))
            .arg(file.sha)
            .arg(now)
            .run();
      } else {
        SqlQuery(session, db, "UPDATE workspace_files SET base_sha = ? WHERE project_id = ? AND path = ?")
            .arg(file.sha)
            .arg(projectId)
            .arg(file.path)
            .run();
      }
    }
    return Status::ok();
  });
}

Result<std::string> WorkspaceRepository::remoteHead(const std::string& projectId) {
  return store::readIn(scope_, "read sync state", [&](Poco::Data::Session& session) -> Result<std::string> {
    auto rows = SqlQuery(session, *scope_.db, "SELECT remote_head FROM sync_state WHERE project_id = ?")
                    .arg(projectId)
                    .rows();
    return rows.empty() ? std::string() : rows.front()[0];
  });
}

Status WorkspaceRepository::setRemoteHead(const std::string& projectId, const std::string& head) {
  return store::writeIn(scope_, "record sync state", [&](Poco::Data::Session& session) -> Status {
    SqlQuery(session, *scope_.db,
             "INSERT INTO sync_state(project_id, remote_head, synced_at) VALUES (?, ?, ?)"
             " ON CONFLICT (project_id) DO UPDATE SET remote_head = excluded.remote_head,"
             " synced_at = excluded.synced_at")
        .arg(projectId)
        .arg(head)
        .arg(store::utcNow())
        .run();
    return Status::ok();
  });
}

Status WorkspaceRepository::insertJob(const SyncJobRecord& job, std::int64_t nowMs) {
  return store::writeIn(scope_, "start sync job", [&](Poco::Data::Session& session) -> Status {
    const Database& db = *scope_.db;
    if (!store::lockProject(session, db, job.projectId)) return projectMissing(job.projectId);
    const std::string now = store::utcNow();
    SqlQuery(session, db,
             "UPDATE sync_jobs SET state = 'failed', error_json = ?, lease_owner = '', updated_at = ?"
             " WHERE project_id = ? AND state IN ('pending','running') AND lease_expires_ms < ?")
        .arg(std::string(R"({"code":"interrupted","detail":"the instance running this sync stopped"})"))
        .arg(now)
        .arg(job.projectId)
        .arg(nowMs)
        .run();
    auto active = SqlQuery(session, db,
                           "SELECT id FROM sync_jobs WHERE project_id = ? AND state IN ('pending','running')")
                      .arg(job.projectId)
                      .rows();
    if (!active.empty()) {
      return {ErrorCode::Conflict, "a sync of this project is already running (job " + active.front()[0] + ")"};
    }
    // The partial unique index is the real guard: with the project row
    // locked (PostgreSQL) or the write lock held (SQLite) the check above
    // cannot go stale, and should it ever, this insert fails instead.
    SqlQuery(session, db,
             "INSERT INTO sync_jobs(id, project_id, user_id, state, request_json, progress_json, result_json,"
             " error_json, lease_owner, lease_expires_ms, created_at, updated_at)"
             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .arg(job.id)
        .arg(job.projectId)
        .arg(job.userId)
        .arg(toString(job.state))
        .arg(job.requestJson)
        .arg(job.progressJson)
        .arg(job.resultJson)
        .arg(job.errorJson)
        .arg(job.leaseOwner)
        .arg(job.leaseExpiresMs)
        .arg(job.createdAt.empty() ? now : job.createdAt)
        .arg(job.updatedAt.empty() ? now : job.updatedAt)
        .run();
    return Status::ok();
  });
}

Status WorkspaceRepository::updateJob(const SyncJobRecord& job) {
  return store::writeIn(scope_, "update sync job", [&](Poco::Data::Session& session) -> Status {
    SqlQuery(session, *scope_.db,
             "UPDATE sync_jobs SET state = ?, progress_json = ?, result_json = ?, error_json = ?, lease_owner = ?,"
             " lease_expires_ms = ?, updated_at = ? WHERE id = ?")
        .arg(toString(job.state))
        .arg(job.progressJson)
        .arg(job.resultJson)
        .arg(job.errorJson)
        .arg(job.leaseOwner)
        .arg(job.leaseExpiresMs)
        .arg(store::utcNow())
        .arg(job.id)
        .run();
    return Status::ok();
  });
}

Result<std::optional<SyncJobRecord>> WorkspaceRepository::getJob(const std::string& projectId, const std::string& id) {
  return store::readIn(scope_, "read sync job", [&](Poco::Data::Session& session) -> Result<std::optional<SyncJobRecord>> {
    auto rows = SqlQuery(session, *scope_.db, std::string(kJobColumns) + " WHERE project_id = ? AND id = ?")
                    .arg(projectId)
                    .arg(id)
                    .rows();
    if (rows.empty()) return std::optional<SyncJobRecord>();
    return std::optional<SyncJobRecord>(jobFromRow(rows.front()));
  });
}

Status WorkspaceRepository::renewJobLeases(const std::string& owner, std::int64_t expiresMs) {
  return store::writeIn(scope_, "renew sync leases", [&](Poco::Data::Session& session) -> Status {
    SqlQuery(session, *scope_.db,
             "UPDATE sync_jobs SET lease_expires_ms = ? WHERE lease_owner = ? AND state IN ('pending','running')")
        .arg(expiresMs)
        .arg(owner)
        .run();
    return Status::ok();
  });
}

}  // namespace sb
