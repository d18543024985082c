/* Passes every load check, then refuses to start from on_init with a reason. */
#include <switchboard/abi.h>

#define S(text) {text, sizeof(text) - 1}

static sb_status on_init(const sb_host_api* host, sb_str settings, void** out_instance,
                         sb_output* error) {
  static const char reason[] = "missing required setting \"token\"";
  (void)settings;
  *out_instance = NULL;
  host->host_output_write(error, reason, sizeof(reason) - 1);
  return SB_ERR_INVALID_ARGUMENT;
}

static void on_destroy(void* instance) { (void)instance; }

static const sb_plugin plugin = {
    .abi_major = SB_ABI_VERSION_MAJOR, .abi_minor = SB_ABI_VERSION_MINOR,
    .struct_size = sizeof(sb_plugin), .id = S("init-fails"), .name = S("Init Fails"),
    .version = S("0.0.1"), .on_init = on_init, .on_destroy = on_destroy};

SB_EXPORT const sb_plugin* switchboard_plugin_entry(void) { return &plugin; }
