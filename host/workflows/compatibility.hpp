// Which workflow may stand in for an orphan: it takes every parameter the
// orphan requires, with the same type, and requires nothing more.
// Thread-safety: a pure function.
#pragma once

#include <string>

#include "workflows/workflow_file.hpp"

namespace sb::workflows {

// "" when `candidate` can replace `orphan`; otherwise why not.
std::string incompatibility(const std::vector<WorkflowParameter>& orphan,
                            const std::vector<WorkflowParameter>& candidate);

}  // namespace sb::workflows
