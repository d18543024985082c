// Workspace sync with the project's sync source (the linked integration whose
// plugin provides sb_sync_source; GitHub first).
//   preview: list the remote tree (skipped when the branch head is the one of
//            the last sync), three-way compare (sync/three_way.hpp); read-only.
//   execute: refuse (409) unresolved conflicts, unconfirmed orphans and a
//            second active sync of the project on any instance (the
//            sync_jobs one-active index); otherwise record a job and run it
//            on the sync pool: read every blob the pull needs, write the push
//            as one commit through the plugin (expected head = the previewed
//            one; SB_ERR_CONFLICT when it moved), then apply the pull and the
//            new base SHAs and head in ONE store transaction. Any failure
//            before that transaction changes nothing locally; a failure of
//            the plugin write changes nothing remotely. Every file of every
//            phase is a `sync.progress` event; the end is `sync.completed`.
// Thread-safety: preview/execute/job from any thread; start/stop from one.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "actions/action_service.hpp"
#include "config/config.hpp"
#include "core/result.hpp"
#include "store/workspace_repository.hpp"
#include "sync/sync_setup.hpp"
#include "sync/three_way.hpp"

namespace sb {
class Store;
class TaskPool;
namespace events {
class EventHub;
}
}  // namespace sb

namespace sb::sync {

// Which side a sync moves: POST /sync does both; the sync source's `pull`
// and `push` quick actions one each (sync/sync_actions.hpp).
enum class SyncDirection { Both, PullOnly, PushOnly };

// The body of POST /sync: a side per conflicting path, and the orphans confirmed.
struct ExecuteRequest {
  std::map<std::string, std::string> resolutions;  // path -> keep_local | keep_remote
  bool confirmOrphans = false;
  SyncDirection direction = SyncDirection::Both;
  // Called on the sync pool for every file of every phase, and once at the end.
  std::function<void(const std::string& phase, std::uint64_t done, std::uint64_t total, const std::string& path)>
      onProgress;
  std::function<void(const SyncJobRecord& job)> onEnd;
};

// Why execute refused, with what is missing; or the accepted job.
struct ExecuteOutcome {
  Status refusal;  // Ok when accepted
  std::vector<std::string> unresolved;          // conflicting paths without a resolution
  std::vector<std::string> unconfirmedOrphans;  // workflows the pull would orphan
  std::optional<SyncJobRecord> job;
};

class SyncService {
 public:
  // `plugins` finds the sync-source plugin of an integration key (the action
  // plugins' lookup shape). `instanceId` owns this instance's job leases.
  SyncService(SyncConfig config, Store& store, events::EventHub* hub, actions::ActionPlugins plugins,
              std::string instanceId);
  ~SyncService();  // stop()
  SyncService(const SyncService&) = delete;
  SyncService& operator=(const SyncService&) = delete;

  Status start();
  void stop();  // waits for running jobs

  Result<SyncPlan> preview(const std::string& projectId);
  // Whether integration `key` is a sync source (its plugin provides sb_sync_source).
  bool isSource(const std::string& key) const;
  ExecuteOutcome execute(const User& caller, const std::string& projectId, const ExecuteRequest& request);
  Result<std::optional<SyncJobRecord>> job(const std::string& projectId, const std::string& jobId);
  // A set-up call (sync/sync_setup.hpp) with the project's sync link and its
  // token, for a caller with `callerRole`, who must see the link (visibleTo).
  // `limit` 0 = the plugin's default. Errors: no sync link (Conflict), a
  // hidden one (PermissionDenied), the store, the egress policy.
  Result<SetupReply> setup(Role callerRole, const std::string& projectId, SetupCall call, int64_t limit);

  // {remoteHead, to_pull, to_push, conflicts, converged, skipped, will_orphan, is_empty}
  static std::string planJson(const SyncPlan& plan);
  // {id, projectId, state, progress, result?, error?, createdAt, updatedAt}
  static std::string jobJson(const SyncJobRecord& job);

 private:
  struct Source;
  Result<Source> sourceOf(const std::string& projectId);
  Result<SyncPlan> plan(const std::string& projectId, const Source& source);
  void run(SyncJobRecord job, SyncPlan plan, ExecuteRequest request, std::shared_ptr<Source> source);
  void publish(const SyncJobRecord& job, const char* type, const std::string& payload);
  void renewLoop();

  SyncConfig config_;
  Store& store_;
  events::EventHub* hub_;
  actions::ActionPlugins plugins_;
  std::string instanceId_;
  std::unique_ptr<TaskPool> pool_;
  std::mutex mutex_;
  std::condition_variable stopping_;
  bool running_ = false;
  std::shared_ptr<std::atomic<bool>> cancelled_ = std::make_shared<std::atomic<bool>>(false);
  std::thread renewer_;
};

}  // namespace sb::sync
