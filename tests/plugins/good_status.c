/* A valid plugin with a status adapter that probes "/health" through the
 * host's HTTP client: the reference for hook conformance in `plugin check`. */
#include <switchboard/abi.h>

#define S(text) {text, sizeof(text) - 1}

static void write_text(const sb_host_api* host, sb_output* out, const char* text, size_t len) {
  host->host_output_write(out, text, len);
}

static sb_status on_init(const sb_host_api* host, sb_str settings, void** out_instance,
                         sb_output* error) {
  if (settings.len < 2 || settings.data[0] != '{' || settings.data[settings.len - 1] != '}') {
    write_text(host, error, "settings must be a JSON object", 30);
    return SB_ERR_INVALID_ARGUMENT;
  }
  *out_instance = (void*)host; /* the instance is just the host table it was given */
  return SB_OK;
}

static void on_destroy(void* instance) { (void)instance; }

static sb_status on_status(void* instance, sb_call* call, sb_str request, sb_output* out) {
  const sb_host_api* host = (const sb_host_api*)instance;
  sb_http_request probe = {.struct_size = sizeof(sb_http_request), .method = S("GET"),
                           .url = S("/health")};
  sb_http_response* response = NULL;
  if (request.len < 2 || request.data[0] != '{' || request.data[request.len - 1] != '}') {
    write_text(host, out, "request must be a JSON object", 29);
    return SB_ERR_INVALID_ARGUMENT;
  }
  char reason[256];
  sb_status status = host->host_http_send(host->host_ctx, call, &probe, &response, reason, sizeof reason);
  if (status != SB_OK) {
    size_t len = 0;
    while (reason[len] != '\0') ++len;
    write_text(host, out, reason, len);
    return status;
  }
  status = host->host_http_response_status(response) == 200 ? SB_OK : SB_ERR_UNAVAILABLE;
  host->host_http_response_free(response);
  if (status == SB_OK) write_text(host, out, "{\"status\":\"connected\",\"summary\":\"ok\"}", 37);
  else write_text(host, out, "health probe failed", 19);
  return status;
}

static const sb_status_adapter status_adapter = {.struct_size = sizeof(sb_status_adapter),
                                                 .on_status = on_status};
static const sb_plugin plugin = {
    .abi_major = SB_ABI_VERSION_MAJOR, .abi_minor = SB_ABI_VERSION_MINOR,
    .struct_size = sizeof(sb_plugin), .id = S("good-status"), .name = S("Good Status"),
    .version = S("1.0.0"), .on_init = on_init, .on_destroy = on_destroy,
    .status_adapter = &status_adapter};

SB_EXPORT const sb_plugin* switchboard_plugin_entry(void) { return &plugin; }
