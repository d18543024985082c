// Opens and initialises one plugin from tests/plugins through the host's
// real loader, with default host services; a test failure (and null) when
// that fails. Thread-safety: test-only.
#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "plugins/loaded_plugin.hpp"
#include "plugins/plugin_loader.hpp"
#include "test_plugin_paths.hpp"

namespace sb::test {

inline std::shared_ptr<LoadedPlugin> loadTestPlugin(const std::string& name) {
  Result<OpenedPlugin> opened = openPlugin(testPluginPath(name));
  if (!opened) {
    ADD_FAILURE() << opened.status().message();
    return nullptr;
  }
  auto plugin = LoadedPlugin::initialise(std::move(opened).value(), HostServiceSettings{}, "{}");
  if (!plugin) {
    ADD_FAILURE() << plugin.status().message();
    return nullptr;
  }
  return *plugin;
}

}  // namespace sb::test
