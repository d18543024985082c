// The assembled server: config -> logging -> store (migrated) -> plugins ->
// catalog sync -> HTTP API. Owned by `switchboard serve`; tests start the real
// binary instead of this class so they exercise the same path operators do.
// Thread-safety: start()/stop() from the main thread only.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "config/config.hpp"
#include "core/link_credentials.hpp"
#include "core/result.hpp"

namespace sb {

class Store;
class PluginRegistry;
class ApiServer;
class SecretBox;
class Metrics;
namespace events {
class EventHub;
}
namespace actions {
class ActionService;
}
namespace sync {
class SyncService;
}
namespace connections {
class ConnectionDirectory;
class AccessTokenSource;
}
namespace status {
class StatusService;
class LiveStatus;
}

struct StartupReport {
  int port = 0;
  int migrationsApplied = 0;
  std::string bootstrapToken;  // set only on the very first start (no users yet)
  std::string bootstrapUser;
  std::size_t pluginsLoaded = 0;
  std::size_t pluginsFailed = 0;
  std::string catalogError;  // a failed catalog sync is reported, never fatal
  std::string connectionsError;  // likewise the sync of `connections:` (also on /readyz)
};

class Application {
 public:
  Application(Config config, std::string executableDir);
  ~Application();
  Application(const Application&) = delete;
  Application& operator=(const Application&) = delete;

  Result<StartupReport> start();
  void stop();

 private:
  Status createBootstrapAdmin(StartupReport& report);
  Status startStatusService();
  // actions.instance_id, else host name + ":" + port: this instance's name on leases.
  std::string instanceName() const;
  Status startActionService();
  Status startSyncService();
  // A link's secrets and its connection's token, for plugin calls.
  CredentialsFn credentials() const;
  // A grant was found revoked: every status item that uses it re-renders now.
  void grantRevoked(const std::string& tokenId);

  Config config_;
  std::string executableDir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<PluginRegistry> registry_;
  std::unique_ptr<SecretBox> secrets_;
  std::unique_ptr<connections::ConnectionDirectory> connectionDirectory_;
  // Keeps connection tokens valid for status, actions and sync; null without
  // a secret key (no grant can be opened then).
  std::unique_ptr<connections::AccessTokenSource> tokens_;
  std::mutex revokedMutex_;  // grantRevoked against stop()
  bool stopping_ = false;
  std::unique_ptr<Metrics> metrics_;
  // Calls into plugins from its pool: destroyed before the registry.
  std::unique_ptr<status::StatusService> status_;
  std::unique_ptr<events::EventHub> events_;  // before the server stops: ends its streams
  // Runs actions in plugins: destroyed before the registry, after the server.
  std::unique_ptr<actions::ActionService> actions_;
  std::unique_ptr<sync::SyncService> sync_;
  std::unique_ptr<status::LiveStatus> live_;   // status.changed events; stopped first
  std::unique_ptr<ApiServer> server_;
};

// Directory holding the bundled plugins when plugins.directory is empty.
std::string defaultPluginDirectory(const std::string& executableDir);
// Routes Poco's root logger to logging.file at logging.level.
Status configureLogging(const LoggingConfig& logging);

}  // namespace sb
