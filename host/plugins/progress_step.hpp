// One structured progress step a plugin reports through host_progress_step
// (ABI 1.2), e.g. {"step":"create-deployment","label":"Creating deployment",
// "state":"running","done":1,"total":3}. The host checks every step before a
// caller sees it: a malformed one is refused here, then dropped and logged.
// Thread-safety: plain values and a pure function.
#pragma once

#include <cstdint>
#include <string>

#include <switchboard/host.hpp>

#include "core/result.hpp"

namespace sb {

// One list of states for plugins and host: the SDK's ("running", "succeeded",
// "failed", "skipped").
using StepState = switchboard::StepState;
using switchboard::stepStateName;

struct PluginStep {
  std::string step;   // stable id: [a-z0-9][a-z0-9-]*, at most 64 bytes
  std::string label;  // display text, 1..200 bytes
  StepState state = StepState::Running;
  uint64_t done = 0;
  uint64_t total = 0;   // 0 = unknown; otherwise done <= total
  std::string detail;   // optional, at most 500 bytes

  std::string toJson() const;  // the canonical form (the keys above; detail only when set)
};

// The step `json` describes, or InvalidArgument naming the field and the
// reason. Longer than SB_MAX_STEP_JSON bytes is refused unread; keys it does
// not know are ignored (a newer plugin may send more).
Result<PluginStep> parseProgressStep(const std::string& json);

}  // namespace sb
