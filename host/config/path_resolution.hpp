// Relative paths in the config are relative to the config file, not to the
// server's working directory, so `./run.sh` from anywhere finds the same files.
// Internal to sb_config. Thread-safety: reads the process cwd; call at start-up.
#pragma once

#include <string>

namespace sb::config {

// Absolute directory of `configFileName`; the current directory when empty.
std::string configDirectory(const std::string& configFileName);

// `path` unchanged when absolute, else `baseDirectory`/`path` with `.` and
// `..` segments folded. An empty path stays empty (it means "not set").
std::string resolveAgainst(const std::string& baseDirectory, const std::string& path);

}  // namespace sb::config
