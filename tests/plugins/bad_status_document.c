/* A status adapter that answers a complete request (one that sets its
 * required `siteId`) with well-formed JSON that is no valid status document
 * (actions[0].minRole is "root"), and refuses an incomplete one as it should.
 * `plugin check` must fail it, naming the field. */
#include <switchboard/abi.h>

#define S(text) {text, sizeof(text) - 1}

static void write_text(const sb_host_api* host, sb_output* out, const char* text) {
  size_t len = 0;
  while (text[len] != '\0') ++len;
  host->host_output_write(out, text, len);
}

static int contains(sb_str haystack, const char* needle) {
  size_t len = 0;
  while (needle[len] != '\0') ++len;
  for (size_t i = 0; i + len <= haystack.len; ++i) {
    size_t j = 0;
    while (j < len && haystack.data[i + j] == needle[j]) ++j;
    if (j == len) return 1;
  }
  return 0;
}

static sb_status on_init(const sb_host_api* host, sb_str settings, void** out_instance, sb_output* error) {
  if (settings.len < 2 || settings.data[0] != '{' || settings.data[settings.len - 1] != '}') {
    write_text(host, error, "settings must be a JSON object");
    return SB_ERR_INVALID_ARGUMENT;
  }
  *out_instance = (void*)host;
  return SB_OK;
}

static void on_destroy(void* instance) { (void)instance; }

static sb_status on_status(void* instance, sb_call* call, sb_str request, sb_output* out) {
  const sb_host_api* host = (const sb_host_api*)instance;
  (void)call;
  if (request.len < 2 || request.data[0] != '{' || request.data[request.len - 1] != '}') {
    write_text(host, out, "request must be a JSON object");
    return SB_ERR_INVALID_ARGUMENT;
  }
  if (!contains(request, "\"siteId\":")) {
    write_text(host, out, "settings.siteId is required");
    return SB_ERR_INVALID_ARGUMENT;
  }
  write_text(host, out, "{\"status\":\"connected\",\"actions\":[{\"id\":\"open\",\"label\":\"Open\",\"minRole\":\"root\"}]}");
  return SB_OK;
}

static const sb_schema_field fields[] = {
    {.struct_size = sizeof(sb_schema_field), .type = SB_FIELD_STRING, .level = SB_LEVEL_PROJECT,
     .required = 1, .key = S("siteId"), .placeholder = S("site_demo")},
    {.struct_size = sizeof(sb_schema_field), .type = SB_FIELD_STRING, .level = SB_LEVEL_ORG,
     .required = 1, .secret = 1, .key = S("token")},
};
static const sb_integration_schema schema = {
    .struct_size = sizeof(sb_integration_schema), .display_order = 1, .id = S("bad-document"),
    .name = S("Bad Document"), .category = S("testing"), .fields = fields, .field_count = 2};
static const sb_status_adapter status_adapter = {.struct_size = sizeof(sb_status_adapter), .on_status = on_status};
static const sb_plugin plugin = {
    .abi_major = SB_ABI_VERSION_MAJOR, .abi_minor = SB_ABI_VERSION_MINOR,
    .struct_size = sizeof(sb_plugin), .id = S("bad-status-document"), .name = S("Bad Status Document"),
    .version = S("1.0.0"), .schemas = &schema, .schema_count = 1, .on_init = on_init, .on_destroy = on_destroy,
    .status_adapter = &status_adapter};

SB_EXPORT const sb_plugin* switchboard_plugin_entry(void) { return &plugin; }
