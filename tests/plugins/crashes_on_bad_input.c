/* Answers a well-formed status request, then dies of SIGSEGV on malformed
 * input: `plugin check` must report the crash against that step and live. */
#include <signal.h>

#include "trivial_lifecycle.h"

static sb_status on_status(void* instance, sb_call* call, sb_str request, sb_output* out) {
  (void)instance;
  (void)call;
  (void)out;
  if (request.len == 0 || request.data[0] != '{') raise(SIGSEGV);
  return SB_ERR_UNAVAILABLE; /* reason deliberately empty: the check flags that too */
}

static const sb_status_adapter status_adapter = {.struct_size = sizeof(sb_status_adapter),
                                                 .on_status = on_status};
static const sb_plugin plugin = {
    .abi_major = SB_ABI_VERSION_MAJOR, .abi_minor = SB_ABI_VERSION_MINOR,
    .struct_size = sizeof(sb_plugin), .id = S("crashes-on-bad-input"), .name = S("Crashes"),
    .version = S("0.0.1"), .on_init = on_init, .on_destroy = on_destroy,
    .status_adapter = &status_adapter};

SB_EXPORT const sb_plugin* switchboard_plugin_entry(void) { return &plugin; }
