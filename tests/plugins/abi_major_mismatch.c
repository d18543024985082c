/* Declares ABI major 2, which this host (major 1) must refuse before any call. */
#include <switchboard/abi.h>

#define S(text) {text, sizeof(text) - 1}

static sb_status on_init(const sb_host_api* host, sb_str settings, void** out_instance,
                         sb_output* error) {
  (void)host;
  (void)settings;
  (void)error;
  *out_instance = NULL;
  return SB_OK;
}

static void on_destroy(void* instance) { (void)instance; }

static const sb_plugin plugin = {
    .abi_minor = SB_ABI_VERSION_MINOR, .struct_size = sizeof(sb_plugin), .on_destroy = on_destroy,
    .name = S("Broken"), .version = S("0.0.1"), .on_init = on_init,
    .id = S("abi-major-mismatch"), .abi_major = 2};

SB_EXPORT const sb_plugin* switchboard_plugin_entry(void) { return &plugin; }
