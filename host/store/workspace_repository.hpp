// Workspace files and their sync bookkeeping (migration 6): each project's
// files (bytes, git blob SHA-1, base SHA of the last sync, tombstones for
// local deletes), the remote head of the last sync, and the sync jobs with the
// one-active-job-per-project rule that makes a sync exclusive across
// instances. Content is stored as base64 text so any bytes fit both backends.
//
// Conditional writes (If-Match) compare and write in one transaction with the
// project's writers serialised (lockProject), so a comparison cannot go stale.
// Thread-safety: as its Scope (store/scope.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/scope.hpp"

namespace sb {

struct WorkspaceFile {
  std::string path;
  std::string content;  // the raw bytes; empty in listings
  std::string blobSha;  // git blob SHA-1 hex; "" for a tombstone
  std::int64_t size = 0;
  std::string baseSha;  // remote blob SHA at the last sync; "" = never synced
  bool deleted = false;  // a tombstone: deleted locally, not pushed yet
  std::string updatedAt;
};

// What a conditional write found.
enum class FileWrite { Created, Replaced, Removed, PreconditionFailed, Missing };

// Preconditions on the current live file (a tombstone is no file).
struct FileCondition {
  // If-Match: one of these blob SHAs; {"*"} = any live file; an empty list matches nothing.
  std::optional<std::vector<std::string>> ifMatch;
  bool mustNotExist = false;  // If-None-Match: *
};

// One change a sync applies to the local side (in one unit of work).
struct SyncedFile {
  std::string path;
  std::optional<std::string> content;  // pulled bytes; nullopt = keep the local content
  std::string sha;  // the new base (and, when pulled, blob) SHA; "" = gone on both sides
};

enum class SyncJobState { Pending, Running, Succeeded, Failed };
const char* toString(SyncJobState state);

struct SyncJobRecord {
  std::string id;
  std::string projectId;
  std::string userId;
  SyncJobState state = SyncJobState::Pending;
  std::string requestJson = "{}";
  std::string progressJson = "[]";
  std::string resultJson;
  std::string errorJson;
  std::string leaseOwner;
  std::int64_t leaseExpiresMs = 0;
  std::string createdAt;
  std::string updatedAt;
};

class WorkspaceRepository {
 public:
  explicit WorkspaceRepository(store::Scope scope) : scope_(scope) {}

  // Every file of the project, tombstones included, by path; no content.
  Result<std::vector<WorkspaceFile>> list(const std::string& projectId);
  // One file with its content, tombstone or not; nullopt when there is no row.
  Result<std::optional<WorkspaceFile>> get(const std::string& projectId, const std::string& path);
  // Writes the bytes (and their blob SHA) if `condition` holds. A tombstone
  // counts as absent for the condition and is revived.
  Result<FileWrite> put(const std::string& projectId, const std::string& path, const std::string& content,
                        const std::string& blobSha, const FileCondition& condition);
  // Deletes locally: a synced file becomes a tombstone, a never-synced one
  // goes. Missing when there is no live file.
  Result<FileWrite> remove(const std::string& projectId, const std::string& path, const FileCondition& condition);

  // Applies a sync to the local side: pulled content and new base SHAs. Run
  // inside the unit of work that also records the new head.
  Status applySynced(const std::string& projectId, const std::vector<SyncedFile>& files);
  // The remote head of the last sync ("" = never synced).
  Result<std::string> remoteHead(const std::string& projectId);
  Status setRemoteHead(const std::string& projectId, const std::string& head);

  // Inserts a pending job unless one is pending or running for the project
  // (Conflict then, with the active job's id in the message), after failing
  // active jobs whose lease lapsed before `nowMs` (an instance died).
  Status insertJob(const SyncJobRecord& job, std::int64_t nowMs);
  Status updateJob(const SyncJobRecord& job);
  Result<std::optional<SyncJobRecord>> getJob(const std::string& projectId, const std::string& id);
  Status renewJobLeases(const std::string& owner, std::int64_t expiresMs);

 private:
  store::Scope scope_;
};

}  // namespace sb
