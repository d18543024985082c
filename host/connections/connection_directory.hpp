// The configured connections as the running host knows them, secrets
// included (the store has only their non-secret half): what the
// authorization request, the callback, refresh and revocation need to call a
// connection's authorization server. The configured set is built once at
// start and immutable; what an MCP server's discovery and client
// registration add comes from the McpClientResolver it may hold
// (connections/mcp_client_resolver.hpp), which caches it.
// Thread-safety: any thread may call any method.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "core/result.hpp"

namespace sb::connections {

class McpClientResolver;

// A connection ready for its authorization server: the configured fields,
// with an MCP server's discovered endpoints and client filled in.
struct ResolvedConnection {
  ConnectionConfig config;
  std::string resource;  // RFC 8707 `resource` (MCP servers), "" for plain OAuth
  std::string issuer;    // the discovered authorization server, "" when not discovered
  bool issInResponse = false;  // RFC 9207: the server says every authorization response names it
  // Where oauth.client_id came from: configured | metadata_document | registered
  std::string clientSource = "configured";
};

class ConnectionDirectory {
 public:
  ConnectionDirectory() = default;
  explicit ConnectionDirectory(std::vector<ConnectionConfig> configured,
                               std::shared_ptr<McpClientResolver> resolver = nullptr)
      : configured_(std::move(configured)), resolver_(std::move(resolver)) {}

  // Null when `name` is not configured.
  const ConnectionConfig* find(const std::string& name) const {
    for (const ConnectionConfig& connection : configured_) {
      if (connection.name == name) return &connection;
    }
    return nullptr;
  }
  const std::vector<ConnectionConfig>& all() const { return configured_; }

  // NotFound when not configured; for an MCP server whose endpoints or
  // client id are not all configured, whatever discovery or registration
  // refused (BadGateway, Conflict, Unavailable).
  Result<ResolvedConnection> resolve(const std::string& name) const;
  // The authorization server refused the resolved client (invalid_client):
  // the discovery is dropped, and a registration of ours forgotten.
  void clientRejected(const ResolvedConnection& connection) const;
  // The discovery of `connection` is dropped (the issuer changed under it).
  void forgetDiscovery(const ConnectionConfig& connection) const;

 private:
  std::vector<ConnectionConfig> configured_;
  std::shared_ptr<McpClientResolver> resolver_;
};

}  // namespace sb::connections
