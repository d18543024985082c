/*
 * switchboard/abi.h -- the binary contract between the Switchboard host and a
 * provider plugin (a shared library). Pure C11; only <stdint.h>/<stddef.h>.
 *
 * Naming: hooks the plugin implements are `on_...`; callbacks the host
 * implements are `host_...`. Every pointer carries an OWNERSHIP rule.
 * Threads: the host may call any `on_...` hook of one instance from several
 * threads at once, except on_init/on_destroy (never concurrent with anything on
 * that instance). Every `host_...` callback is thread-safe. A hook may use its
 * sb_call from threads it starts (say, two HTTP requests at once) as long as
 * they have finished before the hook returns.
 *
 * Versioning (see docs/plugin-authoring.md):
 *  - The plugin exports exactly one symbol, SB_ENTRY_SYMBOL, returning a pointer
 *    to a static sb_plugin. Its first three fields never move.
 *  - The host refuses a plugin whose abi_major differs from the host's, or
 *    whose abi_minor is newer than the host's, before calling anything else.
 *  - Every struct starts with `struct_size` (set to sizeof by the side that
 *    fills it). Structs only grow at the end; a reader treats fields past
 *    struct_size as absent (NULL / 0). A struct larger than the reader knows
 *    for an equal minor version is refused.
 *  - Arrays of size-stamped structs (schemas, fields) are laid out with the
 *    plugin's sizeof: every element carries the same struct_size and the host
 *    steps through the array by it; mixed sizes in one array are refused.
 *  - Strings are (pointer, length), not NUL-terminated, UTF-8.
 *  - Nothing but plain C data crosses this boundary: no exceptions, no C++
 *    types, no memory allocated on one side and freed on the other. Whoever
 *    allocates frees. Output is written into host-owned sb_output buffers.
 */
#ifndef SWITCHBOARD_ABI_H
#define SWITCHBOARD_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Version ---------------------------------------------------------------
 * 1.0: identity, schemas, status adapter, connection provider, sync source,
 *      actions; host services http/log/clock/progress/output.
 * 1.1: sb_schema_field.destination and .max_length (appended).
 * 1.2: sb_actions.on_list_for (optional, sees the link context) and
 *      sb_host_api.host_progress_step (structured progress steps), appended.
 *      Action lists carry a `kind` (docs/plugin-authoring.md, "Actions").
 * 1.3: sb_host_api.host_access_token and .host_access_token_refresh
 *      (appended): the OAuth access token of a link that uses a connection,
 *      and one refresh of it after the provider answered 401.
 * 1.4: sb_sync_source.on_validate, .on_list_repositories, .on_list_branches
 *      and .on_list_commits (appended, optional): the set-up calls of a sync
 *      link (docs/plugin-authoring.md, "Sync set-up"). */
#define SB_ABI_VERSION_MAJOR 1u
#define SB_ABI_VERSION_MINOR 4u

/* The one symbol a plugin exports: `const sb_plugin* switchboard_plugin_entry(void)`. */
#define SB_ENTRY_SYMBOL "switchboard_plugin_entry"

#if defined(_WIN32)
#define SB_EXPORT __declspec(dllexport)
#else
#define SB_EXPORT __attribute__((visibility("default")))
#endif

/* ---- Basic types ---------------------------------------------------------- */

/* A borrowed UTF-8 string slice. OWNERSHIP: the side that passes it owns the
 * bytes; the receiver may read them only for the duration of the call and
 * copies anything it keeps. {NULL, 0} is the empty / absent string. */
typedef struct sb_str {
  const char* data;
  size_t len;
} sb_str;

/* Result of every fallible call. Values are stable forever; new ones append. */
typedef int32_t sb_status;
enum {
  SB_OK = 0,
  SB_ERR_INVALID_ARGUMENT = 1, /* the request was malformed or failed validation */
  SB_ERR_NOT_FOUND = 2,        /* the provider resource does not exist / no access */
  SB_ERR_UNAUTHORIZED = 3,     /* the provider rejected the credentials (revoked) */
  SB_ERR_RATE_LIMITED = 4,     /* the provider asked us to back off */
  SB_ERR_TIMEOUT = 5,          /* a deadline passed */
  SB_ERR_UNAVAILABLE = 6,      /* provider 5xx, network failure, malformed reply */
  SB_ERR_CONFLICT = 7,         /* e.g. the sync head moved since it was read */
  SB_ERR_NOT_SUPPORTED = 8,    /* the capability or operation is not provided */
  SB_ERR_INTERNAL = 9          /* a bug or an exception inside the plugin */
};

/* Opaque host-owned objects, valid only as each function describes. */
typedef struct sb_output sb_output;               /* a growable byte buffer */
typedef struct sb_call sb_call;                   /* one host->plugin call: deadline, progress */
typedef struct sb_http_response sb_http_response; /* a completed HTTP exchange */

typedef struct sb_header {
  sb_str name;
  sb_str value;
} sb_header;

typedef int32_t sb_log_level;
enum { SB_LOG_DEBUG = 0, SB_LOG_INFO = 1, SB_LOG_WARN = 2, SB_LOG_ERROR = 3 };

/* ---- Host services (implemented by the host, handed to on_init) ---------- */

/* An outbound HTTP request. OWNERSHIP: the plugin owns the struct and every
 * string it points to; the host copies what it needs before returning. */
typedef struct sb_http_request {
  uint32_t struct_size; /* sizeof(sb_http_request) */
  uint32_t timeout_ms;  /* 0 = host default; the host caps it at the call deadline */
  sb_str method;        /* "GET", "POST", ... */
  sb_str url;           /* absolute URL, or a path ("/repos/o/r") resolved against the
                           plugin's configured base URL (config: plugins.enabled[].base_url) */
  const sb_header* headers; /* OWNERSHIP: plugin; may be NULL when header_count == 0 */
  size_t header_count;
  sb_str body;
} sb_http_request;

typedef struct sb_host_api {
  uint32_t struct_size; /* sizeof(sb_host_api) as the host compiled it */
  uint32_t abi_minor;   /* the host's SB_ABI_VERSION_MINOR */
  /* OWNERSHIP: host. Opaque; pass it back as the first argument of callbacks
   * that take one. Valid from on_init until on_destroy returns. */
  void* host_ctx;

  /* Append `len` bytes to a host-owned output buffer. OWNERSHIP: `out` is the
   * host's, valid for the duration of the hook that received it; the bytes are
   * copied. */
  void (*host_output_write)(sb_output* out, const char* data, size_t len);

  /* Log a line attributed to this plugin. The host redacts nothing: never log
   * a secret. `message` is copied. */
  void (*host_log)(void* host_ctx, sb_log_level level, sb_str message);

  /* Wall clock, Unix epoch milliseconds (a fake clock in tests). */
  int64_t (*host_now_ms)(void* host_ctx);

  /* Perform an HTTP request through the host (timeouts, size limits, base-URL
   * overrides and TLS are enforced there). On SB_OK, *out_response receives a
   * host-allocated response that the plugin MUST release with
   * host_http_response_free (whoever allocates frees). On error, nothing is
   * allocated and the host writes a human-readable, NUL-terminated reason,
   * truncated to fit, into the plugin-owned `error_buffer` of
   * `error_capacity` bytes (OWNERSHIP: plugin; may be NULL with capacity 0).
   * A non-2xx HTTP status is SB_OK: the plugin decides what it means.
   * `call` may be NULL (e.g. during on_init); then only timeout_ms bounds it. */
  sb_status (*host_http_send)(void* host_ctx, sb_call* call, const sb_http_request* request,
                              sb_http_response** out_response, char* error_buffer,
                              size_t error_capacity);
  /* Accessors: the returned slices are owned by the response and valid until
   * host_http_response_free. Header lookup is case-insensitive, first value;
   * an absent header is {NULL, 0}. */
  int32_t (*host_http_response_status)(const sb_http_response* response);
  sb_str (*host_http_response_header)(const sb_http_response* response, sb_str name);
  sb_str (*host_http_response_body)(const sb_http_response* response);
  void (*host_http_response_free)(sb_http_response* response);

  /* Report progress of a long call (sync, actions): `done` of `total` items
   * (total 0 = unknown) with a short message (copied). */
  void (*host_progress)(sb_call* call, uint64_t done, uint64_t total, sb_str message);
  /* Deadline of the call, Unix epoch ms (0 = none), and whether the host has
   * given up on it (1) so the plugin should return SB_ERR_TIMEOUT early. */
  int64_t (*host_call_deadline_ms)(sb_call* call);
  int32_t (*host_call_cancelled)(sb_call* call);

  /* ---- since 1.2 (absent from a 1.0/1.1 host: check struct_size or
   * abi_minor >= 2 before calling, else fall back to host_progress) ---- */
  /* Report one structured step of a long call (actions). `step_json` is a
   * JSON object {"step","label","state":"running|succeeded|failed|skipped",
   * "done"?,"total"?,"detail"?} of at most SB_MAX_STEP_JSON bytes (copied).
   * The host drops a malformed step (and logs it); the call goes on. */
  void (*host_progress_step)(sb_call* call, sb_str step_json);

  /* ---- since 1.3 (absent from an older host: check struct_size or
   * abi_minor >= 3 before calling, else read "accessToken" from the request
   * JSON and treat a 401 as final) ---- */
  /* The current access token of the connection the call's link uses, which
   * the host keeps valid (refreshed ahead of expiry), or {NULL, 0} when the
   * link has no connection (its token is then a pasted secret). The request
   * JSON carries the same value as "accessToken". OWNERSHIP: host; the bytes
   * stay valid until the hook returns, also across a refresh. */
  sb_str (*host_access_token)(sb_call* call);
  /* After the provider answered 401 to the access token: the host refreshes
   * the grant once per call (concurrent and later callers of the same call
   * share that one outcome, and across callers and instances only one
   * refresh of a grant runs at a time). SB_OK: host_access_token now returns
   * the new token; retry the request once with it. SB_ERR_UNAUTHORIZED: the
   * grant is revoked (the host marks the link for reconnection); report it as
   * revoked. SB_ERR_UNAVAILABLE / SB_ERR_RATE_LIMITED: the authorization
   * server failed transiently. SB_ERR_NOT_SUPPORTED: the link has no
   * connection. */
  sb_status (*host_access_token_refresh)(sb_call* call);
} sb_host_api;

/* The largest step_json host_progress_step accepts (since 1.2). */
#define SB_MAX_STEP_JSON 4096u

/* ---- Integration schemas (declared by the plugin, static data) ----------- */

typedef uint32_t sb_field_type;
enum {
  SB_FIELD_STRING = 0,
  SB_FIELD_URL = 1,
  SB_FIELD_INTEGER = 2,
  SB_FIELD_BOOLEAN = 3,
  SB_FIELD_SELECT = 4 /* one of `options` */
};

typedef uint32_t sb_field_level;
enum { SB_LEVEL_ORG = 0, SB_LEVEL_PROJECT = 1 };

/* OWNERSHIP: plugin; static for the life of the loaded library. */
typedef struct sb_schema_field {
  uint32_t struct_size; /* sizeof(sb_schema_field) */
  sb_field_type type;
  sb_field_level level;
  uint8_t required; /* 0 or 1 */
  uint8_t secret;   /* 0 or 1: stored encrypted, never returned by the API */
  uint8_t reserved[2];
  sb_str key; /* [a-z][a-zA-Z0-9_]*, unique within the schema */
  sb_str description;
  sb_str placeholder;
  const sb_str* options; /* SB_FIELD_SELECT only; OWNERSHIP: plugin, static */
  size_t option_count;

  /* ---- since 1.1 (a 1.0 plugin's struct ends above; these read as 0) ---- */
  /* 0 or 1: the value decides where the plugin's requests (and so the link's
   * secrets) go, e.g. an API base URL, or a project id that names the API
   * host. Changing it drops every stored secret of the link unless the same
   * request sets them again, and needs a role that may write secrets.
   * Never set on a secret field. */
  uint8_t destination;
  uint8_t reserved_1_1[3];
  /* Longest accepted value in bytes for string, url and select fields, at
   * most SB_MAX_FIELD_LENGTH; 0 = the host's default (4 KiB for a setting,
   * 16 KiB for a secret). */
  uint32_t max_length;
} sb_schema_field;

/* The largest max_length a field may declare (since 1.1). */
#define SB_MAX_FIELD_LENGTH 65536u

/* OWNERSHIP: plugin; static for the life of the loaded library. */
typedef struct sb_integration_schema {
  uint32_t struct_size; /* sizeof(sb_integration_schema) */
  int32_t display_order;
  uint8_t featured; /* 0 or 1 */
  uint8_t reserved[7];
  sb_str id;       /* [a-z0-9][a-z0-9_-]*, globally unique across plugins */
  sb_str name;     /* display name */
  sb_str category; /* e.g. "source-control", "hosting", "cms", "database", "ai" */
  sb_str description;
  sb_str docs_url;
  sb_str icon_url;
  const sb_schema_field* fields; /* OWNERSHIP: plugin, static */
  size_t field_count;
} sb_integration_schema;

/* ---- Capability tables (NULL table = capability not provided) ------------
 * Every hook receives the instance from on_init. JSON requests/responses are
 * UTF-8 JSON documents whose shapes docs/plugin-authoring.md specifies; the
 * host validates what a plugin writes and treats malformed output as an error.
 * On a non-OK status the plugin writes a human-readable reason to `out`.     */

typedef struct sb_status_adapter {
  uint32_t struct_size; /* sizeof(sb_status_adapter) */
  uint32_t reserved;
  /* REQUIRED. request: {"projectId","key","baseUrl","settings":{},"secrets":{},
   * "accessToken"?} ("accessToken": since 1.3 hosts, for a link that uses a
   * connection; actions and sync requests carry it too). SB_OK when the provider answered (even 401/429/404): out is a status
   * document {"status":"connected|warning|error|disconnected","summary",
   * "problem"?,"resource"?,"environments"?,"actions":[...]}. A non-OK status
   * (SB_ERR_TIMEOUT, SB_ERR_UNAVAILABLE) means it could not answer; out is
   * the reason. Full shapes: docs/plugin-authoring.md. */
  sb_status (*on_status)(void* instance, sb_call* call, sb_str request_json, sb_output* out);
} sb_status_adapter;

typedef struct sb_connection_provider {
  uint32_t struct_size; /* sizeof(sb_connection_provider) */
  uint32_t reserved;
  /* REQUIRED. out: {"authorizationEndpoint","tokenEndpoint","revocationEndpoint"?,
   * "scopes":[...],"clientAuth":"client_secret_basic|client_secret_post"}. */
  sb_status (*on_describe)(void* instance, sb_output* out);
  /* REQUIRED. Normalise a token endpoint reply (request: {"status","body","baseUrl"?})
   * into {"accessToken","refreshToken"?,"expiresIn"?,"scope"?,"account"?}.
   * "baseUrl" (the plugin's base_url, "" when unset) is a request member,
   * not a struct field: hosts before it leave it out, so read it as optional.
   * "account" is a label of at most 200 bytes without control characters. */
  sb_status (*on_token_response)(void* instance, sb_call* call, sb_str request_json,
                                 sb_output* out);
  /* OPTIONAL (NULL = no discovery). request: {"serverUrl"}; out: the discovered
   * endpoints in the on_describe shape plus "issuer" and "resource". */
  sb_status (*on_discover)(void* instance, sb_call* call, sb_str request_json, sb_output* out);
} sb_connection_provider;

typedef struct sb_sync_source {
  uint32_t struct_size; /* sizeof(sb_sync_source) */
  uint32_t reserved;
  /* REQUIRED. out: {"head","entries":[{"path","hash","size"}]}. */
  sb_status (*on_list_tree)(void* instance, sb_call* call, sb_str request_json, sb_output* out);
  /* REQUIRED. request: {"path","ref"?}; out: the raw file bytes. */
  sb_status (*on_read)(void* instance, sb_call* call, sb_str request_json, sb_output* out);
  /* REQUIRED. Atomic multi-file write. request: {"expectedHead","message",
   * "changes":[{"path","content"|null}]}; SB_ERR_CONFLICT if the head moved.
   * out: {"head"}. */
  sb_status (*on_write)(void* instance, sb_call* call, sb_str request_json, sb_output* out);

  /* ---- since 1.4 (a 1.0-1.3 table ends above; these read as NULL) ---- */
  /* The set-up calls of a sync link, each OPTIONAL (NULL = not supported; the
   * host answers the route with a problem, never calls it). Every request is
   * the on_list_tree context {"projectId","key","baseUrl","settings":{},
   * "secrets":{},"accessToken"?} plus "params":{"limit"?} (how many items
   * a listing returns at most; the plugin has a default and a cap and answers
   * SB_ERR_INVALID_ARGUMENT past it). OWNERSHIP: request_json is the host's,
   * borrowed for the call; `out` is the host's buffer. Failures, with a
   * reason in `out` (never a secret): SB_ERR_UNAUTHORIZED the provider
   * rejected the token (invalid, expired, revoked); SB_ERR_NOT_FOUND the
   * linked resource does not exist or the token may not see it;
   * SB_ERR_RATE_LIMITED with {"reason","retryAfter"?} (seconds, as on_run);
   * SB_ERR_INVALID_ARGUMENT the link's settings are unusable;
   * SB_ERR_UNAVAILABLE / SB_ERR_TIMEOUT the provider could not answer. */
  /* Checks the token and its access to the linked resource. out:
   * {"resource","defaultBranch"?,"branch"?,"canRead","canWrite"}; canWrite
   * false means sync can preview but not push. */
  sb_status (*on_validate)(void* instance, sb_call* call, sb_str request_json, sb_output* out);
  /* The resources (repositories) the token can see, the linked one not
   * needed. out: {"repositories":[{"name","private"?,"defaultBranch"?}],
   * "truncated"} (truncated: more exist than the limit let through). */
  sb_status (*on_list_repositories)(void* instance, sb_call* call, sb_str request_json, sb_output* out);
  /* The branches of the linked resource. out: {"branches":[{"name","head",
   * "protected"?}],"truncated"}. */
  sb_status (*on_list_branches)(void* instance, sb_call* call, sb_str request_json, sb_output* out);
  /* The newest commits of the linked branch (its default branch when none is
   * set), newest first. out: {"branch"?,"commits":[{"sha","message",
   * "author"?,"date"?}]} ("date": ISO 8601). */
  sb_status (*on_list_commits)(void* instance, sb_call* call, sb_str request_json, sb_output* out);
} sb_sync_source;

typedef struct sb_actions {
  uint32_t struct_size; /* sizeof(sb_actions) */
  uint32_t reserved;
  /* REQUIRED. The actions without a project context. out:
   * [{"id","label","minRole":"owner|admin|editor|viewer","kind",
   *   "enabled"?,"reason"?}] (kind: since 1.2, see on_list_for). */
  sb_status (*on_list)(void* instance, sb_output* out);
  /* REQUIRED. Run one action. request: {"projectId","key","baseUrl",
   * "settings":{},"secrets":{},"params":{}}. Report progress through
   * host_progress_step (1.2 hosts) or host_progress. out on SB_OK: a JSON
   * result object ({"url"} for navigation actions); otherwise a reason, or
   * {"reason","retryAfter"?} (seconds) for SB_ERR_RATE_LIMITED. */
  sb_status (*on_run)(void* instance, sb_call* call, sb_str action_id, sb_str request_json,
                      sb_output* out);

  /* ---- since 1.2 (a 1.0/1.1 table ends above; reads as NULL) ---- */
  /* OPTIONAL (NULL = the host calls on_list). The actions for one link.
   * request: {"projectId","key","settings":{},"secretNames":[...]} (no secret
   * values); out: the on_list shape, each with "kind" one of connect,
   * disconnect, configure, deploy-production, deploy-preview, push,
   * content-sync, check, open. */
  sb_status (*on_list_for)(void* instance, sb_call* call, sb_str request_json, sb_output* out);
} sb_actions;

/* ---- The plugin descriptor ----------------------------------------------- */

/* OWNERSHIP: plugin; static for the life of the loaded library. The host reads
 * abi_major, abi_minor and struct_size before anything else. */
typedef struct sb_plugin {
  uint32_t abi_major;   /* SB_ABI_VERSION_MAJOR the plugin was built with */
  uint32_t abi_minor;   /* SB_ABI_VERSION_MINOR the plugin was built with */
  uint32_t struct_size; /* sizeof(sb_plugin) */
  uint32_t reserved;

  sb_str id;      /* [a-z][a-z0-9_-]*, unique among loaded plugins */
  sb_str name;    /* display name */
  sb_str version; /* the plugin's own version, e.g. "1.2.0" */
  sb_str description;

  const sb_integration_schema* schemas; /* OWNERSHIP: plugin, static */
  size_t schema_count;

  /* REQUIRED. Create an instance. `host` is valid until on_destroy returns
   * (OWNERSHIP: host). settings_json is the plugin's YAML settings as a JSON
   * object (borrowed). *out_instance (OWNERSHIP: plugin) is passed to every hook
   * and released by on_destroy. On failure write the reason to `error`. */
  sb_status (*on_init)(const sb_host_api* host, sb_str settings_json, void** out_instance,
                       sb_output* error);
  /* REQUIRED. Release the instance. Called once; no hook runs concurrently. */
  void (*on_destroy)(void* instance);

  /* OPTIONAL capability tables. OWNERSHIP: plugin, static. */
  const sb_status_adapter* status_adapter;
  const sb_connection_provider* connection_provider;
  const sb_sync_source* sync_source;
  const sb_actions* actions;
} sb_plugin;

/* The entry function returns a pointer to static data, or NULL when the plugin
 * cannot describe itself (the host then refuses it). It must do nothing else. */
typedef const sb_plugin* (*sb_plugin_entry_fn)(void);

/* ---- Layout promises (checked by C and C++ compilers) -------------------- */
#ifdef __cplusplus
#define SB_ABI_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define SB_ABI_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif
SB_ABI_STATIC_ASSERT(offsetof(sb_plugin, abi_major) == 0, "abi_major must be first");
SB_ABI_STATIC_ASSERT(offsetof(sb_plugin, abi_minor) == 4, "abi_minor must follow abi_major");
SB_ABI_STATIC_ASSERT(offsetof(sb_plugin, struct_size) == 8, "struct_size must be third");
SB_ABI_STATIC_ASSERT(sizeof(sb_str) == 2 * sizeof(void*), "sb_str is (pointer, length)");
SB_ABI_STATIC_ASSERT(offsetof(sb_host_api, struct_size) == 0, "struct_size first");
SB_ABI_STATIC_ASSERT(offsetof(sb_http_request, struct_size) == 0, "struct_size first");
SB_ABI_STATIC_ASSERT(offsetof(sb_schema_field, struct_size) == 0, "struct_size first");
SB_ABI_STATIC_ASSERT(offsetof(sb_schema_field, destination) ==
                         offsetof(sb_schema_field, option_count) + sizeof(size_t),
                     "1.1 fields start where the 1.0 sb_schema_field ended");
SB_ABI_STATIC_ASSERT(offsetof(sb_integration_schema, struct_size) == 0, "struct_size first");
SB_ABI_STATIC_ASSERT(offsetof(sb_status_adapter, struct_size) == 0, "struct_size first");
SB_ABI_STATIC_ASSERT(offsetof(sb_connection_provider, struct_size) == 0, "struct_size first");
SB_ABI_STATIC_ASSERT(offsetof(sb_sync_source, struct_size) == 0, "struct_size first");
SB_ABI_STATIC_ASSERT(offsetof(sb_actions, struct_size) == 0, "struct_size first");
SB_ABI_STATIC_ASSERT(offsetof(sb_actions, on_list_for) ==
                         offsetof(sb_actions, on_run) + sizeof(((const sb_actions*)0)->on_run),
                     "1.2 fields start where the 1.1 sb_actions ended");
SB_ABI_STATIC_ASSERT(offsetof(sb_sync_source, on_validate) ==
                         offsetof(sb_sync_source, on_write) + sizeof(((const sb_sync_source*)0)->on_write),
                     "1.4 fields start where the 1.3 sb_sync_source ended");
SB_ABI_STATIC_ASSERT(offsetof(sb_sync_source, on_list_commits) ==
                         offsetof(sb_sync_source, on_validate) + 3 * sizeof(((const sb_sync_source*)0)->on_validate),
                     "the 1.4 sync set-up hooks are four adjacent pointers");
SB_ABI_STATIC_ASSERT(offsetof(sb_host_api, host_access_token) ==
                         offsetof(sb_host_api, host_progress_step) +
                             sizeof(((const sb_host_api*)0)->host_progress_step),
                     "1.3 fields start where the 1.2 sb_host_api ended");
SB_ABI_STATIC_ASSERT(offsetof(sb_host_api, host_progress_step) ==
                         offsetof(sb_host_api, host_call_cancelled) +
                             sizeof(((const sb_host_api*)0)->host_call_cancelled),
                     "1.2 fields start where the 1.1 sb_host_api ended");
SB_ABI_STATIC_ASSERT(sizeof(sb_status) == 4, "sb_status is 32-bit");

#undef SB_ABI_STATIC_ASSERT

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SWITCHBOARD_ABI_H */
