/* Declares ABI major 2, which this host (major 1) must refuse before any call. */
#include "trivial_lifecycle.h"

static const sb_plugin plugin = {
    .abi_minor = SB_ABI_VERSION_MINOR, .struct_size = sizeof(sb_plugin), .on_destroy = on_destroy,
    .name = S("Broken"), .version = S("0.0.1"), .on_init = on_init,
    .id = S("abi-major-mismatch"), .abi_major = 2};

SB_EXPORT const sb_plugin* switchboard_plugin_entry(void) { return &plugin; }
