/* A sync source built against the frozen ABI 1.3 header (abi_1_3/), as a
 * plugin compiled before the 1.4 set-up hooks existed: its sb_sync_source
 * ends after on_write. A newer host must keep loading it and serving its
 * tree, and answer the set-up routes (validate, repositories, branches,
 * commits) with a "not supported" problem instead of calling past its table. */
#include <string.h>

#include "host_as_instance.h"

#if SB_ABI_VERSION_MAJOR != 1 || SB_ABI_VERSION_MINOR != 3
#error "abi_1_3_sync.c must be compiled against tests/plugins/abi_1_3/switchboard/abi.h"
#endif

static void write_text(const sb_host_api* host, sb_output* out, const char* text) {
  host->host_output_write(out, text, strlen(text));
}

static sb_status on_list_tree(void* instance, sb_call* call, sb_str request, sb_output* out) {
  (void)call;
  (void)request;
  write_text((const sb_host_api*)instance, out, "{\"head\":\"legacy-head\",\"entries\":[]}");
  return SB_OK;
}

static sb_status on_read(void* instance, sb_call* call, sb_str request, sb_output* out) {
  (void)call;
  (void)request;
  write_text((const sb_host_api*)instance, out, "an ABI 1.3 test source has no files");
  return SB_ERR_NOT_FOUND;
}

static sb_status on_write(void* instance, sb_call* call, sb_str request, sb_output* out) {
  (void)call;
  (void)request;
  write_text((const sb_host_api*)instance, out, "an ABI 1.3 test source is read-only");
  return SB_ERR_NOT_SUPPORTED;
}

static const sb_schema_field fields[] = {
    {.struct_size = sizeof(sb_schema_field), .type = SB_FIELD_STRING, .level = SB_LEVEL_PROJECT,
     .key = S("repository"), .description = S("Any name")}};
static const sb_integration_schema schema = {
    .struct_size = sizeof(sb_integration_schema), .id = S("legacy-sync"), .name = S("Legacy sync"),
    .category = S("testing"), .fields = fields, .field_count = 1};
static const sb_sync_source sync_source = {.struct_size = sizeof(sb_sync_source), .on_list_tree = on_list_tree,
                                           .on_read = on_read, .on_write = on_write};
static const sb_plugin plugin = {
    .abi_major = SB_ABI_VERSION_MAJOR, .abi_minor = SB_ABI_VERSION_MINOR,
    .struct_size = sizeof(sb_plugin), .id = S("abi-1-3-sync"), .name = S("ABI 1.3 sync"),
    .version = S("1.3.0"), .schemas = &schema, .schema_count = 1, .on_init = on_init,
    .on_destroy = on_destroy, .sync_source = &sync_source};

SB_EXPORT const sb_plugin* switchboard_plugin_entry(void) { return &plugin; }
