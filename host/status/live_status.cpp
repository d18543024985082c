#include "status/live_status.hpp"

#include <algorithm>
#include <chrono>

#include <Poco/Logger.h>

#include "core/clock.hpp"
#include "status/status_service.hpp"
#include "store/event_repository.hpp"

namespace sb::status {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("status.live"); }

}  // namespace

LiveStatus::LiveStatus(LiveStatusDependencies deps) : deps_(std::move(deps)) {}

LiveStatus::~LiveStatus() { stop(); }

int64_t LiveStatus::now() const { return deps_.nowMs ? deps_.nowMs() : systemNowMs(); }

// How often active projects are looked at: a small part of the TTL, so a
// refresh starts soon after its entry's TTL ran out.
int64_t LiveStatus::tickMs() const {
  const int64_t ttl = deps_.status->config().cacheTtlMinMs;
  return std::clamp<int64_t>(ttl / 10, 10, 1000);
}

Status LiveStatus::start() {
  {
    std::lock_guard lock(mutex_);
    if (running_) return Status::ok();
    running_ = true;
  }
  deps_.status->setRefreshListener(
      [this](const std::string& projectId, const std::string& key) { onRefreshed(projectId, key); });
  thread_ = std::thread([this] { run(); });
  return Status::ok();
}

void LiveStatus::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!running_) return;
    running_ = false;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  deps_.status->setRefreshListener({});  // waits for a running call
  std::unique_lock lock(mutex_);
  wake_.wait(lock, [this] { return inFlight_ == 0; });
  projects_.clear();
}

bool LiveStatus::postTask(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    if (!running_) return false;
    ++inFlight_;
  }
  auto done = [this] {
    std::lock_guard lock(mutex_);
    --inFlight_;
    wake_.notify_all();
  };
  const bool accepted = deps_.status->post([task = std::move(task), done] {
    try {
      task();
    } catch (const std::exception& e) {
      logger().error("live status: %s", std::string(e.what()));
    }
    done();
  });
  if (!accepted) done();
  return accepted;
}

void LiveStatus::run() {
  std::unique_lock lock(mutex_);
  while (running_) {
    lock.unlock();
    try {
      tick();
    } catch (const std::exception& e) {
      logger().error("live status: %s", std::string(e.what()));
    }
    lock.lock();
    wake_.wait_for(lock, std::chrono::milliseconds(tickMs()), [this] { return !running_; });
  }
}

void LiveStatus::tick() {
  const std::vector<std::string> active = deps_.activeProjects ? deps_.activeProjects() : std::vector<std::string>{};
  const int64_t nowMs = now();
  struct Kick {
    std::string projectId;
    LiveRefresh refresh;
    bool publish;
  };
  std::vector<Kick> kicks;
  {
    std::lock_guard lock(mutex_);
    for (auto it = projects_.begin(); it != projects_.end();) {
      it = std::binary_search(active.begin(), active.end(), it->first) ? std::next(it) : projects_.erase(it);
    }
    for (const auto& projectId : active) {
      auto [it, added] = projects_.try_emplace(projectId);
      Project& project = it->second;
      if (added) project.lastEventMs = nowMs;
      if (project.busy || nowMs < project.nextKickMs) continue;
      const bool ping = nowMs - project.lastEventMs >= kHealthPingMs && nowMs - project.lastForceMs >= kHealthPingMs;
      if (ping) project.lastForceMs = nowMs;
      kicks.push_back({projectId, ping ? LiveRefresh::Force : LiveRefresh::Due, project.fresh || ping});
      project.fresh = false;
      project.busy = true;
      project.nextKickMs = nowMs + tickMs();
    }
  }
  for (auto& kick : kicks) {
    const bool posted = postTask([this, kick] {
      // Refreshes that start here report through onRefreshed() when done.
      if (auto items = deps_.status->liveItems(kick.projectId, kick.refresh); !items) {
        logger().warning("live status: cannot read the links of %s: %s", kick.projectId, items.status().message());
      }
      if (kick.publish) publish(kick.projectId);
      std::lock_guard lock(mutex_);
      if (auto it = projects_.find(kick.projectId); it != projects_.end()) it->second.busy = false;
    });
    if (!posted) {
      std::lock_guard lock(mutex_);
      if (auto it = projects_.find(kick.projectId); it != projects_.end()) {
        it->second.busy = false;
        it->second.fresh = it->second.fresh || kick.publish;  // try again next tick
      }
    }
  }
}

void LiveStatus::onRefreshed(const std::string& projectId, const std::string& key) {
  {
    std::lock_guard lock(mutex_);
    if (!running_ || projects_.find(projectId) == projects_.end()) return;  // no subscribers: nothing to do
  }
  publish(projectId, key);  // already on a pool thread
}

void LiveStatus::linkChanged(const std::string& projectId, const std::string& key) {
  {
    std::lock_guard lock(mutex_);
    auto it = projects_.find(projectId);
    if (it == projects_.end()) return;
    it->second.nextKickMs = 0;  // the new link's first refresh starts on the next tick
  }
  postTask([this, projectId, key] { publish(projectId, key); });
}

std::size_t LiveStatus::publish(const std::string& projectId, const std::optional<std::string>& key) {
  std::lock_guard publishing(publishMutex_);
  auto items = deps_.status->liveItems(projectId, LiveRefresh::None);
  if (!items) {
    logger().warning("live status: cannot read the links of %s: %s", projectId, items.status().message());
    return 0;
  }
  const int64_t nowMs = now();
  std::size_t appended = 0;
  for (const LiveItem& item : *items) {
    const std::string& itemKey = item.state.key;
    if (key && *key != itemKey) continue;
    if (!item.settled) continue;  // its first answer publishes it
    const std::string seenKey = projectId + '\n' + itemKey;
    if (item.state.link == LinkState::NotLinked) {
      if (everLinked_.erase(seenKey) == 0) continue;  // never linked here: nothing a subscriber would miss
    } else {
      everLinked_.insert(seenKey);
    }
    // The second the status reply would show (it renders times to the second).
    const ItemRenders renders =
        renderItemForRoles(projectId, item.state, item.visibleTo, nowMs / 1000 * 1000, deps_.status->config().deadlineMs);
    NewEvent event;
    event.projectId = projectId;
    event.type = kEventType;
    event.subject = itemKey;
    for (std::size_t i = 0; i < renders.byRole.size(); ++i) event.payloads[i] = renders.byRole[i];
    auto id = deps_.events->appendIfChanged(event, itemKey, renders.hash, nowMs);
    if (!id) {
      logger().warning("live status: cannot append the status of %s/%s: %s", projectId, itemKey,
                       id.status().message());
      if (item.state.link == LinkState::NotLinked) everLinked_.insert(seenKey);  // retry later
      continue;
    }
    if (*id > 0) ++appended;
  }
  if (appended > 0) {
    {
      std::lock_guard lock(mutex_);
      if (auto it = projects_.find(projectId); it != projects_.end()) it->second.lastEventMs = nowMs;
    }
    if (deps_.notify) deps_.notify();
  }
  return appended;
}

}  // namespace sb::status
