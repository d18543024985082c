// Where a configuration value came from, and how a config error is worded:
// every error is `FILE:LINE:COLUMN: key.path: reason` (1-based), carried as
// an InvalidArgument Status whose field() is the key path.
// Internal to sb_config. Thread-safety: plain values and pure functions.
#pragma once

#include <string>

#include <yaml-cpp/mark.h>

#include "config/config.hpp"
#include "core/result.hpp"

namespace sb::config {

// Everything a section parser needs besides the node it reads.
struct ConfigSource {
  std::string displayName;  // the file name, or "<config>" for in-memory text
  std::string baseDirectory;  // absolute; relative paths resolve against it
  EnvLookup env;
};

// "FILE:LINE:COLUMN" for a yaml-cpp mark (0-based inside yaml-cpp).
std::string describeLocation(const std::string& displayName, const YAML::Mark& mark);

// The uniform error value. An empty keyPath leaves out the "key.path: " part
// (used for malformed YAML, where no key is known).
Status configError(const std::string& displayName, const YAML::Mark& mark,
                   const std::string& keyPath, const std::string& reason);

}  // namespace sb::config
