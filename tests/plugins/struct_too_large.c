/* Claims an sb_plugin of 512 bytes, larger than the host knows for ABI 1.0. */
#include "trivial_lifecycle.h"

static const sb_plugin plugin = {
    .abi_major = SB_ABI_VERSION_MAJOR, .abi_minor = SB_ABI_VERSION_MINOR, .on_destroy = on_destroy,
    .name = S("Broken"), .version = S("0.0.1"), .on_init = on_init,
    .id = S("struct-too-large"), .struct_size = 512};

SB_EXPORT const sb_plugin* switchboard_plugin_entry(void) { return &plugin; }
