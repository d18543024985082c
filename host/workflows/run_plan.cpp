#include "workflows/run_plan.hpp"

#include <algorithm>
#include <sstream>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "workflows/param_substitution.hpp"

namespace sb::workflows {
namespace {

bool fitsType(const Poco::Dynamic::Var& value, const std::string& type) {
  if (type == "string") return value.isString();
  if (type == "boolean") return value.isBoolean();
  return value.isInteger() && !value.isBoolean();
}

Poco::JSON::Object::Ptr objectOf(const std::string& json) {
  try {
    return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    return nullptr;
  }
}

std::string textOf(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

Status expand(const WorkflowLookup& lookup, const RunnableWorkflow& workflow, const std::string& paramsJson,
              const std::string& path, std::vector<std::string>& callStack, std::vector<PlannedAction>& out) {
  if (!workflow.active) {
    return Status(ErrorCode::Conflict, "workflow '" + workflow.id + "' is deactivated; a run of it is refused");
  }
  auto checked = checkedParams(workflow, paramsJson);
  if (!checked) return checked.status();
  const Poco::JSON::Object::Ptr values = objectOf(*checked);
  callStack.push_back(workflow.id);
  for (std::size_t i = 0; i < workflow.steps.size(); ++i) {
    const WorkflowStep& step = workflow.steps[i];
    const std::string here = path + "/" + std::to_string(i);
    auto stepParams = substituteParams(step.paramsJson, *values, workflow.parameters,
                                       "step " + std::to_string(i + 1) + " of workflow '" + workflow.id + "'");
    if (!stepParams) return stepParams.status();
    if (!step.isCall()) {
      out.push_back({workflow.id, here, step.provider, step.action, *stepParams});
      continue;
    }
    if (std::find(callStack.begin(), callStack.end(), step.workflow) != callStack.end()) {
      std::string cycle;
      for (const std::string& id : callStack) cycle += id + " -> ";
      return Status(ErrorCode::InvalidArgument, "the workflow calls form a cycle: " + cycle + step.workflow, "steps");
    }
    const std::optional<RunnableWorkflow> called = lookup(step.workflow);
    if (!called) {
      return Status(ErrorCode::InvalidArgument,
                    "step " + std::to_string(i) + " of workflow '" + workflow.id + "' calls unknown workflow '" +
                        step.workflow + "'",
                    "steps");
    }
    if (Status nested = expand(lookup, *called, *stepParams, here + "/" + called->id, callStack, out); !nested) {
      return nested;
    }
  }
  callStack.pop_back();
  return Status::ok();
}

}  // namespace

Result<std::string> checkedParams(const RunnableWorkflow& workflow, const std::string& paramsJson) {
  const Poco::JSON::Object::Ptr given = objectOf(paramsJson);
  if (given.isNull()) return Status(ErrorCode::InvalidArgument, "params must be a JSON object", "params");
  Poco::JSON::Object out(*given);
  for (const auto& [name, value] : *given) {
    const auto declared = std::find_if(workflow.parameters.begin(), workflow.parameters.end(),
                                       [&](const WorkflowParameter& parameter) { return parameter.name == name; });
    if (declared == workflow.parameters.end()) {
      return Status(ErrorCode::InvalidArgument, "workflow '" + workflow.id + "' has no parameter '" + name + "'",
                    "params." + name);
    }
    if (!fitsType(value, declared->type)) {
      return Status(ErrorCode::InvalidArgument, "parameter '" + name + "' must be of type " + declared->type,
                    "params." + name);
    }
  }
  for (const WorkflowParameter& parameter : workflow.parameters) {
    if (given->has(parameter.name)) continue;
    if (parameter.required) {
      return Status(ErrorCode::InvalidArgument,
                    "workflow '" + workflow.id + "' requires parameter '" + parameter.name + "'",
                    "params." + parameter.name);
    }
    if (!parameter.defaultJson.empty()) out.set(parameter.name, defaultValue(parameter));
  }
  return textOf(out);
}

Result<std::vector<PlannedAction>> planRun(const WorkflowLookup& lookup, const RunnableWorkflow& root,
                                           const std::string& paramsJson) {
  std::vector<PlannedAction> out;
  std::vector<std::string> callStack;
  if (Status expanded = expand(lookup, root, paramsJson, root.id, callStack, out); !expanded) return expanded;
  return out;
}

}  // namespace sb::workflows
