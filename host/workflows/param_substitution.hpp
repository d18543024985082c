// Run parameters in step params: `${{ params.<name> }}` inside any string of
// a step's params (at any depth) is replaced by the run's value of <name>.
// A string that is exactly one reference takes the value with its type
// (integer, boolean, string); a reference embedded in longer text is
// stringified. A declared parameter without a value (optional, no default,
// not given) removes the key (null in an array; "" when embedded). A
// reference to an undeclared name, or a `${{` that is not `params.<name> }}`,
// is InvalidArgument. Pure. Thread-safety: free function, safe from any thread.
#pragma once

#include <string>
#include <vector>

#include <Poco/JSON/Object.h>

#include "core/result.hpp"
#include "workflows/workflow_file.hpp"

namespace sb::workflows {

// `stepParamsJson`: the step's params as written (a JSON object); `values`:
// the run's parameters, checked and with defaults. `where` names the step in
// messages ("step 2 of workflow '<id>'"). Returns the substituted object's JSON.
Result<std::string> substituteParams(const std::string& stepParamsJson, const Poco::JSON::Object& values,
                                     const std::vector<WorkflowParameter>& declared, const std::string& where);

}  // namespace sb::workflows
