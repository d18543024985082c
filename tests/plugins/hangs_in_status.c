/* Never returns from on_status: `plugin check` must give up on it after its
 * time limit and report the step, instead of hanging with it. */
#include <unistd.h>

#include "trivial_lifecycle.h"

static sb_status on_status(void* instance, sb_call* call, sb_str request, sb_output* out) {
  (void)instance;
  (void)call;
  (void)request;
  (void)out;
  for (;;) pause();
  return SB_ERR_INTERNAL; /* not reached */
}

static const sb_status_adapter status_adapter = {.struct_size = sizeof(sb_status_adapter),
                                                 .on_status = on_status};
static const sb_plugin plugin = {
    .abi_major = SB_ABI_VERSION_MAJOR, .abi_minor = SB_ABI_VERSION_MINOR,
    .struct_size = sizeof(sb_plugin), .id = S("hangs-in-status"), .name = S("Hangs"),
    .version = S("0.0.1"), .on_init = on_init, .on_destroy = on_destroy,
    .status_adapter = &status_adapter};

SB_EXPORT const sb_plugin* switchboard_plugin_entry(void) { return &plugin; }
