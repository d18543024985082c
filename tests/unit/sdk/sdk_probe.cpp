// sdk_probe <plugin.so>: loads a plugin the way the host does (dlopen, one
// entry symbol) and prints what its descriptor declares, one `key=value` per
// line. Exits 1 with the reason if it cannot load or the descriptor is not
// conformant. Used by the out-of-tree SDK test.
#include <dlfcn.h>

#include <cstdio>
#include <string>

#include "switchboard/conformance.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: sdk_probe <plugin.so>\n");
    return 2;
  }
  void* handle = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    std::fprintf(stderr, "cannot load %s: %s\n", argv[1], dlerror());
    return 1;
  }
  auto entry = reinterpret_cast<sb_plugin_entry_fn>(dlsym(handle, SB_ENTRY_SYMBOL));
  if (entry == nullptr) {
    std::fprintf(stderr, "%s does not export %s\n", argv[1], SB_ENTRY_SYMBOL);
    dlclose(handle);
    return 1;
  }
  const sb_plugin* plugin = entry();
  const auto problems = switchboard::descriptorProblems(plugin);
  if (plugin != nullptr) {
    std::printf("abi=%u.%u\n", plugin->abi_major, plugin->abi_minor);
    std::printf("host_abi=%u.%u\n", SB_ABI_VERSION_MAJOR, SB_ABI_VERSION_MINOR);
  }
  if (plugin != nullptr && problems.empty()) {
    const auto show = [](const char* key, sb_str value) {
      const std::string text(switchboard::toView(value));
      std::printf("%s=%s\n", key, text.c_str());
    };
    show("id", plugin->id);
    show("name", plugin->name);
    show("version", plugin->version);
    std::printf("schemas=%zu\n", plugin->schema_count);
    for (std::size_t i = 0; i < plugin->schema_count; ++i) show("schema", plugin->schemas[i].id);
    std::string capabilities;
    for (const auto& name : switchboard::capabilityNames(*plugin)) capabilities += (capabilities.empty() ? "" : ",") + name;
    std::printf("capabilities=%s\n", capabilities.c_str());
  }
  for (const auto& problem : problems) std::fprintf(stderr, "problem: %s\n", problem.c_str());
  dlclose(handle);
  return problems.empty() ? 0 : 1;
}
