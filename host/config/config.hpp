// Typed, validated server configuration parsed from YAML (yaml-cpp).
// Every error names `file:line:column: key.path: reason`; unknown keys get a
// did-you-mean. `${VAR}` and `${VAR:-default}` are interpolated in scalars.
// Relative paths are resolved against the config file's directory.
// Thread-safety: parse once at start-up; the resulting Config is a plain value.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace sb {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;                 // 0 = ephemeral (tests)
  int ioThreads = 0;               // front-end I/O threads (accept, parse, write); 0 = one per core
  int threads = 64;                // route-handler workers (they block on the store and plugins)
  int maxQueued = 1024;            // requests waiting for a worker; beyond that 503
  int backlog = 1024;              // listen(2) backlog
  bool reusePort = false;          // SO_REUSEPORT: only for deliberate multi-process set-ups
  int maxConnections = 20000;      // open connections in all; beyond that a new one gets 503
  int maxConnectionsPerClient = 256;  // open connections per peer address
  std::size_t maxBodyBytes = 1 << 20;       // request bodies larger than this get 413
  std::size_t maxHeaderBytes = 16384;       // request line + header fields; beyond that 431
  int maxHeaderCount = 100;        // header fields per request; beyond that 431
  int headerTimeoutMs = 10000;     // the whole request head, from its first byte; then 408
  int bodyTimeoutMs = 30000;       // the whole request body, from the end of the head; then 408
  int idleTimeoutMs = 15000;       // keep-alive idle timeout (no byte of a next request)
  int writeTimeoutMs = 30000;      // one write to a client that does not read; then closed
  int maxKeepAliveRequests = 1000;
  std::size_t streamOutboxBytes = 256 * 1024;  // unsent bytes a streaming reply may queue
};

struct DatabaseConfig {
  // "sqlite:PATH" (PATH resolved against the config dir) or a PostgreSQL
  // connection string ("postgresql://..." or "host=... dbname=...").
  std::string url = "sqlite:var/switchboard.db";
  int poolMin = 1;
  int poolMax = 16;
  int busyTimeoutMs = 5000;  // SQLite busy timeout
  bool isSqlite() const { return url.rfind("sqlite:", 0) == 0; }
  std::string sqlitePath() const { return isSqlite() ? url.substr(7) : std::string(); }
};

// Where one plugin's HTTP requests may go beyond the host's default egress
// policy, which allows https only and refuses loopback, private, link-local,
// unique-local, CGNAT, multicast and unspecified addresses.
struct EgressConfig {
  bool allowHttp = false;          // plain http:// as well as https://
  std::vector<std::string> allow;  // host names (lower case) or IP networks ("10.0.0.0/8", "127.0.0.1")
};
// The Status field of a failure caused by this policy refusing a request
// (plugins/egress_policy.hpp); the status service reports it to operators.
inline constexpr const char* kEgressRefusalField = "egress";

struct PluginEntry {
  std::string name;         // plugin name; resolves to <directory>/<name>.so when path is empty
  std::string path;         // explicit .so path (absolute after loading the config)
  std::string baseUrl;      // provider API base URL override; empty = plugin default
  std::string settingsJson = "{}";  // per-plugin `settings:` mapping, as a JSON object
  int timeoutMs = 10000;    // cap on one outbound HTTP request of this plugin
  std::size_t maxResponseBytes = 8 << 20;  // cap on one provider response body
  EgressConfig egress;      // destinations allowed beyond the default egress policy
  std::string sourceLocation;  // "file:line:column" of this entry, for messages
};

struct PluginsConfig {
  std::string directory;  // empty = <directory of the executable>/../plugins
  std::vector<PluginEntry> enabled;
};

struct SecretsConfig {
  std::string keyFile;  // path to a 32-byte key (raw, hex or base64); resolved against config dir
  std::string key;      // the key inline (normally "${SWITCHBOARD_SECRET_KEY}"); wins over keyFile
};

// Integration status aggregation (GET /api/v1/integrations/status).
struct StatusConfig {
  int deadlineMs = 2000;          // one status call never waits longer for an adapter
  int cacheTtlMinMs = 10000;      // each (project, provider) result lives a random
  int cacheTtlMaxMs = 20000;      //   time in [min, max] so refreshes do not align
  int breakerFailures = 3;        // consecutive failures that open the breaker
  int breakerCooldownMs = 30000;  // open -> half-open after this long (one probe)
  int poolThreads = 16;           // adapter calls in parallel, all projects together
  int queueLimit = 1024;          // adapter calls waiting for a thread; more are refused
};

// Live events over SSE (GET /api/v1/integrations/events).
struct EventsConfig {
  int heartbeatMs = 15000;    // ":hb" comment to every subscriber this often
  int retryMs = 3000;         // "retry:" sent first: the client's reconnection delay
  int pollMs = 500;           // how often the event log is read for other instances' events
  int retentionHours = 24;    // events older than this are pruned (then resumes get "reset")
  int ticketTtlMs = 60000;    // lifetime of a single-use EventSource ticket
};

// Quick actions (POST /api/v1/integrations/actions).
struct ActionsConfig {
  int rateLimit = 5;              // actions per user and project ...
  int rateWindowMs = 60000;       // ... in this sliding window
  int poolThreads = 4;            // actions running at once
  int queueLimit = 64;            // accepted actions waiting for a thread; more get 503
  int deadlineMs = 120000;        // the longest one action may run
  int leaseMs = 30000;            // a running action's lease, renewed every third of it
  int idempotencyWaitMs = 5000;   // how long a repeat waits for the first request before 409
  std::string instanceId;         // this instance's lease owner; "" = host name + port
};

// Workspace files and sync with a sync source (GET/POST /api/v1/projects/{id}/sync).
struct SyncConfig {
  std::size_t maxFileBytes = 10u << 20;  // larger files are listed and skipped with a reason, never truncated
  int deadlineMs = 300000;               // the longest one plugin call of a sync may run
  int leaseMs = 30000;                   // a running sync's lease, renewed every third of it
};

// One OAuth connection from the `connections:` list: a provider (type
// oauth2) or an MCP server (type mcp, with its `url`). The client secret is
// kept in memory only: never stored, logged or returned.
struct ConnectionOAuthConfig {
  std::string clientId;
  std::string clientSecret;
  std::string authorizeUrl;
  std::string tokenUrl;
  std::string revocationUrl;  // RFC 7009; empty = none
  std::string redirectUri;    // sent byte-identical in the authorization and token requests
  std::vector<std::string> scopes;
  std::string tokenAuth = "client_secret_basic";  // client_secret_basic | client_secret_post
  std::vector<std::pair<std::string, std::string>> extraParams;  // added to the authorization request
  // Whether the YAML wrote `scopes` / `token_auth`: a provider plugin's
  // defaults fill only what the operator left out (field by field).
  bool scopesSet = false;
  bool tokenAuthSet = false;
};

struct ConnectionConfig {
  std::string name;  // [a-z][a-z0-9_-]*, the key everything else refers to
  std::string type = "oauth2";  // oauth2 | mcp
  std::string displayName;
  std::string description;
  std::string iconUrl;
  std::string url;  // the MCP server (type mcp only)
  // The plugin id whose connection provider supplies defaults (on_describe)
  // and normalises token replies (on_token_response); empty = none.
  std::string provider;
  ConnectionOAuthConfig oauth;
  int refreshMarginMs = 60000;  // refresh this long before the access token expires
  // How long an MCP server's discovered endpoints are reused (type mcp).
  int discoveryTtlMs = 3600000;
  // Where the host's token, revocation and discovery requests for this
  // connection may go beyond the default egress policy (as for plugins).
  EgressConfig egress;
  // Set when a `${VAR}` the entry uses is unset: the connection is then
  // disabled with this reason instead of stopping start-up.
  std::string disabledReason;
  std::string sourceLocation;  // "file:line:column" of this entry, for messages
  // Set at start from `provider`'s on_token_response: turns a 2xx token reply
  // {"status","body"} into {"accessToken","refreshToken"?,"expiresIn"?,"scope"?}.
  // Unset: the host reads the reply as RFC 6749 §5.1 itself.
  std::function<Result<std::string>(const std::string& requestJson)> tokenReplyAdapter;
};

struct LoggingConfig {
  std::string level = "info";     // trace|debug|info|warning|error
  std::string accessLog = "-";    // "-" = stdout, "" = off, else a file path (JSON lines)
  std::string file = "-";         // application log: "-" = stderr, else a file path
};

struct Config {
  ServerConfig server;
  DatabaseConfig database;
  PluginsConfig plugins;
  SecretsConfig secrets;
  StatusConfig status;
  EventsConfig events;
  ActionsConfig actions;
  SyncConfig sync;
  std::vector<ConnectionConfig> connections;
  LoggingConfig logging;
  std::string sourcePath;  // the file it came from ("" for in-memory text)
};

// Looks up an environment variable; std::nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
EnvLookup processEnv();

// Parse YAML text. `fileName` is used in messages and to resolve relative paths
// (against its directory; the current directory when empty).
Result<Config> parseConfig(const std::string& yamlText, const std::string& fileName,
                           const EnvLookup& env = processEnv());
// Read and parse a file; a missing/unreadable file is an InvalidArgument error.
Result<Config> loadConfig(const std::string& path, const EnvLookup& env = processEnv());

}  // namespace sb
