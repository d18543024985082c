/* A status adapter and actions built against the frozen ABI 1.1 header
 * (abi_1_1/), as a plugin compiled before 1.2 existed: its sb_actions table
 * has no on_list_for, its actions no `kind`, and it reports progress with
 * host_progress only. A newer host must keep loading it, serving its status
 * and listing and running its actions. */
#include <string.h>

#include "host_as_instance.h"

#if SB_ABI_VERSION_MAJOR != 1 || SB_ABI_VERSION_MINOR != 1
#error "abi_1_1_actions.c must be compiled against tests/plugins/abi_1_1/switchboard/abi.h"
#endif

static void write_text(const sb_host_api* host, sb_output* out, const char* text) {
  host->host_output_write(out, text, strlen(text));
}

static int is(sb_str text, const char* literal) {
  return text.len == strlen(literal) && memcmp(text.data, literal, text.len) == 0;
}

static sb_status on_status(void* instance, sb_call* call, sb_str request, sb_output* out) {
  (void)call;
  (void)request;
  write_text((const sb_host_api*)instance, out,
             "{\"status\":\"connected\",\"summary\":\"Served by an ABI 1.1 plugin\","
             "\"actions\":[{\"id\":\"ping\",\"label\":\"Ping\",\"minRole\":\"editor\"}]}");
  return SB_OK;
}

static sb_status on_list(void* instance, sb_output* out) {
  write_text((const sb_host_api*)instance, out,
             "[{\"id\":\"ping\",\"label\":\"Ping\",\"minRole\":\"editor\"},"
             "{\"id\":\"docs\",\"label\":\"Docs\",\"minRole\":\"viewer\",\"kind\":\"open\"}]");
  return SB_OK;
}

static sb_status on_run(void* instance, sb_call* call, sb_str action_id, sb_str request, sb_output* out) {
  const sb_host_api* host = (const sb_host_api*)instance;
  static const char message[] = "pinged";
  (void)request;
  if (is(action_id, "ping")) {
    host->host_progress(call, 1, 1, (sb_str){message, sizeof message - 1});
    write_text(host, out, "{\"pong\":true}");
    return SB_OK;
  }
  if (is(action_id, "docs")) {
    write_text(host, out, "{\"url\":\"https://example.com/docs\"}");
    return SB_OK;
  }
  write_text(host, out, "unknown action");
  return SB_ERR_INVALID_ARGUMENT;
}

static const sb_integration_schema schema = {
    .struct_size = sizeof(sb_integration_schema), .id = S("legacy-actions"),
    .name = S("Legacy actions"), .category = S("testing")};
static const sb_status_adapter status_adapter = {.struct_size = sizeof(sb_status_adapter),
                                                 .on_status = on_status};
static const sb_actions actions = {.struct_size = sizeof(sb_actions), .on_list = on_list, .on_run = on_run};
static const sb_plugin plugin = {
    .abi_major = SB_ABI_VERSION_MAJOR, .abi_minor = SB_ABI_VERSION_MINOR,
    .struct_size = sizeof(sb_plugin), .id = S("abi-1-1-actions"), .name = S("ABI 1.1 actions"),
    .version = S("1.1.0"), .schemas = &schema, .schema_count = 1, .on_init = on_init,
    .on_destroy = on_destroy, .status_adapter = &status_adapter, .actions = &actions};

SB_EXPORT const sb_plugin* switchboard_plugin_entry(void) { return &plugin; }
