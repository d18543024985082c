// The HTTP API server: the event-driven front end (front_end.hpp), the
// bounded worker pool that runs route handlers, router, auth, problem
// details, request ids and JSON-lines access logs. See docs/openapi.yaml.
// Thread-safety: start()/stop() from one thread; handlers run on the worker
// pool and only touch thread-safe services (Store, plugin snapshot).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "core/model.hpp"
#include "core/result.hpp"

namespace sb {

class Store;
class SecretBox;      // crypto/secret_box.hpp
namespace status {
class StatusService;  // status/status_service.hpp
}
namespace events {
class EventHub;  // events/event_hub.hpp
}
namespace actions {
class ActionService;  // actions/action_service.hpp
}
namespace sync {
class SyncService;  // sync/sync_service.hpp
}
namespace connections {
class ConnectionDirectory;  // connections/connection_directory.hpp
}
class Metrics;        // core/metrics.hpp
namespace http {
class Router;         // http/router.hpp
}

struct ApiContext {
  Store* store = nullptr;  // not owned; outlives the server
  // Current plugin list (loaded and failed); called per request, must be thread-safe.
  std::function<std::vector<PluginInfo>()> plugins;
  // True when every configured plugin loaded (for /readyz).
  std::function<bool()> pluginsReady;
  // True when the start-up sync of `connections:` succeeded (for /readyz);
  // empty = true.
  std::function<bool()> connectionsSynced;
  LoggingConfig logging;
  // Seals/opens integration secrets; null when no key is configured (then a
  // link that sets a secret is refused with 503).
  const SecretBox* secrets = nullptr;
  // The configured connections with their secrets (callback, refresh,
  // revocation); null = /oauth/callback answers 503.
  const connections::ConnectionDirectory* connectionDirectory = nullptr;
  // Integration status aggregation; null = /integrations/status answers 503.
  status::StatusService* status = nullptr;
  // Live events; null = /integrations/events answers 503.
  events::EventHub* events = nullptr;
  EventsConfig eventsConfig;
  // Quick actions; null = POST /integrations/actions answers 503.
  actions::ActionService* actions = nullptr;
  // Workspace files and sync (sync.max_file_bytes caps a file PUT).
  SyncConfig sync;
  // Preview and execute; null = /projects/{id}/sync answers 503.
  sync::SyncService* syncService = nullptr;
  // Prometheus registry for GET /metrics; null = no metrics recorded.
  Metrics* metrics = nullptr;
  // Called after an integration link was created, changed or removed, so
  // cached status for (projectId, key) is dropped. May be empty.
  std::function<void(const std::string& projectId, const std::string& key)> integrationChanged;
};

class ApiServer {
 public:
  ApiServer(ServerConfig config, ApiContext context);
  // Serves `router` instead of the API's routes (tests of the front end).
  ApiServer(ServerConfig config, ApiContext context, http::Router router);
  ~ApiServer();  // stops if running
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds and starts serving. Unavailable, naming host and port, if the
  // address cannot be bound (e.g. "address already in use").
  Status start();
  // The bound port (meaningful after start(); resolves port 0).
  int port() const;
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sb
