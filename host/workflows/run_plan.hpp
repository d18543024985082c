// What a run of a workflow does, before anything runs: its parameters checked
// against the declaration (defaults filled in), and its steps flattened into
// the quick actions to start, calls of other workflows expanded in place
// with a guard against cycles. Each step's params get the run's parameters
// substituted (workflows/param_substitution.hpp); a call's substituted params
// are the called workflow's run parameters. Pure: the caller supplies the lookup.
// Thread-safety: free functions, safe from any thread.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "workflows/workflow_file.hpp"

namespace sb::workflows {

// A workflow as a run sees it.
struct RunnableWorkflow {
  std::string id;
  bool active = true;
  std::vector<WorkflowParameter> parameters;
  std::vector<WorkflowStep> steps;
};

using WorkflowLookup = std::function<std::optional<RunnableWorkflow>(const std::string& id)>;

// One quick action the run starts; `path` names where it comes from
// ("<root id>/2/<called id>/0"), stable across retries.
struct PlannedAction {
  std::string workflowId;  // the workflow whose step it is
  std::string path;
  std::string provider;
  std::string action;
  std::string paramsJson;  // with the run's parameters substituted
};

// Why a run cannot start: InvalidArgument with `field` (422 at the API),
// Conflict when a workflow in it is deactivated (409).
// `paramsJson` is a JSON object; the result is the params with defaults.
Result<std::string> checkedParams(const RunnableWorkflow& workflow, const std::string& paramsJson);
Result<std::vector<PlannedAction>> planRun(const WorkflowLookup& lookup, const RunnableWorkflow& root,
                                           const std::string& paramsJson);

}  // namespace sb::workflows
