/* Declares a schema whose two fields share the key "token". */
#include "trivial_lifecycle.h"

static const sb_schema_field fields[] = {
    {.struct_size = sizeof(sb_schema_field), .key = S("token")},
    {.struct_size = sizeof(sb_schema_field), .key = S("token")},
};
static const sb_integration_schema schema = {.struct_size = sizeof(sb_integration_schema),
                                             .id = S("bad-schema"), .name = S("Bad Schema"),
                                             .fields = fields, .field_count = 2};
static const sb_plugin plugin = {
    .abi_major = SB_ABI_VERSION_MAJOR, .abi_minor = SB_ABI_VERSION_MINOR,
    .struct_size = sizeof(sb_plugin), .on_destroy = on_destroy,
    .name = S("Broken"), .version = S("0.0.1"), .on_init = on_init,
    .id = S("bad-schema"), .schemas = &schema, .schema_count = 1};

SB_EXPORT const sb_plugin* switchboard_plugin_entry(void) { return &plugin; }
