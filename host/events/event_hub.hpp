// Fans the event log out to this instance's SSE subscribers. One hub thread
// reads events after the newest id it has seen, whenever an event was
// appended here (notify()) and every `pollMs` for other instances' events,
// renders each event once per role (the payloads were rendered when it was
// written), and hands the same frame to every subscriber of that project and
// role; the events of one read (a burst: an action's steps and completion)
// reach each subscriber as one write, so one send. Passes that deliver are at
// least 20 ms apart, so the events that follow one closely go together (the
// first after a quiet spell goes at once). Writes never block (the
// sink is the front end's bounded outbox); a subscriber whose write fails is
// dropped and resumes with Last-Event-ID.
//
// Subscribing: the subscriber is registered before its backlog is read, and
// events the hub delivers meanwhile wait in its pending list; every frame is
// sent only if its id is above the subscriber's cursor, so the backlog and the
// live stream join with no gap and no duplicate. A resume point the log no
// longer covers (pruned, or newer than any id) gets a `reset` event first.
//
// Access: an `access.changed` event (subject: a user name) makes the hub
// re-read that user's membership for their subscriptions to the project: a
// removed member's stream ends, a changed role takes effect at once.
// The hub also prunes the log (retention) and sends `:hb` heartbeats.
// Thread-safety: every public method may be called from any thread.
#pragma once

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

#include "config/config.hpp"
#include "core/model.hpp"
#include "core/result.hpp"

namespace sb {
class EventRepository;
class ProjectRepository;
}  // namespace sb

namespace sb::events {

inline constexpr const char* kAccessChanged = "access.changed";

struct SubscriberSpec {
  std::string projectId;
  std::string userName;
  bool globalAdmin = false;  // acts as owner everywhere; never loses access
  Role role = Role::Viewer;
  std::optional<std::int64_t> resumeAfter;  // Last-Event-ID, when sent
  // Without Last-Event-ID: the newest event id when the request was accepted.
  // The reply's head goes out before the subscription starts (on a worker),
  // so events published in between are sent from the backlog, not lost.
  std::optional<std::int64_t> liveFrom;
  // Queues bytes without blocking; false when the stream has ended.
  std::function<bool(const std::string& bytes)> write;
  std::function<void()> finish;  // ends the stream
};

class EventHub {
 public:
  EventHub(EventsConfig config, EventRepository& events, ProjectRepository& projects,
           std::function<std::int64_t()> nowMs = {});
  ~EventHub();  // stops the thread
  EventHub(const EventHub&) = delete;
  EventHub& operator=(const EventHub&) = delete;

  Status start();
  void stop();

  // Sends `retry:`, the backlog (or `reset`), then live events. Runs the
  // backlog reads on the calling thread. Returns the subscription id for
  // unsubscribe(), or the store failure (nothing was sent then).
  Result<std::uint64_t> subscribe(SubscriberSpec spec);
  void unsubscribe(std::uint64_t id);
  // An event was appended on this instance: deliver without waiting for the poll.
  void notify();
  std::size_t subscriberCount() const;
  // The projects that have at least one subscriber here, sorted, no duplicates.
  std::vector<std::string> activeProjects() const;

 private:
  struct Subscriber;
  using Subscribers = std::map<std::uint64_t, std::shared_ptr<Subscriber>>;
  using SubscriberList = std::vector<std::shared_ptr<Subscriber>>;
  // Caller holds mutex_.
  void eraseLocked(std::uint64_t id);
  Subscribers::iterator eraseLocked(Subscribers::iterator subscriber);
  void run();
  void deliverNew();
  void heartbeat();
  void prune();
  void recheckAccess(const std::string& projectId, const std::string& userName);
  std::int64_t now() const;

  EventsConfig config_;
  EventRepository& events_;
  ProjectRepository& projects_;
  std::function<std::int64_t()> nowMs_;

  mutable std::mutex mutex_;  // guards subscribers_, byProject_, each Subscriber::slot, nextId_, wake_, running_
  std::condition_variable wakeUp_;
  Subscribers subscribers_;
  // The same subscribers by project, in no order (removal swaps the last one
  // into the gap); a project with none is not listed. A pass over one
  // project's events touches only that project's subscribers.
  std::map<std::string, SubscriberList> byProject_;
  std::uint64_t nextId_ = 1;
  bool wake_ = false;
  bool running_ = false;
  std::int64_t lastSeen_ = 0;  // hub thread only
  std::thread thread_;
};

}  // namespace sb::events
