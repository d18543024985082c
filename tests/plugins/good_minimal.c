/* A valid minimal plugin: one schema, no capabilities. The reference the
 * broken plugins in this directory each differ from in one way. */
#include <switchboard/abi.h>

#define S(text) {text, sizeof(text) - 1}

static sb_status on_init(const sb_host_api* host, sb_str settings, void** out_instance,
                         sb_output* error) {
  /* A shape check stands in for a JSON parser: enough to refuse "{not json". */
  if (settings.len < 2 || settings.data[0] != '{' || settings.data[settings.len - 1] != '}') {
    static const char reason[] = "settings must be a JSON object";
    host->host_output_write(error, reason, sizeof(reason) - 1);
    return SB_ERR_INVALID_ARGUMENT;
  }
  *out_instance = NULL;
  return SB_OK;
}

static void on_destroy(void* instance) { (void)instance; }

static const sb_str regions[] = {S("eu"), S("us")};
static const sb_schema_field fields[] = {
    {.struct_size = sizeof(sb_schema_field), .type = SB_FIELD_STRING, .level = SB_LEVEL_ORG,
     .required = 1, .secret = 1, .key = S("apiToken"), .description = S("API token"),
     .placeholder = S("tok_...")},
    {.struct_size = sizeof(sb_schema_field), .type = SB_FIELD_SELECT, .level = SB_LEVEL_PROJECT,
     .key = S("region"), .options = regions, .option_count = 2},
};
static const sb_integration_schema schema = {
    .struct_size = sizeof(sb_integration_schema), .display_order = 7, .featured = 1,
    .id = S("good-minimal"), .name = S("Good Minimal"), .category = S("testing"),
    .description = S("A minimal test integration"), .docs_url = S("https://example.test/docs"),
    .icon_url = S("https://example.test/icon.svg"), .fields = fields, .field_count = 2};
static const sb_plugin plugin = {
    .abi_major = SB_ABI_VERSION_MAJOR, .abi_minor = SB_ABI_VERSION_MINOR,
    .struct_size = sizeof(sb_plugin), .id = S("good-minimal"), .name = S("Good Minimal"),
    .version = S("1.0.0"), .description = S("Valid minimal test plugin"), .schemas = &schema,
    .schema_count = 1, .on_init = on_init, .on_destroy = on_destroy};

SB_EXPORT const sb_plugin* switchboard_plugin_entry(void) { return &plugin; }
