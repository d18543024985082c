// status.changed events without polling. Every project that has SSE
// subscribers on this instance is kept refreshed on its status cache TTL;
// when nothing was published for it for kHealthPingMs, its linked items are
// refreshed even if fresh (a background health ping). After each refresh the
// item is rendered once per role, exactly as the status reply renders it
// (status_view.hpp's renderItemForRoles), and appended to the event log only
// if its stable hash changed (EventRepository::appendIfChanged: one change
// seen by several instances yields one event); then the hub is notified.
// Projects without subscribers cost nothing.
//
// Threads: one thread of its own that only schedules (reads the hub's active
// projects, posts work); the lookups, renders and appends run on the
// StatusService's pool, never on the hub's thread or an HTTP worker.
// An item is published when it is linked (or disabled), or when this instance
// saw it linked before (an unlink); a project whose integrations were never
// linked produces no events.
// Ownership: borrows the StatusService and EventRepository (they outlive it).
// Thread-safety: every public method may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/result.hpp"

namespace sb {
class EventRepository;
}

namespace sb::status {

class StatusService;

struct LiveStatusDependencies {
  StatusService* status = nullptr;    // required
  EventRepository* events = nullptr;  // required
  // The projects with SSE subscribers on this instance (EventHub::activeProjects).
  std::function<std::vector<std::string>()> activeProjects;
  std::function<void()> notify;        // an event was appended here (EventHub::notify)
  std::function<int64_t()> nowMs;      // empty = system clock
};

class LiveStatus {
 public:
  static constexpr int64_t kHealthPingMs = 60000;
  static constexpr const char* kEventType = "status.changed";

  explicit LiveStatus(LiveStatusDependencies deps);
  ~LiveStatus();  // stop()
  LiveStatus(const LiveStatus&) = delete;
  LiveStatus& operator=(const LiveStatus&) = delete;

  // Registers the refresh listener and starts the scheduling thread.
  Status start();
  // Stops scheduling and waits for posted work; no listener call runs after.
  void stop();

  // A link of the project changed or went away (after StatusService::invalidate).
  void linkChanged(const std::string& projectId, const std::string& key);

  // Publishes the project's items (or only `key`) now, on the calling thread:
  // renders each settled item per role and appends it if its hash changed.
  // Returns how many events were appended.
  std::size_t publish(const std::string& projectId, const std::optional<std::string>& key = std::nullopt);

 private:
  struct Project {
    int64_t nextKickMs = 0;
    int64_t lastEventMs = 0;  // last append (or when it became active)
    int64_t lastForceMs = 0;
    bool busy = false;        // a posted task for it has not finished
    bool fresh = true;        // just became active: publish its baseline
  };
  void run();
  void tick();
  void onRefreshed(const std::string& projectId, const std::string& key);
  bool postTask(std::function<void()> task);  // counted, so stop() can wait
  int64_t now() const;
  int64_t tickMs() const;

  LiveStatusDependencies deps_;
  std::mutex mutex_;  // guards everything below except publishMutex_'s
  std::condition_variable wake_;
  std::map<std::string, Project> projects_;  // active ones
  bool running_ = false;
  int inFlight_ = 0;
  std::thread thread_;

  // Serializes read-render-append so a later read is never appended before an
  // earlier one (the newest state always ends as the stored hash).
  std::mutex publishMutex_;
  std::set<std::string> everLinked_;  // projectId + '\n' + key, seen linked here
};

}  // namespace sb::status
