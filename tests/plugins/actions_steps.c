/* An ABI 1.2 actions capability written against the frozen 1.2 header (abi_1_2/): on_list_for
 * reads the link context, and on_run reports structured steps, some of them
 * malformed on purpose, then answers in each shape the host must check. */
#include <string.h>

#include "host_as_instance.h"

#if SB_ABI_VERSION_MAJOR != 1 || SB_ABI_VERSION_MINOR != 2
#error "actions_steps.c must be compiled against tests/plugins/abi_1_2/switchboard/abi.h"
#endif

static void write_text(const sb_host_api* host, sb_output* out, const char* text) {
  host->host_output_write(out, text, strlen(text));
}

static int is(sb_str text, const char* literal) {
  return text.len == strlen(literal) && memcmp(text.data, literal, text.len) == 0;
}

static int contains(sb_str text, const char* needle) {
  const size_t n = strlen(needle);
  for (size_t i = 0; text.data != NULL && i + n <= text.len; ++i) {
    if (memcmp(text.data + i, needle, n) == 0) return 1;
  }
  return 0;
}

/* A plugin must check that the host has host_progress_step before using it. */
static void step(const sb_host_api* host, sb_call* call, const char* json) {
  const size_t end = offsetof(sb_host_api, host_progress_step) + sizeof host->host_progress_step;
  if (host->struct_size >= end && host->abi_minor >= 2 && host->host_progress_step != NULL) {
    host->host_progress_step(call, (sb_str){json, strlen(json)});
  }
}

static sb_status on_list(void* instance, sb_output* out) {
  write_text((const sb_host_api*)instance, out,
             "[{\"id\":\"work\",\"label\":\"Work\",\"minRole\":\"editor\",\"kind\":\"check\"}]");
  return SB_OK;
}

static sb_status on_list_for(void* instance, sb_call* call, sb_str request, sb_output* out) {
  const sb_host_api* host = (const sb_host_api*)instance;
  (void)call;
  if (request.len < 2 || request.data[0] != '{') {
    write_text(host, out, "the context must be a JSON object");
    return SB_ERR_INVALID_ARGUMENT;
  }
  if (contains(request, "\"kindless\"")) {
    write_text(host, out, "[{\"id\":\"work\",\"label\":\"Work\",\"minRole\":\"editor\"}]");
  } else if (contains(request, "\"token\"")) {
    write_text(host, out, "[{\"id\":\"work\",\"label\":\"Work\",\"minRole\":\"editor\",\"kind\":\"check\"}]");
  } else {
    write_text(host, out,
               "[{\"id\":\"work\",\"label\":\"Work\",\"minRole\":\"editor\",\"kind\":\"check\","
               "\"enabled\":false,\"reason\":\"add a token first\"}]");
  }
  return SB_OK;
}

static sb_status on_run(void* instance, sb_call* call, sb_str action_id, sb_str request, sb_output* out) {
  const sb_host_api* host = (const sb_host_api*)instance;
  static const char big[] = "{\"step\":\"big\",\"label\":\"Big\",\"state\":\"running\"}";
  static char oversized[SB_MAX_STEP_JSON + 64]; /* well-formed but too long: padded with spaces */
  (void)request;
  if (is(action_id, "work")) {
    step(host, call, "{\"step\":\"first\",\"label\":\"First\",\"state\":\"running\",\"done\":0,\"total\":2}");
    step(host, call, "not json");
    step(host, call, "{\"step\":\"first\",\"label\":\"First\",\"state\":\"exploded\"}");
    step(host, call, "{\"step\":\"Bad Id\",\"label\":\"First\",\"state\":\"running\"}");
    step(host, call, "{\"step\":\"first\",\"label\":\"First\",\"state\":\"running\",\"done\":3,\"total\":2}");
    memset(oversized, ' ', sizeof oversized - 1);
    memcpy(oversized, big, sizeof big - 1);
    step(host, call, oversized);
    step(host, call, "{\"step\":\"first\",\"label\":\"First\",\"state\":\"succeeded\",\"done\":2,\"total\":2,"
                     "\"detail\":\"all done\",\"future\":1}");
    write_text(host, out, "{\"worked\":true}");
    return SB_OK;
  }
  if (is(action_id, "limited")) {
    write_text(host, out, "{\"reason\":\"slow down\",\"retryAfter\":42}");
    return SB_ERR_RATE_LIMITED;
  }
  if (is(action_id, "plain-failure")) {
    write_text(host, out, "the provider is down");
    return SB_ERR_UNAVAILABLE;
  }
  if (is(action_id, "bad-url")) {
    write_text(host, out, "{\"url\":\"javascript:alert(1)\"}");
    return SB_OK;
  }
  if (is(action_id, "not-object")) {
    write_text(host, out, "[1]");
    return SB_OK;
  }
  write_text(host, out, "unknown action");
  return SB_ERR_INVALID_ARGUMENT;
}

static const sb_actions actions = {.struct_size = sizeof(sb_actions), .on_list = on_list, .on_run = on_run,
                                   .on_list_for = on_list_for};
static const sb_plugin plugin = {
    .abi_major = SB_ABI_VERSION_MAJOR, .abi_minor = SB_ABI_VERSION_MINOR,
    .struct_size = sizeof(sb_plugin), .id = S("actions-steps"), .name = S("Actions and steps"),
    .version = S("1.2.0"), .on_init = on_init, .on_destroy = on_destroy, .actions = &actions};

SB_EXPORT const sb_plugin* switchboard_plugin_entry(void) { return &plugin; }
