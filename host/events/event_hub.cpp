#include "events/event_hub.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <unordered_map>
#include <utility>
#include <vector>

#include <Poco/Logger.h>

#include "core/clock.hpp"
#include "events/sse_format.hpp"
#include "store/event_repository.hpp"
#include "store/project_repository.hpp"

namespace sb::events {
namespace {

constexpr std::size_t kBatch = 500;
constexpr std::int64_t kPruneEveryMs = 60 * 1000;
// The shortest time between two passes that deliver events (see run()).
constexpr auto kPassInterval = std::chrono::milliseconds(20);

Poco::Logger& logger() { return Poco::Logger::get("switchboard.events"); }

std::string frameOf(const StoredEvent& event, const std::string& payload) {
  return formatEvent({std::to_string(event.id), event.type, payload});
}

}  // namespace

struct EventHub::Subscriber {
  std::uint64_t id = 0;
  SubscriberSpec spec;
  std::size_t slot = 0;  // its index in byProject_[spec.projectId]; under the hub's mutex_
  std::mutex mutex;  // guards everything below and the order of writes
  std::int64_t cursor = 0;
  bool live = false;
  bool ended = false;
  std::vector<std::pair<std::int64_t, std::shared_ptr<const std::string>>> pending;

  // Sends if new; false when the stream is gone. Caller holds `mutex`.
  bool sendLocked(std::int64_t id, const std::string& frame) {
    if (ended) return false;
    if (id <= cursor) return true;
    cursor = id;
    if (!spec.write(frame)) ended = true;
    return !ended;
  }
  // Marks the id seen without sending (an event this role does not get).
  void skipLocked(std::int64_t id) {
    if (id > cursor) cursor = id;
  }
};

EventHub::EventHub(EventsConfig config, EventRepository& events, ProjectRepository& projects,
                   std::function<std::int64_t()> nowMs)
    : config_(config), events_(events), projects_(projects), nowMs_(std::move(nowMs)) {}

EventHub::~EventHub() { stop(); }

std::int64_t EventHub::now() const {
  return nowMs_ ? nowMs_() : systemNowMs();
}

Status EventHub::start() {
  auto latest = events_.latestId();
  if (!latest) return latest.status();
  std::lock_guard<std::mutex> lock(mutex_);
  if (running_) return Status::ok();
  lastSeen_ = *latest;
  running_ = true;
  thread_ = std::thread([this] { run(); });
  return Status::ok();
}

void EventHub::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!running_) return;
    running_ = false;
    wake_ = true;
  }
  wakeUp_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::map<std::uint64_t, std::shared_ptr<Subscriber>> left;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    left.swap(subscribers_);
    byProject_.clear();
  }
  for (auto& [id, subscriber] : left) {
    std::lock_guard<std::mutex> lock(subscriber->mutex);
    subscriber->ended = true;
    subscriber->spec.finish();
  }
}

void EventHub::notify() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    wake_ = true;
  }
  wakeUp_.notify_all();
}

std::size_t EventHub::subscriberCount() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return subscribers_.size();
}

std::vector<std::string> EventHub::activeProjects() const {
  std::vector<std::string> projects;
  std::lock_guard<std::mutex> lock(mutex_);
  projects.reserve(byProject_.size());
  for (const auto& [project, subscribers] : byProject_) projects.push_back(project);
  return projects;
}

Result<std::uint64_t> EventHub::subscribe(SubscriberSpec spec) {
  auto subscriber = std::make_shared<Subscriber>();
  const Role role = spec.role;  // the backlog's; a later access change applies to what follows
  subscriber->spec = std::move(spec);
  std::uint64_t id = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    id = nextId_++;
    subscriber->id = id;
    subscribers_.emplace(id, subscriber);
    SubscriberList& list = byProject_[subscriber->spec.projectId];
    subscriber->slot = list.size();
    list.push_back(subscriber);
  }
  auto fail = [&](const Status& status) -> Result<std::uint64_t> {
    unsubscribe(id);
    return status;
  };
  const SubscriberSpec& s = subscriber->spec;
  auto latest = events_.latestId();
  if (!latest) return fail(latest.status());
  std::int64_t cursor = *latest;
  bool reset = false;
  if (s.resumeAfter) {
    auto pruned = events_.prunedThrough();
    if (!pruned) return fail(pruned.status());
    // Strictly after the id: an id the log still covers resumes; one below
    // the pruning mark lost events, one above the newest was never ours.
    if (*s.resumeAfter >= *pruned && *s.resumeAfter <= *latest) {
      cursor = *s.resumeAfter;
    } else {
      reset = true;
    }
  } else if (s.liveFrom && *s.liveFrom <= *latest) {
    cursor = *s.liveFrom;
  }
  std::vector<std::pair<std::int64_t, std::string>> backlog;
  if (cursor < *latest && !reset) {
    std::int64_t after = cursor;
    for (;;) {
      auto page = events_.listAfter(after, {s.projectId}, kBatch);
      if (!page) return fail(page.status());
      for (const StoredEvent& event : *page) {
        after = event.id;
        const auto& payload = event.payloads[roleIndex(role)];
        backlog.emplace_back(event.id, payload ? frameOf(event, *payload) : std::string());
      }
      if (page->size() < kBatch) break;
    }
  }
  std::lock_guard<std::mutex> lock(subscriber->mutex);
  s.write(formatRetry(config_.retryMs));
  if (reset) {
    // The id makes the client's next resume start from here.
    subscriber->sendLocked(cursor, formatEvent({std::to_string(cursor), "reset",
                                                R"({"reason":"the events after your Last-Event-ID are no longer )"
                                                R"(kept; fetch the status again"})"}));
  }
  subscriber->cursor = cursor;
  for (const auto& [eventId, frame] : backlog) {
    if (frame.empty()) {
      subscriber->skipLocked(eventId);
    } else {
      subscriber->sendLocked(eventId, frame);
    }
  }
  for (const auto& [eventId, frame] : subscriber->pending) {
    if (frame) {
      subscriber->sendLocked(eventId, *frame);
    } else {
      subscriber->skipLocked(eventId);
    }
  }
  subscriber->pending.clear();
  subscriber->live = true;
  return id;
}

void EventHub::unsubscribe(std::uint64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  eraseLocked(id);
}

void EventHub::eraseLocked(std::uint64_t id) {
  auto found = subscribers_.find(id);
  if (found != subscribers_.end()) eraseLocked(found);
}

EventHub::Subscribers::iterator EventHub::eraseLocked(Subscribers::iterator subscriber) {
  const Subscriber& gone = *subscriber->second;
  auto project = byProject_.find(gone.spec.projectId);
  if (project != byProject_.end()) {
    SubscriberList& list = project->second;
    if (gone.slot + 1 < list.size()) {
      list[gone.slot] = std::move(list.back());
      list[gone.slot]->slot = gone.slot;
    }
    list.pop_back();
    if (list.empty()) byProject_.erase(project);
  }
  return subscribers_.erase(subscriber);
}

void EventHub::run() {
  std::int64_t nextHeartbeat = now() + config_.heartbeatMs;
  std::int64_t nextPrune = now();
  auto lastPass = std::chrono::steady_clock::now() - kPassInterval;
  std::unique_lock<std::mutex> lock(mutex_);
  while (running_) {
    const std::int64_t waitMs = std::max<std::int64_t>(1, std::min<std::int64_t>(config_.pollMs, nextHeartbeat - now()));
    wakeUp_.wait_for(lock, std::chrono::milliseconds(waitMs), [this] { return wake_; });
    if (!running_) break;
    // An event after a quiet spell goes at once; events that follow closely
    // (an action's steps, its completion and the status change it causes)
    // wait for the rest of the interval and go together, in one pass over
    // the subscribers and mostly one send each.
    wakeUp_.wait_until(lock, lastPass + kPassInterval, [this] { return !running_; });
    if (!running_) break;
    wake_ = false;
    const auto passStart = std::chrono::steady_clock::now();
    lock.unlock();
    try {
      // Only a pass that read events counts: a poll that found nothing must
      // not hold back the next event.
      const std::int64_t seenBefore = lastSeen_;
      deliverNew();
      if (lastSeen_ != seenBefore) lastPass = passStart;
      if (now() >= nextHeartbeat) {
        heartbeat();
        nextHeartbeat = now() + config_.heartbeatMs;
      }
      if (now() >= nextPrune) {
        prune();
        nextPrune = now() + kPruneEveryMs;
      }
    } catch (const std::exception& error) {
      // Nothing here should throw (the store returns Status); a bug must not end the thread.
      logger().error("event hub: %s", std::string(error.what()));
    }
    lock.lock();
  }
}

namespace {

// The events of one project within a run of the log (between two
// access.changed events), each rendered once per role, and each role's frames
// also back to back: a subscriber who is behind all of them, the usual case,
// gets them in one write and so one send. An action's steps, its completion
// and the status changes it causes come in bursts like that.
struct ProjectRun {
  std::int64_t firstId = 0;
  std::int64_t lastId = 0;
  std::vector<std::pair<std::int64_t, std::array<std::shared_ptr<const std::string>, 4>>> events;
  std::array<std::string, 4> joined;
};

}  // namespace

void EventHub::deliverNew() {
  // Who gets a page is read after the page: a project's subscribers are
  // taken when the page's first event for it is met. A subscriber that
  // registers later reads the newest id after that, so its backlog has the
  // page; one registered before is in the list (its events wait in
  // `pending` until it is live). Read before the page, a subscriber
  // registering in between would get neither: its backlog ends before an
  // event the page has.
  struct Delivery {
    ProjectRun events;
    SubscriberList subscribers;
  };
  std::unordered_map<std::string, Delivery> run;
  std::vector<std::uint64_t> gone;  // subscribers whose stream has ended
  // To a live subscriber whose stream is open; caller holds its mutex.
  auto send = [](Subscriber& subscriber, const ProjectRun& events, std::size_t role) {
    if (subscriber.cursor < events.firstId) {
      subscriber.cursor = events.lastId;
      if (!events.joined[role].empty() && !subscriber.spec.write(events.joined[role])) subscriber.ended = true;
      return;
    }
    for (const auto& [id, frames] : events.events) {
      if (frames[role]) {
        subscriber.sendLocked(id, *frames[role]);
      } else {
        subscriber.skipLocked(id);
      }
    }
  };
  auto deliverRun = [&] {
    for (const auto& [projectId, delivery] : run) {
      for (const auto& subscriber : delivery.subscribers) {
        std::lock_guard<std::mutex> lock(subscriber->mutex);
        const std::size_t role = roleIndex(subscriber->spec.role);
        if (!subscriber->live) {
          for (const auto& [id, frames] : delivery.events.events) subscriber->pending.emplace_back(id, frames[role]);
          continue;
        }
        if (!subscriber->ended) send(*subscriber, delivery.events, role);
        if (subscriber->ended) gone.push_back(subscriber->id);
      }
    }
    run.clear();
  };
  for (;;) {
    auto page = events_.listAfter(lastSeen_, {}, kBatch);
    if (!page) {
      logger().warning("event hub: cannot read the event log: %s", page.status().message());
      break;
    }
    for (const StoredEvent& event : *page) {
      lastSeen_ = event.id;
      if (event.type == kAccessChanged) {
        // A role change applies to the events after it: send what came before first.
        deliverRun();
        recheckAccess(event.projectId, event.subject);
        continue;
      }
      Delivery& delivery = run[event.projectId];
      ProjectRun& project = delivery.events;
      if (project.events.empty()) {
        project.firstId = event.id;
        std::lock_guard<std::mutex> lock(mutex_);
        auto subscribers = byProject_.find(event.projectId);
        if (subscribers != byProject_.end()) delivery.subscribers = subscribers->second;
      }
      project.lastId = event.id;
      std::array<std::shared_ptr<const std::string>, 4> frames;
      for (std::size_t role = 0; role < frames.size(); ++role) {
        if (!event.payloads[role]) continue;
        frames[role] = std::make_shared<const std::string>(frameOf(event, *event.payloads[role]));
        project.joined[role] += *frames[role];
      }
      project.events.emplace_back(event.id, std::move(frames));
    }
    deliverRun();  // a page at most per write: a long backlog must not become one write past the outbox limit
    if (page->size() < kBatch) break;
  }
  // Only those the delivery found ended; any other ended stream leaves on
  // its close (unsubscribe) or at the next heartbeat.
  if (gone.empty()) return;
  std::lock_guard<std::mutex> lock(mutex_);
  for (std::uint64_t id : gone) eraseLocked(id);
}

void EventHub::heartbeat() {
  static const std::string beat = formatComment("hb");
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = subscribers_.begin(); it != subscribers_.end();) {
    bool ended = false;
    {
      std::lock_guard<std::mutex> inner(it->second->mutex);
      if (it->second->live && !it->second->ended && !it->second->spec.write(beat)) it->second->ended = true;
      ended = it->second->ended;
    }
    it = ended ? eraseLocked(it) : std::next(it);
  }
}

void EventHub::prune() {
  const std::int64_t cutoff = now() - static_cast<std::int64_t>(config_.retentionHours) * 3600 * 1000;
  auto removed = events_.pruneBefore(cutoff, now());
  if (!removed) {
    logger().warning("event hub: cannot prune the event log: %s", removed.status().message());
  } else if (*removed > 0) {
    logger().information("event hub: pruned %z events older than %d hours", *removed, config_.retentionHours);
  }
}

void EventHub::recheckAccess(const std::string& projectId, const std::string& userName) {
  std::vector<std::shared_ptr<Subscriber>> affected;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto project = byProject_.find(projectId);
    if (project == byProject_.end()) return;
    for (const auto& subscriber : project->second) {
      if (subscriber->spec.userName == userName && !subscriber->spec.globalAdmin) affected.push_back(subscriber);
    }
  }
  if (affected.empty()) return;
  auto member = projects_.getMember(projectId, userName);
  if (!member) {
    logger().warning("event hub: cannot re-check access of %s to %s: %s", userName, projectId,
                     member.status().message());
    return;
  }
  for (const auto& subscriber : affected) {
    std::lock_guard<std::mutex> lock(subscriber->mutex);
    if (!member->has_value()) {
      // The stream ends; the client's reconnect is answered 204 (stop).
      subscriber->ended = true;
      subscriber->spec.finish();
    } else {
      subscriber->spec.role = (*member)->role;
    }
  }
  if (member->has_value()) return;
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& subscriber : affected) eraseLocked(subscriber->id);
}

}  // namespace sb::events
