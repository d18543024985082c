/* Leaves the required on_destroy hook NULL. */
#include "trivial_lifecycle.h"

static const sb_plugin plugin = {
    .abi_major = SB_ABI_VERSION_MAJOR, .abi_minor = SB_ABI_VERSION_MINOR, .struct_size = sizeof(sb_plugin),
    .name = S("Broken"), .version = S("0.0.1"), .on_init = on_init,
    .id = S("missing-required-fn"), .on_destroy = NULL};

SB_EXPORT const sb_plugin* switchboard_plugin_entry(void) { return &plugin; }
