#include "app/application.hpp"

#include <Poco/Path.h>
#include <Poco/Logger.h>

#include "auth/tokens.hpp"
#include "http/api_server.hpp"
#include "plugins/registry.hpp"
#include "store/store.hpp"

namespace sb {

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
  if (Status synced = store_->syncCatalog(registry_->plugins()); !synced) {
    report.catalogError = synced.message();
    log.error("catalog sync failed: %s", synced.message());
  }

  if (Status bootstrap = createBootstrapAdmin(report); !bootstrap) return bootstrap;

  ApiContext context;
  context.store = store_.get();
  PluginRegistry* registry = registry_.get();
  context.plugins = [registry] { return registry->plugins(); };
  context.pluginsReady = [registry] { return registry->allLoaded(); };
  context.logging = config_.logging;
  server_ = std::make_unique<ApiServer>(config_.server, std::move(context));
  if (Status started = server_->start(); !started) return started;
  report.port = server_->port();
  return report;
}

Status Application::createBootstrapAdmin(StartupReport& report) {
  auto users = store_->countUsers();
  if (!users) return users.status();
  if (users.value() > 0) return Status::ok();
  auto admin = store_->ensureUser("admin", true);
  if (!admin) return admin.status();
  std::string token = generateApiToken();
  auto created = store_->createToken(admin->id, sha256Hex(token), "bootstrap");
  if (!created) return created.status();
  report.bootstrapUser = admin->name;
  report.bootstrapToken = std::move(token);
  return Status::ok();
}

void Application::stop() {
  if (server_) server_->stop();
  server_.reset();
  registry_.reset();
  store_.reset();
}

}  // namespace sb
