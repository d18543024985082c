/* A status adapter built against the frozen ABI 1.0 header (abi_1_0/), as a
 * plugin compiled before 1.1 existed: its sb_schema_field array uses the 1.0
 * stride. A newer host must keep loading it and calling on_status. */
#include "host_as_instance.h"

#if SB_ABI_VERSION_MAJOR != 1 || SB_ABI_VERSION_MINOR != 0
#error "abi_1_0_status.c must be compiled against tests/plugins/abi_1_0/switchboard/abi.h"
#endif

static sb_status on_status(void* instance, sb_call* call, sb_str request, sb_output* out) {
  static const char document[] = "{\"status\":\"connected\",\"summary\":\"Served by an ABI 1.0 plugin\"}";
  const sb_host_api* host = (const sb_host_api*)instance;
  (void)call;
  (void)request;
  host->host_output_write(out, document, sizeof document - 1);
  return SB_OK;
}

static const sb_str regions[] = {S("eu"), S("us")};
static const sb_schema_field fields[] = {
    {.struct_size = sizeof(sb_schema_field), .type = SB_FIELD_STRING, .level = SB_LEVEL_ORG,
     .required = 1, .secret = 1, .key = S("token"), .description = S("API token")},
    {.struct_size = sizeof(sb_schema_field), .type = SB_FIELD_URL, .level = SB_LEVEL_ORG,
     .key = S("apiBaseUrl"), .description = S("API root")},
    {.struct_size = sizeof(sb_schema_field), .type = SB_FIELD_SELECT, .level = SB_LEVEL_PROJECT,
     .key = S("region"), .options = regions, .option_count = 2},
};
static const sb_integration_schema schema = {
    .struct_size = sizeof(sb_integration_schema), .display_order = 7, .id = S("legacy-status"),
    .name = S("Legacy status"), .category = S("testing"), .fields = fields, .field_count = 3};
static const sb_status_adapter status_adapter = {.struct_size = sizeof(sb_status_adapter),
                                                 .on_status = on_status};
static const sb_plugin plugin = {
    .abi_major = SB_ABI_VERSION_MAJOR, .abi_minor = SB_ABI_VERSION_MINOR,
    .struct_size = sizeof(sb_plugin), .id = S("abi-1-0-status"), .name = S("ABI 1.0 status"),
    .version = S("1.0.0"), .schemas = &schema, .schema_count = 1, .on_init = on_init,
    .on_destroy = on_destroy, .status_adapter = &status_adapter};

SB_EXPORT const sb_plugin* switchboard_plugin_entry(void) { return &plugin; }
