// The workflows derived from workspace files (migration 8) and their runs.
// Rows are keyed by (project, workflow id) and updated in place when their
// file changes: never deleted and re-inserted, so run history stays attached.
// The parsing lives in host/workflows; this module stores what it derived.
// Thread-safety: as its Scope (store/scope.hpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/scope.hpp"

namespace sb {

struct WorkflowRecord {
  std::string projectId;
  std::string id;
  std::string path;  // the file it was last derived from
  std::string name;
  std::string description;
  std::string parametersJson = "[]";
  std::string stepsJson = "[]";
  std::string source;  // that file's last good text
  bool active = true;
  bool orphaned = false;
  std::string problemJson;  // "" = none; else {file, line, column, message}
  std::string createdAt;
  std::string updatedAt;
};

// One run: the quick actions it started, in step order.
struct WorkflowRun {
  std::string id;
  std::string projectId;
  std::string workflowId;
  std::string actionIdsJson = "[]";
  std::string userId;
  std::string createdAt;
};

class WorkflowRepository {
 public:
  explicit WorkflowRepository(store::Scope scope) : scope_(scope) {}

  Result<std::vector<WorkflowRecord>> list(const std::string& projectId);  // by name, id
  Result<std::optional<WorkflowRecord>> get(const std::string& projectId, const std::string& id);

  // The definition `record` carries becomes current: updated by id when the
  // row exists (active kept; orphaned and problem cleared), inserted
  // otherwise. Every other row derived from the same path is orphaned: the
  // file now declares another id.
  Status upsertFromFile(const WorkflowRecord& record);
  // The file at `path` is gone: its workflows are orphaned, definitions kept.
  Status orphanAtPath(const std::string& projectId, const std::string& path);
  // The file at `path` is not a workflow now: its rows keep their definition
  // and show `problemJson`.
  Status setProblemAtPath(const std::string& projectId, const std::string& path, const std::string& problemJson);
  Status deactivate(const std::string& projectId, const std::string& id);
  // Moves the runs of `from` to `to`, then removes `from` (replace).
  Status mergeInto(const std::string& projectId, const std::string& from, const std::string& to);

  // Records a run once: a repeated id (the same Idempotency-Key) changes nothing.
  Status recordRun(const WorkflowRun& run);
  Result<std::optional<WorkflowRun>> getRun(const std::string& projectId, const std::string& runId);
  Result<int> runCount(const std::string& projectId, const std::string& workflowId);

 private:
  store::Scope scope_;
};

}  // namespace sb
