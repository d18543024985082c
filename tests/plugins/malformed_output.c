/* A status adapter that answers SB_OK with "not json" to every request. */
#include "host_as_instance.h"

static sb_status on_status(void* instance, sb_call* call, sb_str request, sb_output* out) {
  const sb_host_api* host = (const sb_host_api*)instance;
  (void)call;
  (void)request;
  host->host_output_write(out, "not json", 8);
  return SB_OK;
}

static const sb_status_adapter status_adapter = {.struct_size = sizeof(sb_status_adapter),
                                                 .on_status = on_status};
static const sb_plugin plugin = {
    .abi_major = SB_ABI_VERSION_MAJOR, .abi_minor = SB_ABI_VERSION_MINOR,
    .struct_size = sizeof(sb_plugin), .id = S("malformed-output"), .name = S("Malformed Output"),
    .version = S("0.0.1"), .on_init = on_init, .on_destroy = on_destroy,
    .status_adapter = &status_adapter};

SB_EXPORT const sb_plugin* switchboard_plugin_entry(void) { return &plugin; }
