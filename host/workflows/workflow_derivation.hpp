// Keeps the workflows table in step with the workspace files: called for every
// file a write, a delete or a sync pull touches, inside the same unit of work,
// so the files and the workflows derived from them commit together.
// Thread-safety: as the Repositories passed (a Tx: its own thread).
#pragma once

#include <string>

#include <optional>

#include "core/result.hpp"
#include "store/workspace_repository.hpp"
#include "workflows/workflow_file.hpp"

namespace sb {
class Repositories;
}

namespace sb::workflows {

// `content` null = the file is gone. Paths that are not workflow files are ignored.
// A valid file upserts its workflow by id; an invalid one leaves the last good
// definition and records the problem (also returned, so a writer can be told
// even when no earlier definition exists); a gone file orphans its workflows.
Result<std::optional<WorkflowProblem>> deriveFromFile(Repositories& repositories, const std::string& projectId, const std::string& path,
                      const std::string* content);

// Writes a workspace file if `condition` holds and derives it, both through
// `repositories` (a Tx: one unit of work). `problem`, when given, receives the
// file's problem as a workflow.
Result<FileWrite> putAndDerive(Repositories& repositories, const std::string& projectId, const std::string& path,
                               const std::string& content, const FileCondition& condition,
                               std::optional<WorkflowProblem>* problem = nullptr);

}  // namespace sb::workflows
