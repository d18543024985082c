#include "workflows/workflow_derivation.hpp"

#include "core/json_text.hpp"
#include "store/store.hpp"
#include "workspace/blob_sha.hpp"
#include "workflows/workflow_file.hpp"

namespace sb::workflows {

Result<std::optional<WorkflowProblem>> deriveFromFile(Repositories& repositories, const std::string& projectId, const std::string& path,
                      const std::string* content) {
  using Outcome = std::optional<WorkflowProblem>;
  if (!isWorkflowPath(path)) return Outcome();
  WorkflowRepository& workflows = repositories.workflows();
  if (content == nullptr) {
    if (Status orphaned = workflows.orphanAtPath(projectId, path); !orphaned) return orphaned;
    return Outcome();
  }
  const ParsedWorkflow parsed = parseWorkflowFile(path, *content);
  if (!parsed.definition) {
    if (Status recorded = workflows.setProblemAtPath(projectId, path, jsonText(*problemJson(parsed.problem)));
        !recorded) {
      return recorded;
    }
    return Outcome(parsed.problem);
  }
  const WorkflowDefinition& definition = *parsed.definition;
  WorkflowRecord record;
  record.projectId = projectId;
  record.id = definition.id;
  record.path = path;
  record.name = definition.name;
  record.description = definition.description;
  record.parametersJson = parametersJson(definition.parameters);
  record.stepsJson = stepsJson(definition.steps);
  record.source = *content;
  if (Status upserted = workflows.upsertFromFile(record); !upserted) return upserted;
  return Outcome();
}

Result<FileWrite> putAndDerive(Repositories& repositories, const std::string& projectId, const std::string& path,
                               const std::string& content, const FileCondition& condition,
                               std::optional<WorkflowProblem>* problem) {
  auto written = repositories.workspace().put(projectId, path, content, workspace::gitBlobSha(content), condition);
  if (!written || *written == FileWrite::PreconditionFailed) return written;
  auto derived = deriveFromFile(repositories, projectId, path, &content);
  if (!derived) return derived.status();
  if (problem != nullptr) *problem = *derived;
  return written;
}

}  // namespace sb::workflows
