/* An ABI 1.3 status adapter for a link that uses an OAuth connection: it
 * calls the protected resource "/api/me" with host_access_token, and after a
 * 401 asks the host for one refresh (host_access_token_refresh) and retries
 * once. Its one secret field is required, so linking it with a connection
 * proves the token stands in for it. Used with tests/fakes/oauth_fake. */
#include <stdio.h>
#include <string.h>

#include "host_as_instance.h"

#if SB_ABI_VERSION_MINOR < 3
#error "connection_status.c needs ABI 1.3 (host_access_token)"
#endif

static void write_text(const sb_host_api* host, sb_output* out, const char* text) {
  host->host_output_write(out, text, strlen(text));
}

/* GET /api/me with the current token: the HTTP status, or -1 (reason in out). */
static int get_me(const sb_host_api* host, sb_call* call, sb_output* out) {
  sb_str token = host->host_access_token(call);
  char authorization[4096];
  int written = snprintf(authorization, sizeof authorization, "Bearer %.*s", (int)token.len,
                         token.data != NULL ? token.data : "");
  if (written < 0 || (size_t)written >= sizeof authorization) {
    write_text(host, out, "the access token is too long");
    return -1;
  }
  sb_header header = {S("Authorization"), {authorization, (size_t)written}};
  sb_http_request request = {.struct_size = sizeof(sb_http_request), .method = S("GET"),
                             .url = S("/api/me"), .headers = &header, .header_count = 1};
  sb_http_response* response = NULL;
  char reason[256] = {0};
  if (host->host_http_send(host->host_ctx, call, &request, &response, reason, sizeof reason) != SB_OK) {
    write_text(host, out, reason);
    return -1;
  }
  int status = host->host_http_response_status(response);
  host->host_http_response_free(response);
  return status;
}

static sb_status on_status(void* instance, sb_call* call, sb_str request, sb_output* out) {
  const sb_host_api* host = (const sb_host_api*)instance;
  (void)request;
  if (host->abi_minor < 3 || host->host_access_token(call).len == 0) {
    write_text(host, out,
               "{\"status\":\"error\",\"summary\":\"Link this integration with a connection\","
               "\"problem\":{\"code\":\"unknown\"},\"actions\":[]}");
    return SB_OK;
  }
  int status = get_me(host, call, out);
  if (status == 401) {
    sb_status refreshed = host->host_access_token_refresh(call);
    if (refreshed == SB_ERR_UNAUTHORIZED) {
      write_text(host, out,
                 "{\"status\":\"error\",\"configuredReason\":\"revoked\",\"summary\":\"Access was revoked\","
                 "\"problem\":{\"code\":\"oauth_revoked\"},\"actions\":[]}");
      return SB_OK;
    }
    if (refreshed != SB_OK) {
      write_text(host, out, "refreshing the access token failed");
      return refreshed;
    }
    status = get_me(host, call, out);
  }
  if (status < 0) return SB_ERR_UNAVAILABLE;
  if (status == 200) {
    write_text(host, out, "{\"status\":\"connected\",\"summary\":\"Signed in through the connection\",\"actions\":[]}");
  } else {
    char document[160];
    snprintf(document, sizeof document,
             "{\"status\":\"error\",\"summary\":\"The resource answered %d\",\"problem\":{\"code\":\"unknown\"},"
             "\"actions\":[]}",
             status);
    write_text(host, out, document);
  }
  return SB_OK;
}

static const sb_schema_field fields[] = {
    {.struct_size = sizeof(sb_schema_field), .type = SB_FIELD_STRING, .level = SB_LEVEL_ORG,
     .required = 1, .secret = 1, .key = S("token"), .description = S("API token (or use a connection)")},
};
static const sb_integration_schema schema = {
    .struct_size = sizeof(sb_integration_schema), .display_order = 9, .id = S("acme"),
    .name = S("Acme"), .category = S("testing"), .fields = fields, .field_count = 1};
static const sb_status_adapter status_adapter = {.struct_size = sizeof(sb_status_adapter),
                                                 .on_status = on_status};
static const sb_plugin plugin = {
    .abi_major = SB_ABI_VERSION_MAJOR, .abi_minor = SB_ABI_VERSION_MINOR,
    .struct_size = sizeof(sb_plugin), .id = S("connection-status"), .name = S("Connection status"),
    .version = S("1.0.0"), .schemas = &schema, .schema_count = 1, .on_init = on_init,
    .on_destroy = on_destroy, .status_adapter = &status_adapter};

SB_EXPORT const sb_plugin* switchboard_plugin_entry(void) { return &plugin; }
