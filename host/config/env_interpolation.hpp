// `${VAR}` / `${VAR:-default}` substitution in configuration scalars, so
// secrets and per-host values stay out of the file. `$${` is a literal `${`.
// Internal to sb_config. Thread-safety: pure, given a thread-safe EnvLookup.
#pragma once

#include <string>

#include "config/config.hpp"
#include "core/result.hpp"

namespace sb::config {

// Returns the substituted text, or an InvalidArgument whose message is only
// the reason (the caller adds file:line:column and the key path). The
// message names a missing variable but never echoes any value.
Result<std::string> interpolateEnv(const std::string& text, const EnvLookup& env);

}  // namespace sb::config
