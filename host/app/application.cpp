#include "app/application.hpp"

#include <Poco/Environment.h>
#include <Poco/Path.h>
#include <Poco/Logger.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>

#include "auth/tokens.hpp"
#include "connections/access_token_source.hpp"
#include "connections/connection_directory.hpp"
#include "connections/connection_sync.hpp"
#include "connections/mcp_client_resolver.hpp"
#include "connections/provider_defaults.hpp"
#include "core/clock.hpp"
#include "core/metrics.hpp"
#include "core/random_text.hpp"
#include "crypto/secret_box.hpp"
#include "actions/action_service.hpp"
#include "events/event_hub.hpp"
#include "http/api_server.hpp"
#include "plugins/loaded_plugin.hpp"
#include "plugins/registry.hpp"
#include "status/live_status.hpp"
#include "status/status_providers.hpp"
#include "status/status_service.hpp"
#include "store/store.hpp"
#include "sync/sync_actions.hpp"
#include "sync/sync_service.hpp"

namespace sb {
namespace {

// The loaded plugins that provide `hook`, by integration key (schema id),
// with the operator's base_url for each.
struct KeyedPlugins {
  std::map<std::string, std::shared_ptr<LoadedPlugin>> plugins;
  std::map<std::string, std::string> baseUrls;
};

KeyedPlugins pluginsProviding(PluginRegistry& registry, const PluginsConfig& config, PluginHook hook) {
  KeyedPlugins out;
  for (const auto& info : registry.plugins()) {
    if (info.state != PluginState::Loaded) continue;
    auto plugin = registry.find(info.id);
    if (!plugin || !plugin->provides(hook)) continue;
    std::string baseUrl;
    for (const auto& entry : config.enabled) {
      if (entry.name == info.id || entry.path == info.path) baseUrl = entry.baseUrl;
    }
    for (const auto& schema : info.schemas) {
      out.plugins.emplace(schema.id, plugin);
      out.baseUrls.emplace(schema.id, baseUrl);
    }
  }
  return out;
}

// The scopes of `required` missing from the space-separated `granted`.
std::vector<std::string> missingScopes(const std::vector<std::string>& required, const std::string& granted) {
  std::vector<std::string> have;
  std::istringstream words(granted);
  for (std::string word; words >> word;) have.push_back(word);
  std::vector<std::string> missing;
  for (const std::string& scope : required) {
    if (std::find(have.begin(), have.end(), scope) == have.end()) missing.push_back(scope);
  }
  return missing;
}

// Lookups by integration key over `keyed`: the plugin, the operator's
// base_url and the link's opened secrets (actions and sync take this shape).
actions::ActionPlugins pluginLookup(KeyedPlugins keyed, CredentialsFn credentials) {
  actions::ActionPlugins out;
  auto plugins = std::make_shared<const std::map<std::string, std::shared_ptr<LoadedPlugin>>>(std::move(keyed.plugins));
  auto baseUrls = std::make_shared<const std::map<std::string, std::string>>(std::move(keyed.baseUrls));
  out.pluginFor = [plugins](const std::string& key) -> std::shared_ptr<LoadedPlugin> {
    auto it = plugins->find(key);
    return it == plugins->end() ? nullptr : it->second;
  };
  out.baseUrlFor = [baseUrls](const std::string& key) {
    auto it = baseUrls->find(key);
    return it == baseUrls->end() ? std::string() : it->second;
  };
  out.credentials = std::move(credentials);
  return out;
}

}  // namespace

std::string defaultPluginDirectory(const std::string& executableDir) {
  Poco::Path dir(executableDir);
  dir.makeDirectory();
  dir.popDirectory();
  dir.pushDirectory("plugins");
  return dir.toString();
}

Application::Application(Config config, std::string executableDir)
    : config_(std::move(config)), executableDir_(std::move(executableDir)) {}

Application::~Application() { stop(); }

Result<StartupReport> Application::start() {
  auto& log = Poco::Logger::get("switchboard");
  StartupReport report;

  auto store = Store::open(config_.database);
  if (!store) return store.status();
  store_ = std::move(store).value();
  auto applied = store_->migrate();
  if (!applied) return applied.status();
  report.migrationsApplied = applied.value();

  registry_ = std::make_unique<PluginRegistry>();
  registry_->loadAll(config_.plugins, defaultPluginDirectory(executableDir_));
  for (const auto& plugin : registry_->plugins()) {  // the registry logs each one
    ++(plugin.state == PluginState::Loaded ? report.pluginsLoaded : report.pluginsFailed);
  }
  // The catalog mirrors what loaded. A failure here is reported and the server
  // still starts: the catalog keeps its previous rows.
  if (Status synced = store_->catalog().syncCatalog(registry_->plugins()); !synced) {
    report.catalogError = synced.message();
    log.error("catalog sync failed: %s", synced.message());
  }

  // Provider plugins' defaults fill what each connection's YAML left out; a
  // connection naming a plugin that cannot be one is a config error.
  if (Status merged = connections::applyProviderDefaults(config_.connections, *registry_); !merged) return merged;

  // Connections likewise: a failed sync leaves the previous rows, is logged
  // and shows on /readyz, and the server still starts.
  auto synced = connections::syncConnections(store_->connections(), config_.connections);
  if (!synced) {
    report.connectionsError = synced.status().message();
    log.error("connections sync failed: %s", report.connectionsError);
  } else {
    log.information("connections synced: %d added, %d changed, %d disabled (no longer configured)",
                    synced->added, synced->updated, synced->disabled);
  }
  for (const ConnectionConfig& connection : config_.connections) {
    if (!connection.disabledReason.empty()) {
      log.warning("connection '%s' is disabled: %s", connection.name, connection.disabledReason);
    }
  }

  if (Status bootstrap = createBootstrapAdmin(report); !bootstrap) return bootstrap;

  // Without a key the server still runs; linking an integration that sets a
  // secret is then refused (503) rather than stored unprotected.
  if (!config_.secrets.key.empty() || !config_.secrets.keyFile.empty()) {
    auto box = SecretBox::fromConfig(config_.secrets);
    if (!box) return box.status();
    secrets_ = std::move(box).value();
  } else {
    log.warning("no secrets.key or secrets.key_file: integration secrets cannot be stored");
  }
  auto resolver = std::make_shared<connections::McpClientResolver>(
      *store_, secrets_.get(), connections::discoverThroughPlugins(*registry_), systemNowMs);
  connectionDirectory_ = std::make_unique<connections::ConnectionDirectory>(config_.connections, std::move(resolver));
  if (secrets_) {
    connections::AccessTokenOptions options;
    options.instanceId = instanceName();
    options.onRevoked = [this](const std::string& tokenId) { grantRevoked(tokenId); };
    tokens_ = std::make_unique<connections::AccessTokenSource>(*store_, *connectionDirectory_, *secrets_,
                                                               std::move(options));
  }
  metrics_ = std::make_unique<Metrics>();
  if (Status started = startStatusService(); !started) return started;

  events_ = std::make_unique<events::EventHub>(config_.events, store_->events(), store_->projects());
  if (Status started = events_->start(); !started) return started;
  status::LiveStatusDependencies live;
  live.status = status_.get();
  live.events = &store_->events();
  events::EventHub* hub = events_.get();
  live.activeProjects = [hub] { return hub->activeProjects(); };
  live.notify = [hub] { hub->notify(); };
  live_ = std::make_unique<status::LiveStatus>(std::move(live));
  if (Status started = live_->start(); !started) return started;

  ApiContext context;
  context.store = store_.get();
  context.events = events_.get();
  context.eventsConfig = config_.events;
  context.sync = config_.sync;
  if (Status started = startActionService(); !started) return started;
  context.actions = actions_.get();
  if (Status started = startSyncService(); !started) return started;
  context.syncService = sync_.get();
  PluginRegistry* registry = registry_.get();
  context.plugins = [registry] { return registry->plugins(); };
  context.pluginsReady = [registry] { return registry->allLoaded(); };
  const bool connectionsSynced = report.connectionsError.empty();
  context.connectionsSynced = [connectionsSynced] { return connectionsSynced; };
  context.logging = config_.logging;
  context.secrets = secrets_.get();
  context.connectionDirectory = connectionDirectory_.get();
  context.status = status_.get();
  context.metrics = metrics_.get();
  status::StatusService* service = status_.get();
  status::LiveStatus* liveStatus = live_.get();
  context.integrationChanged = [service, liveStatus](const std::string& projectId, const std::string& key) {
    service->invalidate(projectId, key);
    liveStatus->linkChanged(projectId, key);
  };
  server_ = std::make_unique<ApiServer>(config_.server, std::move(context));
  if (Status started = server_->start(); !started) return started;
  report.port = server_->port();
  return report;
}

CredentialsFn Application::credentials() const {
  const SecretBox* box = secrets_.get();
  connections::AccessTokenSource* tokens = tokens_.get();
  const connections::ConnectionDirectory* directory = connectionDirectory_.get();
  return [box, tokens, directory](const IntegrationLink& link) -> Result<LinkCredentials> {
    LinkCredentials out;
    if (!link.secretsSealed.empty()) {
      if (box == nullptr) return Result<LinkCredentials>(ErrorCode::Unavailable, "no secret key is configured");
      auto opened = box->open(link.secretsSealed, integrationSecretsContext(link.projectId, link.key));
      if (!opened) return opened.status();
      out.secretsJson = std::move(opened).value();
    }
    if (link.oauthTokenId.empty()) return out;
    if (tokens == nullptr) {
      return Result<LinkCredentials>(ErrorCode::Unavailable, "no secret key is configured: connection tokens cannot be opened");
    }
    auto token = tokens->current(link.oauthTokenId);
    if (!token && token.status().code() == ErrorCode::NotFound) {
      // Disconnected since it was linked: the same remedy as a revocation.
      return Result<LinkCredentials>(ErrorCode::PermissionDenied,
                                     "the connection '" + link.connectionName + "' was disconnected: reconnect it",
                                     kOAuthRevokedField);
    }
    if (!token) return token.status();
    if (const ConnectionConfig* connection = directory->find(link.connectionName); connection != nullptr) {
      out.missingScopes = missingScopes(connection->oauth.scopes, token->scopes);
    }
    const std::string tokenId = link.oauthTokenId;
    const std::int64_t generation = token->generation;
    out.token = std::make_shared<CallAccessToken>(
        std::move(token->token), [tokens, tokenId, generation]() -> Result<std::string> {
          auto fresh = tokens->afterRejection(tokenId, generation);
          if (!fresh) return fresh.status();
          return std::move(fresh->token);
        });
    return out;
  };
}

void Application::grantRevoked(const std::string& tokenId) {
  // Called on the thread of whichever call found the revocation, perhaps
  // while stop() is tearing the services down.
  std::lock_guard lock(revokedMutex_);
  if (stopping_) return;
  auto links = store_->integrations().listIntegrationsUsingToken(tokenId);
  if (!links) {
    Poco::Logger::get("switchboard").warning("cannot list the links of a revoked grant: %s", links.status().message());
    return;
  }
  for (const IntegrationLink& link : *links) {
    if (status_) status_->invalidate(link.projectId, link.key);
    if (live_) live_->linkChanged(link.projectId, link.key);
  }
}

std::string Application::instanceName() const {
  if (!config_.actions.instanceId.empty()) return config_.actions.instanceId;
  return Poco::Environment::nodeName() + ":" + std::to_string(config_.server.port);
}

Status Application::startActionService() {
  actions::ActionPlugins plugins =
      pluginLookup(pluginsProviding(*registry_, config_.plugins, PluginHook::ActionsRun), credentials());
  ActionsConfig config = config_.actions;
  // A restart on the same host and port is the same instance: it fails its own leftovers.
  config.instanceId = instanceName();
  actions_ = std::make_unique<actions::ActionService>(config, *store_, events_.get(), std::move(plugins));
  return actions_->start();
}

// The sync source of each integration key: the plugin with sb_sync_source.
Status Application::startSyncService() {
  actions::ActionPlugins plugins =
      pluginLookup(pluginsProviding(*registry_, config_.plugins, PluginHook::SyncListTree), credentials());
  // A sync's lease names this process, not only host and port: with port 0,
  // or after a restart on the same port, a host:port name would let the new
  // process renew the lease of a job the old one died running.
  const std::string instanceId = instanceName() + "/" + randomUrlSafeText(6);
  sync_ = std::make_unique<sync::SyncService>(config_.sync, *store_, events_.get(), std::move(plugins), instanceId);
  // The host owns the workspace: the sync source's push/pull/sync actions run
  // here. Set before the server accepts any action; actions stop before sync.
  if (actions_) actions_->runOnHost(sync::syncQuickActions(*sync_));
  return sync_->start();
}

Status Application::startStatusService() {
  // Which loaded plugin reports status for each integration key (schema id).
  const KeyedPlugins keyed = pluginsProviding(*registry_, config_.plugins, PluginHook::Status);
  const auto& adapters = keyed.plugins;
  const auto& baseUrls = keyed.baseUrls;
  status::StatusDependencies deps;
  // The reply's items: every loaded status adapter and every configured
  // plugin that failed, in catalog order. Without the catalog's memory a
  // failed plugin still gets its item, under its configured name.
  SchemaFilter everySchema;
  everySchema.includeUnavailable = true;
  auto remembered = store_->catalog().listSchemas(everySchema);
  if (!remembered) {
    Poco::Logger::get("switchboard").warning("status: cannot read the catalog: %s", remembered.status().message());
  }
  deps.providers = status::statusProvidersOf(registry_->plugins(),
                                             remembered ? *remembered : std::vector<IntegrationSchema>{});
  deps.integrations = &store_->integrations();
  deps.metrics = metrics_.get();
  deps.adapterFor = [adapters](const std::string& key) -> status::AdapterCallFn {
    auto it = adapters.find(key);
    if (it == adapters.end()) return {};
    std::shared_ptr<LoadedPlugin> plugin = it->second;
    return [plugin](const std::string& request, int64_t deadlineMs, const std::shared_ptr<CallAccessToken>& token) {
      PluginCall call;
      call.deadlineMs = deadlineMs;
      call.accessToken = token;
      return plugin->callStatus(request, call);
    };
  };
  deps.baseUrlFor = [baseUrls](const std::string& key) {
    auto it = baseUrls.find(key);
    return it == baseUrls.end() ? std::string() : it->second;
  };
  deps.credentials = credentials();
  status_ = std::make_unique<status::StatusService>(config_.status, std::move(deps));
  status::StatusService* service = status_.get();
  metrics_->setGaugeCollector(Metrics::kBreakers, [service] { return service->breakerGauges(); });
  // A failed warm start only costs the first request a cold call.
  if (Status warm = status_->warmStart(); !warm) {
    Poco::Logger::get("switchboard").warning("status warm start failed: %s", warm.message());
  }
  return Status::ok();
}

Status Application::createBootstrapAdmin(StartupReport& report) {
  auto users = store_->users().countUsers();
  if (!users) return users.status();
  if (users.value() > 0) return Status::ok();
  auto admin = store_->users().ensureUser("admin", true);
  if (!admin) return admin.status();
  std::string token = generateApiToken();
  auto created = store_->users().createToken(admin->id, sha256Hex(token), "bootstrap");
  if (!created) return created.status();
  report.bootstrapUser = admin->name;
  report.bootstrapToken = std::move(token);
  return Status::ok();
}

void Application::stop() {
  {
    // A revocation being announced finishes first; later ones are dropped.
    std::lock_guard lock(revokedMutex_);
    stopping_ = true;
  }
  // No new status events once stopping; then streams end, so graceful stop
  // does not wait for subscribers.
  if (live_) live_->stop();
  if (events_) events_->stop();
  if (server_) server_->stop();
  server_.reset();
  if (actions_) actions_->stop();
  actions_.reset();
  if (sync_) sync_->stop();
  sync_.reset();
  live_.reset();
  events_.reset();
  status_.reset();
  tokens_.reset();
  registry_.reset();
  store_.reset();
}

}  // namespace sb
