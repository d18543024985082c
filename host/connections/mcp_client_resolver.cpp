#include "connections/mcp_client_resolver.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>

#include "core/clock.hpp"
#include "core/json_text.hpp"
#include "plugins/loaded_plugin.hpp"
#include "plugins/registry.hpp"
#include "store/store.hpp"

namespace sb::connections {
namespace {

constexpr std::int64_t kDiscoveryDeadlineMs = 30000;

Poco::Logger& logger() { return Poco::Logger::get("connections"); }

bool needsDiscovery(const ConnectionConfig& connection) {
  const ConnectionOAuthConfig& oauth = connection.oauth;
  return connection.type == "mcp" && (oauth.authorizeUrl.empty() || oauth.tokenUrl.empty() || oauth.clientId.empty());
}

}  // namespace

Discover discoverThroughPlugins(const PluginRegistry& registry) {
  return [&registry](const ConnectionConfig& connection) -> Result<std::string> {
    // The connection's own `provider` when it names one, else the first
    // loaded plugin that discovers.
    std::shared_ptr<LoadedPlugin> provider;
    for (const PluginInfo& info : registry.plugins()) {
      if (!connection.provider.empty() && info.id != connection.provider) continue;
      std::shared_ptr<LoadedPlugin> loaded = registry.find(info.id);
      if (loaded && loaded->provides(PluginHook::ConnectionDiscover)) {
        provider = loaded;
        break;
      }
    }
    if (!provider && !connection.provider.empty()) {
      return Status(ErrorCode::Conflict, "connection '" + connection.name + "' needs MCP discovery, but its provider '" +
                                             connection.provider + "' has no on_discover; configure "
                                             "oauth.authorize_url, oauth.token_url and oauth.client_id");
    }
    if (!provider) {
      return Status(ErrorCode::Conflict, "connection '" + connection.name +
                                             "' needs MCP discovery, but no loaded plugin provides on_discover "
                                             "(enable mcp_oauth), or configure oauth.authorize_url, "
                                             "oauth.token_url and oauth.client_id");
    }
    Poco::JSON::Object request;
    request.set("serverUrl", connection.url);
    PluginCall call;
    call.deadlineMs = systemNowMs() + kDiscoveryDeadlineMs;
    call.egress = EgressPolicy(connection.egress);
    Result<std::string> found = provider->connectionDiscover(jsonText(request), call);
    if (found) return found;
    if (found.status().field() == kEgressRefusalField) {
      return Status(ErrorCode::Conflict, "MCP discovery for connection '" + connection.name +
                                             "' was refused by its egress policy (connections[].egress): " +
                                             found.status().message());
    }
    return Status(ErrorCode::BadGateway,
                  "MCP discovery for connection '" + connection.name + "' failed: " + found.status().message());
  };
}

McpClientResolver::McpClientResolver(Store& store, const SecretBox* box, Discover discover,
                                     std::function<std::int64_t()> clock, RegisterClient registerWith)
    : store_(store),
      box_(box),
      discover_(std::move(discover)),
      clock_(clock ? std::move(clock) : std::function<std::int64_t()>(systemNowMs)),
      register_(std::move(registerWith)),
      cache_(clock_) {}

Result<DiscoveredServer> McpClientResolver::discovered(const ConnectionConfig& connection) {
  if (auto cached = cache_.find(connection.url, connection.discoveryTtlMs)) return *cached;
  Result<std::string> found = discover_(connection);
  if (!found) return found.status();
  Result<DiscoveredServer> server = parseDiscoveredServer(*found);
  if (!server) return server.status();
  const std::string replaced = cache_.put(connection.url, *server);
  if (!replaced.empty()) {
    logger().warning("connection '%s': the MCP server's authorization server changed from %s to %s",
                     connection.name, replaced, server->issuer);
  }
  return server;
}

Result<ClientRegistration> McpClientResolver::registration(const ConnectionConfig& connection,
                                                           const DiscoveredServer& server) {
  if (box_ == nullptr) {
    return Status(ErrorCode::Unavailable, "no secret key is configured, so a client registration cannot be kept");
  }
  std::lock_guard lock(registering_);
  ConnectionRepository& repository = store_.connections();
  auto stored = repository.getClientRegistration(server.issuer);
  if (!stored) return stored.status();
  if (stored->has_value()) {
    Result<ClientRegistration> opened = openRegistration(**stored, *box_, server.issuer);
    if (opened && registrationUsable(*opened, connection.oauth.redirectUri, clock_())) return opened;
  }
  Result<ClientRegistration> registered = register_(connection, server.registrationEndpoint);
  if (!registered) return registered.status();
  if (Status saved = repository.putClientRegistration(server.issuer, sealRegistration(*registered, *box_, server.issuer));
      !saved) {
    return saved;
  }
  logger().information("connection '%s': registered a client at %s (RFC 7591)", connection.name, server.issuer);
  return registered;
}

Result<ResolvedConnection> McpClientResolver::resolve(const ConnectionConfig& connection) {
  ResolvedConnection out;
  out.config = connection;
  out.resource = connection.type == "mcp" ? connection.url : std::string();
  if (!needsDiscovery(connection)) return out;
  Result<DiscoveredServer> server = discovered(connection);
  if (!server) return server.status();
  out.config.oauth = withDiscoveredEndpoints(connection.oauth, *server);
  out.issuer = server->issuer;
  out.issInResponse = server->authorizationResponseIss;
  if (!server->resource.empty()) out.resource = server->resource;
  if (!connection.oauth.clientId.empty()) return out;

  ConnectionOAuthConfig& oauth = out.config.oauth;
  const std::string documentUrl = clientMetadataDocumentUrl(connection);
  if (server->clientIdMetadataDocumentSupported && !documentUrl.empty()) {
    oauth.clientId = documentUrl;
    oauth.clientSecret.clear();  // token_endpoint_auth_method none: a public client
    out.clientSource = kClientSourceMetadataDocument;
    return out;
  }
  if (!server->registrationEndpoint.empty()) {
    Result<ClientRegistration> registered = registration(connection, *server);
    if (!registered) return registered.status();
    oauth.clientId = registered->clientId;
    oauth.clientSecret = registered->clientSecret;
    oauth.tokenAuth = registered->tokenAuth;
    out.clientSource = kClientSourceRegistered;
    return out;
  }
  return Status(ErrorCode::Conflict,
                "connection '" + connection.name + "': the authorization server " + server->issuer +
                    " supports neither Client ID Metadata Documents (for an https redirect_uri) nor dynamic client "
                    "registration; configure oauth.client_id (and oauth.client_secret for a confidential client)",
                "oauth.client_id");
}

void McpClientResolver::clientRejected(const ResolvedConnection& connection) {
  cache_.invalidate(connection.config.url);
  if (connection.clientSource == kClientSourceRegistered && !connection.issuer.empty()) {
    (void)store_.connections().deleteClientRegistration(connection.issuer);
  }
  logger().warning("connection '%s': the authorization server refused the client (invalid_client); "
                   "discovery%s is redone on the next authorization",
                   connection.config.name,
                   std::string(connection.clientSource == kClientSourceRegistered ? " and registration" : ""));
}

Result<ResolvedConnection> ConnectionDirectory::resolve(const std::string& name) const {
  const ConnectionConfig* connection = find(name);
  if (connection == nullptr) return Status(ErrorCode::NotFound, "connection '" + name + "' is not configured");
  if (resolver_) return resolver_->resolve(*connection);
  ResolvedConnection out;
  out.config = *connection;
  out.resource = connection->type == "mcp" ? connection->url : std::string();
  return out;
}

void ConnectionDirectory::clientRejected(const ResolvedConnection& connection) const {
  if (resolver_) resolver_->clientRejected(connection);
}

void ConnectionDirectory::forgetDiscovery(const ConnectionConfig& connection) const {
  if (resolver_) resolver_->forgetDiscovery(connection);
}

}  // namespace sb::connections
