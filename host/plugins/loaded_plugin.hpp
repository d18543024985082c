// A validated, initialised plugin instance: owns the mapped library, the host
// services handed to the plugin and the instance from on_init. Every hook runs
// behind an exception barrier; plugin status codes become sb::ErrorCode and
// JSON the ABI promises is checked before it reaches the host. A hook that
// fails after the egress policy refused one of its requests fails with
// PermissionDenied, field kEgressRefusalField ("egress") and the refusal as
// reason, whatever status the plugin chose for it.
// Thread-safety: after initialise(), every const method may be called from any
// thread at once (abi.h allows concurrent hooks); destruction is exclusive.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <switchboard/abi.h>

#include "core/link_credentials.hpp"
#include "core/model.hpp"
#include "core/result.hpp"
#include "plugins/action_shapes.hpp"
#include "plugins/host_services.hpp"
#include "plugins/plugin_loader.hpp"
#include "plugins/progress_step.hpp"

namespace sb {

// Per-call options: deadline (Unix epoch ms, 0 = none), progress sinks and a
// flag the caller sets to give up early. Sinks run on the plugin's thread,
// inside the hook: keep them short and thread-safe (a hook may report from
// threads it starts).
struct PluginCall {
  int64_t deadlineMs = 0;
  std::function<void(uint64_t done, uint64_t total, const std::string& message)> progress;
  // Structured steps (host_progress_step, ABI 1.2), already validated; a
  // malformed step never gets here (it is dropped and logged). Unset: steps
  // reach `progress` as (done, total, label).
  std::function<void(const PluginStep& step)> step;
  std::shared_ptr<std::atomic<bool>> cancelled;
  // The link's connection token (ABI 1.3 host_access_token[_refresh]); null
  // when the link uses none.
  std::shared_ptr<CallAccessToken> accessToken;
  // Replaces the plugin's egress policy for this call's requests: the host's
  // own work done through a plugin (MCP discovery for a connection) goes
  // where the connection's `egress:` allows, not where the plugin's does.
  std::optional<EgressPolicy> egress;
};

enum class PluginHook {
  Status,                   // sb_status_adapter.on_status
  ConnectionDescribe,       // sb_connection_provider.on_describe
  ConnectionTokenResponse,  // sb_connection_provider.on_token_response
  ConnectionDiscover,       // sb_connection_provider.on_discover
  SyncListTree,             // sb_sync_source.on_list_tree
  SyncRead,                 // sb_sync_source.on_read (raw bytes, not JSON)
  SyncWrite,                // sb_sync_source.on_write
  ActionsList,              // sb_actions.on_list
  ActionsRun,               // sb_actions.on_run
  ActionsListFor,           // sb_actions.on_list_for (ABI 1.2, optional)
  SyncValidate,             // sb_sync_source.on_validate (ABI 1.4, optional)
  SyncListRepositories,     // sb_sync_source.on_list_repositories (ABI 1.4, optional)
  SyncListBranches,         // sb_sync_source.on_list_branches (ABI 1.4, optional)
  SyncListCommits,          // sb_sync_source.on_list_commits (ABI 1.4, optional)
};
const char* hookName(PluginHook hook);   // e.g. "on_status"
bool hookReturnsJson(PluginHook hook);  // false only for on_read

// What one hook invocation did, before interpretation (plugin check uses it).
struct HookOutcome {
  bool provided = true;  // false: the plugin has no such hook
  bool threw = false;
  std::string exceptionText;
  sb_status status = SB_OK;
  std::string output;
  bool outputOverflowed = false;
  std::string egressRefusal;  // the host's egress policy refused a request of this call
};

// Empty when `text` is one well-formed JSON document, else the parser's reason.
std::string jsonProblem(const std::string& text);

const char* sbStatusName(sb_status status);  // "SB_ERR_TIMEOUT"; "unknown status" otherwise
ErrorCode toErrorCode(sb_status status);

// The result of on_init, for the loader and for `plugin check`.
struct InitOutcome {
  bool threw = false;
  std::string exceptionText;
  sb_status status = SB_OK;
  std::string error;  // what the plugin wrote on failure
  void* instance = nullptr;
};
InitOutcome callOnInit(const ValidatedDescriptor& descriptor, const sb_host_api* host,
                       const std::string& settingsJson);
// Guarded on_destroy; returns false if it threw.
bool callOnDestroy(const ValidatedDescriptor& descriptor, void* instance);
// "on_init failed with SB_ERR_...: <reason>" / "on_init threw an exception: ..."; empty on success.
std::string describeInitFailure(const InitOutcome& outcome);

class LoadedPlugin {
 public:
  // Runs on_init with `settingsJson`. On failure the reason is returned and
  // nothing stays initialised.
  static Result<std::shared_ptr<LoadedPlugin>> initialise(OpenedPlugin opened,
                                                          HostServiceSettings services,
                                                          const std::string& settingsJson);
  ~LoadedPlugin();  // on_destroy, then the library is unmapped
  LoadedPlugin(const LoadedPlugin&) = delete;
  LoadedPlugin& operator=(const LoadedPlugin&) = delete;

  const PluginInfo& info() const { return info_; }
  const std::string& id() const { return info_.id; }
  // plugins.enabled[].base_url ("" when the operator set none).
  const std::string& baseUrl() const;
  bool provides(PluginHook hook) const;

  Result<std::string> callStatus(const std::string& requestJson, const PluginCall& call = {}) const;
  Result<std::string> connectionDescribe() const;
  Result<std::string> connectionTokenResponse(const std::string& requestJson,
                                              const PluginCall& call = {}) const;
  Result<std::string> connectionDiscover(const std::string& requestJson,
                                         const PluginCall& call = {}) const;
  Result<std::string> syncListTree(const std::string& requestJson, const PluginCall& call = {}) const;
  Result<std::string> syncRead(const std::string& requestJson, const PluginCall& call = {}) const;
  Result<std::string> syncWrite(const std::string& requestJson, const PluginCall& call = {}) const;
  // The actions without a project context (on_list), checked.
  Result<std::vector<PluginAction>> actionsList() const;
  // The actions for one link: on_list_for when the plugin has it, else
  // on_list. contextJson: {"projectId","key","settings":{},"secretNames":[...]}.
  Result<std::vector<PluginAction>> actionsListFor(const std::string& contextJson,
                                                   const PluginCall& call = {}) const;
  // Runs one action. requestJson: {"projectId","key","baseUrl","settings":{},
  // "secrets":{},"params":{}}. A failure the host detected (no actions
  // capability, a throw, oversized or malformed output, an egress refusal)
  // is the Result's error; what the plugin itself reported, success or not,
  // is the ActionRunOutcome.
  Result<ActionRunOutcome> actionsRun(const std::string& actionId, const std::string& requestJson,
                                      const PluginCall& call = {}) const;

  // One sync set-up hook (SyncValidate .. SyncListCommits; ABI 1.4, optional).
  // requestJson: the sync context plus "params". What the plugin reported,
  // success or not, is the outcome (a failure's reason and retryAfter read
  // as on_run's); the Result's error is what the host detected: the hook is
  // absent (NotFound, "does not provide on_list_branches"), threw, wrote too
  // much or malformed JSON, or the egress policy refused a request.
  Result<ActionRunOutcome> syncSetup(PluginHook hook, const std::string& requestJson,
                                     const PluginCall& call = {}) const;

  // Runs one hook and reports exactly what happened. `actionId` is used by
  // ActionsRun only.
  HookOutcome invoke(PluginHook hook, const std::string& input, const PluginCall& call = {},
                     const std::string& actionId = {}) const;

 private:
  LoadedPlugin(OpenedPlugin opened, std::unique_ptr<PluginHostServices> services, void* instance);
  Result<std::string> interpret(PluginHook hook, const HookOutcome& outcome) const;
  std::optional<Status> hostFailure(PluginHook hook, const HookOutcome& outcome) const;
  Result<std::vector<PluginAction>> actionListOf(PluginHook hook, const HookOutcome& outcome) const;
  Result<std::string> run(PluginHook hook, const std::string& input, const PluginCall& call,
                          const std::string& actionId = {}) const;

  OpenedPlugin opened_;  // first member: the library is unmapped last
  std::unique_ptr<PluginHostServices> services_;
  void* instance_ = nullptr;
  PluginInfo info_;
};

}  // namespace sb
