// Quick actions: POST /api/v1/integrations/actions accepts an action
// (Idempotency-Key reserved in the database, the permission table, the
// shared rate limit), stores it `pending` and answers 202 at once; a bounded
// pool runs it in its plugin (on_run), never on an HTTP worker. Each
// structured step the plugin reports updates the record and becomes an
// `action.progress` event; the end is `action.completed`. Every running
// action carries this instance's lease, renewed while it runs; start()
// fails this instance's leftovers and lapsed leases as `interrupted`.
// Thread-safety: accept/get/list from any thread; start/stop from one.
#pragma once

#include <cstdint>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "config/config.hpp"
#include "core/link_credentials.hpp"
#include "core/model.hpp"
#include "core/result.hpp"
#include "store/action_repository.hpp"

namespace sb {
class Store;
class LoadedPlugin;
class TaskPool;
namespace events {
class EventHub;
}
}  // namespace sb

namespace sb::actions {

struct ActionPlugins {
  // The loaded plugin that provides actions for an integration key (schema
  // id); null when none does.
  std::function<std::shared_ptr<LoadedPlugin>(const std::string& key)> pluginFor;
  std::function<std::string(const std::string& key)> baseUrlFor;  // operator's base_url ("" = default)
  // The link's secrets (a JSON object) and its connection's access token.
  CredentialsFn credentials;
};

struct ActionCaller {
  User user;
  Role role = Role::Viewer;
};

struct ActionRequest {
  std::string projectId;
  std::string provider;  // the integration key
  std::string action;
  std::string paramsJson = "{}";  // a JSON object
  std::string idempotencyKey;
  std::string requestHash;  // SHA-256 hex of the canonical payload
};

// The reply to send: a 2xx body, or a problem (detail, field, headers).
struct AcceptReply {
  int httpStatus = 0;
  std::string body;  // 202 / replay: the action record JSON
  std::string problemDetail;
  std::string problemField;
  std::vector<std::pair<std::string, std::string>> headers;  // Location, Retry-After
  std::optional<RateDecision> rate;  // for RateLimit / RateLimit-Policy
};

class ActionService {
 public:
  ActionService(ActionsConfig config, Store& store, events::EventHub* hub, ActionPlugins plugins);
  ~ActionService();  // stop()
  ActionService(const ActionService&) = delete;
  ActionService& operator=(const ActionService&) = delete;

  Status start();
  void stop();  // asks running actions to stop early, then waits for them (bounded by their deadline)

  AcceptReply accept(const ActionCaller& caller, const ActionRequest& request);
  const ActionsConfig& config() const { return config_; }

  // {id, projectId, provider, action, state, progress, result?, error?, createdAt, updatedAt},
  // plus "step" (the step that just changed) when stepJson is given.
  static std::string recordJson(const ActionRecord& record, const std::string& stepJson = {});

 private:
  void run(ActionRecord record, std::string requestJson, std::shared_ptr<LoadedPlugin> plugin,
           std::shared_ptr<CallAccessToken> token);
  void publish(const ActionRecord& record, const char* type, const std::string& stepJson = {});
  void renewLoop();
  std::int64_t now() const;

  ActionsConfig config_;
  Store& store_;
  events::EventHub* hub_;
  ActionPlugins plugins_;
  std::unique_ptr<TaskPool> pool_;
  std::mutex mutex_;
  std::condition_variable stopping_;
  bool running_ = false;
  // Set by stop(): running plugin calls see host_call_cancelled and return early.
  std::shared_ptr<std::atomic<bool>> cancelled_ = std::make_shared<std::atomic<bool>>(false);
  std::thread renewer_;
};

}  // namespace sb::actions
