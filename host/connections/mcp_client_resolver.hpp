// Fills in an MCP connection (type: mcp) for its authorization server at
// authorize, callback and refresh time: the endpoints, issuer and resource
// from discovery (the connection provider plugin's on_discover, run with
// the connection's egress policy; cached per server URL for the
// connection's discovery_ttl_ms on the host clock), configured endpoints
// winning field by field; and the client id, in this order: oauth.client_id
// as configured; the host's Client ID Metadata Document when the server
// advertises client_id_metadata_document_supported (and the host's public
// origin is https); a dynamic registration (RFC 7591), sealed and kept per
// issuer in the store and reused; else Conflict telling the operator to
// configure oauth.client_id.
// Thread-safety: thread-safe; one per process. Registrations are made one at
// a time, so concurrent authorizations do not register twice.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "connections/client_registration.hpp"
#include "connections/connection_directory.hpp"
#include "connections/discovered_server.hpp"
#include "core/result.hpp"
#include "crypto/secret_box.hpp"

namespace sb {
class PluginRegistry;
class Store;
}  // namespace sb

namespace sb::connections {

inline constexpr const char* kClientSourceConfigured = "configured";
inline constexpr const char* kClientSourceMetadataDocument = "metadata_document";
inline constexpr const char* kClientSourceRegistered = "registered";

// on_discover of the connection's server: the plugin's JSON, or why not.
using Discover = std::function<Result<std::string>(const ConnectionConfig& connection)>;
using RegisterClient =
    std::function<Result<ClientRegistration>(const ConnectionConfig& connection, const std::string& endpoint)>;

// on_discover through the first loaded plugin that provides it, with the
// connection's egress policy. Failures become BadGateway (the server's
// metadata is missing or unusable) or Conflict (the egress policy refused).
Discover discoverThroughPlugins(const PluginRegistry& registry);

class McpClientResolver {
 public:
  // `box` may be null (no secret key): registration is then refused.
  McpClientResolver(Store& store, const SecretBox* box, Discover discover,
                    std::function<std::int64_t()> clock, RegisterClient registerWith = registerClient);

  Result<ResolvedConnection> resolve(const ConnectionConfig& connection);
  void clientRejected(const ResolvedConnection& connection);
  void forgetDiscovery(const ConnectionConfig& connection) { cache_.invalidate(connection.url); }

 private:
  Result<DiscoveredServer> discovered(const ConnectionConfig& connection);
  Result<ClientRegistration> registration(const ConnectionConfig& connection, const DiscoveredServer& server);

  Store& store_;
  const SecretBox* box_;
  Discover discover_;
  std::function<std::int64_t()> clock_;
  RegisterClient register_;
  DiscoveryCache cache_;
  std::mutex registering_;
};

}  // namespace sb::connections
