// Where the plugins built from tests/plugins live, and the host's ABI
// version, for the unit_plugins tests. Thread-safety: constants only.
#pragma once

#include <string>

#include <switchboard/abi.h>

namespace sb::test {

// "major.minor" of the ABI this host implements, as loader messages print it.
inline std::string hostAbi() {
  return std::to_string(SB_ABI_VERSION_MAJOR) + "." + std::to_string(SB_ABI_VERSION_MINOR);
}

inline std::string testPluginDir() { return SWITCHBOARD_TEST_PLUGIN_DIR; }
inline std::string testPluginPath(const std::string& name) {
  return testPluginDir() + "/" + name + ".so";
}

}  // namespace sb::test
