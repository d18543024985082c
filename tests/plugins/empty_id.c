/* Declares an empty plugin id. */
#include "trivial_lifecycle.h"

static const sb_plugin plugin = {
    .abi_major = SB_ABI_VERSION_MAJOR, .abi_minor = SB_ABI_VERSION_MINOR,
    .struct_size = sizeof(sb_plugin), .on_destroy = on_destroy,
    .name = S("Broken"), .version = S("0.0.1"), .on_init = on_init,
    .id = {NULL, 0}};

SB_EXPORT const sb_plugin* switchboard_plugin_entry(void) { return &plugin; }
