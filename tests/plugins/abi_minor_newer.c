/* Declares one ABI minor newer than the host it is built with: refused before any call. */
#include "trivial_lifecycle.h"

static const sb_plugin plugin = {
    .abi_major = SB_ABI_VERSION_MAJOR, .struct_size = sizeof(sb_plugin), .on_destroy = on_destroy,
    .name = S("Broken"), .version = S("0.0.1"), .on_init = on_init,
    .id = S("abi-minor-newer"), .abi_minor = SB_ABI_VERSION_MINOR + 1};

SB_EXPORT const sb_plugin* switchboard_plugin_entry(void) { return &plugin; }
