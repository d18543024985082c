// A plugin's free-form `settings:` mapping as JSON object text (what the
// plugin receives). Plain scalars are typed by the YAML 1.2 core schema
// (int, float, bool, null); quoted scalars stay strings. `${VAR}` is
// interpolated first, so `${PORT}` can become a number.
// Internal to sb_config. Thread-safety: one parse, one thread.
#pragma once

#include <string>

#include <yaml-cpp/yaml.h>

#include "config/config_source.hpp"

namespace sb::config {

// `settings` must be a mapping or null (null -> "{}"). Errors carry `path`
// (e.g. plugins.enabled[0].settings.owner) and the offending node's location.
Result<std::string> settingsToJson(const YAML::Node& settings, const std::string& path,
                                   const ConfigSource& source);

}  // namespace sb::config
