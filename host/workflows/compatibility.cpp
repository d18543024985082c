#include "workflows/compatibility.hpp"

namespace sb::workflows {
namespace {

const WorkflowParameter* named(const std::vector<WorkflowParameter>& parameters, const std::string& name) {
  for (const WorkflowParameter& parameter : parameters) {
    if (parameter.name == name) return &parameter;
  }
  return nullptr;
}

}  // namespace

std::string incompatibility(const std::vector<WorkflowParameter>& orphan,
                            const std::vector<WorkflowParameter>& candidate) {
  for (const WorkflowParameter& needed : orphan) {
    if (!needed.required) continue;
    const WorkflowParameter* taken = named(candidate, needed.name);
    if (taken == nullptr) return "it does not take the required parameter '" + needed.name + "'";
    if (taken->type != needed.type) {
      return "its parameter '" + needed.name + "' is " + taken->type + ", not " + needed.type;
    }
  }
  for (const WorkflowParameter& wanted : candidate) {
    if (!wanted.required) continue;
    const WorkflowParameter* given = named(orphan, wanted.name);
    if (given == nullptr || !given->required) {
      return "it requires '" + wanted.name + "', which callers of the orphan need not pass";
    }
  }
  return "";
}

}  // namespace sb::workflows
