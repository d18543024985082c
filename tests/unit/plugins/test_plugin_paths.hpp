// Where the plugins built from tests/plugins live, for the unit_plugins tests.
// Thread-safety: constants only.
#pragma once

#include <string>

namespace sb::test {

inline std::string testPluginDir() { return SWITCHBOARD_TEST_PLUGIN_DIR; }
inline std::string testPluginPath(const std::string& name) {
  return testPluginDir() + "/" + name + ".so";
}

}  // namespace sb::test
