// One workflow file, `workflows/<name>.yaml`, parsed into a definition or a
// problem with file:line:column. Pure: no store, no I/O; yaml-cpp exceptions
// stop here. Thread-safety: free functions, safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>

namespace sb::workflows {

struct WorkflowParameter {
  std::string name;
  std::string type;  // string | integer | boolean
  bool required = false;
  std::string defaultJson;  // "" = no default; otherwise a JSON scalar
};

// A quick action {provider, action, params} or a call {workflow, params}.
struct WorkflowStep {
  std::string provider;
  std::string action;
  std::string workflow;  // non-empty: a call of another workflow by id
  std::string paramsJson = "{}";
  bool isCall() const { return !workflow.empty(); }
};

struct WorkflowDefinition {
  std::string id;  // a UUID
  std::string name;
  std::string description;
  std::vector<WorkflowParameter> parameters;
  std::vector<WorkflowStep> steps;
};

// Where and why a file is not a workflow; line and column count from 1.
struct WorkflowProblem {
  std::string file;
  int line = 1;
  int column = 1;
  std::string message;
  std::string text() const;  // "file:line:column: message"
};

// {file, line, column, message}: how the store and the API show a problem.
Poco::JSON::Object::Ptr problemJson(const WorkflowProblem& problem);

struct ParsedWorkflow {
  std::optional<WorkflowDefinition> definition;
  WorkflowProblem problem;  // meaningful when definition is empty
};

// Whether `path` is a workflow file: workflows/<name>.yaml, one level deep.
bool isWorkflowPath(const std::string& path);

ParsedWorkflow parseWorkflowFile(const std::string& path, const std::string& text);

// JSON of the parameters and steps, as the store keeps them and the API shows them.
std::string parametersJson(const std::vector<WorkflowParameter>& parameters);
std::string stepsJson(const std::vector<WorkflowStep>& steps);
std::vector<WorkflowParameter> parametersFromJson(const std::string& json);
// A parameter's defaultJson as a value (Poco's parser takes no bare scalar).
Poco::Dynamic::Var defaultValue(const WorkflowParameter& parameter);
std::vector<WorkflowStep> stepsFromJson(const std::string& json);

}  // namespace sb::workflows
