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
#include <map>
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
#include "plugins/action_shapes.hpp"
#include "plugins/loaded_plugin.hpp"
#include "store/action_repository.hpp"

namespace sb {
class Store;
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

// Actions the host runs itself in place of the plugin's on_run, after the
// same acceptance (the plugin's declaration decides role and kind): the sync
// source's push, pull and sync run the host's SyncService
// (sync/sync_actions.hpp). `run` is called on the action pool; it reports
// steps through call.step and returns when the action has ended.
struct HostActions {
  std::function<bool(const std::string& key, const std::string& action)> handles;
  std::function<ActionRunOutcome(const ActionRecord& record, const PluginCall& call)> run;
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
  // Accepted and recorded `pending`, but not queued: a workflow run starts
  // its steps with runInOrder() once every step was accepted.
  bool held = false;
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

  // Before any action is accepted: the actions `hostActions.handles` run in the host.
  void runOnHost(HostActions hostActions) { hostActions_ = std::move(hostActions); }
  Status start();
  void stop();  // asks running actions to stop early, then waits for them (bounded by their deadline)

  AcceptReply accept(const ActionCaller& caller, const ActionRequest& request);
  const ActionsConfig& config() const { return config_; }

  // Sees a step of runInOrder when it starts (running) and when it ends
  // (succeeded, or failed: error code "skipped" when it never ran); `index`
  // counts from 0. On a pool thread.
  using StepObserver = std::function<void(std::size_t index, const ActionRecord& record)>;
  // Runs held actions one after another in one pool task: each starts when
  // the one before it succeeded; after a failure the rest end `skipped`
  // (failed, error code "skipped") without running. Ids not held here (an idempotent replay) are left alone.
  void runInOrder(const std::vector<std::string>& ids, StepObserver observer);
  // Ends held actions that will never run (their workflow run was refused at
  // a later step): skipped with `reason`, and their keys dropped, so a
  // retry with the same run key starts afresh.
  void discardHeld(const std::vector<std::string>& ids, const std::string& reason);

  // {id, projectId, provider, action, state, progress, result?, error?, createdAt, updatedAt},
  // plus "step" (the step that just changed) when stepJson is given.
  static std::string recordJson(const ActionRecord& record, const std::string& stepJson = {});

 private:
  // An accepted action, ready to run in its plugin.
  struct PreparedRun {
    ActionRecord record;
    std::string requestJson;
    std::shared_ptr<LoadedPlugin> plugin;
    std::shared_ptr<CallAccessToken> token;
    std::string idempotencyKey;
  };
  // Runs it to its end and returns the record as it ended.
  ActionRecord run(PreparedRun prepared);
  // Records the end (state, result or error already set), clears the lease
  // and publishes action.completed.
  void finish(ActionRecord& record);
  // Ends an action that never started: failed, error code "skipped".
  void skip(ActionRecord& record, const std::string& reason);
  void failOverloaded(ActionRecord record);
  std::optional<PreparedRun> takeHeld(const std::string& id);
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
  std::map<std::string, PreparedRun> held_;  // by action id; under mutex_
  HostActions hostActions_;
};

}  // namespace sb::actions
