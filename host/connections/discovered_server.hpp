// What MCP authorization discovery found for one server (the mcp_oauth
// plugin's on_discover output: RFC 9728 protected resource metadata, then
// RFC 8414 / OpenID metadata of its authorization server, issuer checked,
// S256 required), how configured endpoints override it field by field, and
// a cache of it per server URL with a TTL on the host's clock.
// Thread-safety: the functions are pure; DiscoveryCache is thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "core/result.hpp"

namespace sb::connections {

struct DiscoveredServer {
  std::string issuer;    // the authorization server, as its metadata names it
  std::string resource;  // the canonical server URI (RFC 8707 `resource`)
  std::string authorizationEndpoint;
  std::string tokenEndpoint;
  std::string revocationEndpoint;    // "" = none advertised
  std::string registrationEndpoint;  // "" = no RFC 7591 registration
  bool clientIdMetadataDocumentSupported = false;
  // RFC 9207: every authorization response carries `iss`; one without is refused.
  bool authorizationResponseIss = false;
  std::vector<std::string> scopes;   // the resource's scopes_supported
};

// BadGateway naming the missing or mistyped field when `json` is not the
// on_discover shape.
Result<DiscoveredServer> parseDiscoveredServer(const std::string& json);

// The configured OAuth fields, with each endpoint (and the scopes) that is
// not configured taken from discovery.
ConnectionOAuthConfig withDiscoveredEndpoints(ConnectionOAuthConfig configured, const DiscoveredServer& server);

class DiscoveryCache {
 public:
  explicit DiscoveryCache(std::function<std::int64_t()> clock) : clock_(std::move(clock)) {}

  // The entry for `serverUrl` if it was stored less than `ttlMs` ago.
  std::optional<DiscoveredServer> find(const std::string& serverUrl, std::int64_t ttlMs);
  // Stores a fresh discovery; returns the issuer it replaced when that
  // differs ("" otherwise), so the caller can say the server moved.
  std::string put(const std::string& serverUrl, DiscoveredServer server);
  void invalidate(const std::string& serverUrl);

 private:
  struct Entry {
    DiscoveredServer server;
    std::int64_t storedAtMs = 0;
    bool fresh = true;  // false once invalidated (kept to notice an issuer change)
  };
  std::function<std::int64_t()> clock_;
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace sb::connections
