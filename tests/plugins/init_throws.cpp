// Throws a C++ exception out of on_init, which the C ABI forbids: the host's
// exception barrier must report it instead of letting it unwind further.
#include <stdexcept>

#include <switchboard/abi.h>

namespace {

sb_status onInit(const sb_host_api*, sb_str, void**, sb_output*) {
  throw std::runtime_error("boom from on_init");
}

void onDestroy(void*) {}

sb_plugin makeDescriptor() {
  sb_plugin plugin{};
  plugin.abi_major = SB_ABI_VERSION_MAJOR;
  plugin.abi_minor = SB_ABI_VERSION_MINOR;
  plugin.struct_size = sizeof(sb_plugin);
  plugin.id = {"init-throws", 11};
  plugin.name = {"Init Throws", 11};
  plugin.version = {"0.0.1", 5};
  plugin.on_init = onInit;
  plugin.on_destroy = onDestroy;
  return plugin;
}

const sb_plugin kPlugin = makeDescriptor();

}  // namespace

extern "C" SB_EXPORT const sb_plugin* switchboard_plugin_entry(void) { return &kPlugin; }
