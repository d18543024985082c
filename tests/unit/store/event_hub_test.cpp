// EventHub over a real store: a burst of events reaches each subscriber as
// one write (one send), with only the frames its role may see, in id order.
// Events carry the real time: the hub prunes by age as soon as it starts.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "events/event_hub.hpp"
#include "events/sse_format.hpp"
#include "test_database.hpp"

namespace sb::testing {
namespace {

// What one subscriber's stream was handed, write by write.
class Writes {
 public:
  bool add(const std::string& bytes) {
    std::lock_guard lock(mutex_);
    writes_.push_back(bytes);
    changed_.notify_all();
    return true;
  }
  // Waits (bounded) for `count` writes and returns what arrived.
  std::vector<std::string> waitFor(std::size_t count) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds(10), [&] { return writes_.size() >= count; });
    return writes_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> writes_;
};

class EventHubTest : public StoreWithProjectTest {
 protected:
  NewEvent event(const std::string& type, const std::string& viewerPayload, const std::string& ownerPayload) {
    NewEvent out;
    out.projectId = projectId_;
    out.type = type;
    out.subject = "a1";
    if (!viewerPayload.empty()) out.payloads[roleIndex(Role::Viewer)] = viewerPayload;
    out.payloads[roleIndex(Role::Owner)] = ownerPayload;
    return out;
  }
  events::SubscriberSpec spec(Role role, Writes& writes) {
    events::SubscriberSpec out;
    out.projectId = projectId_;
    out.userName = "olivia";
    out.role = role;
    out.write = [&writes](const std::string& bytes) { return writes.add(bytes); };
    out.finish = [] {};
    return out;
  }
  static std::string frame(std::int64_t id, const std::string& type, const std::string& data) {
    return events::formatEvent({std::to_string(id), type, data});
  }
};

TEST_F(EventHubTest, ABurstReachesEachSubscriberInOneWriteWithItsRolesFrames) {
  EventsConfig config;
  config.pollMs = 600000;  // only notify() wakes the hub: the burst is read at once
  config.heartbeatMs = 600000;
  events::EventHub hub(config, store_->events(), store_->projects());
  ASSERT_TRUE(hub.start().isOk());
  Writes owner;
  Writes viewer;
  ASSERT_TRUE(hub.subscribe(spec(Role::Owner, owner)));
  ASSERT_TRUE(hub.subscribe(spec(Role::Viewer, viewer)));

  auto started = store_->events().append(event("action.progress", "", R"({"step":1})"), systemNowMs());
  auto progress = store_->events().append(event("action.progress", R"({"v":2})", R"({"step":2})"), systemNowMs());
  auto completed = store_->events().append(event("action.completed", R"({"v":3})", R"({"done":true})"), systemNowMs());
  ASSERT_TRUE(started && progress && completed);
  hub.notify();

  const auto ownerWrites = owner.waitFor(2);
  const auto viewerWrites = viewer.waitFor(2);
  hub.stop();
  ASSERT_EQ(ownerWrites.size(), 2u) << "retry, then the whole burst at once";
  ASSERT_EQ(viewerWrites.size(), 2u);
  EXPECT_EQ(ownerWrites[0], events::formatRetry(config.retryMs));
  EXPECT_EQ(ownerWrites[1], frame(*started, "action.progress", R"({"step":1})") +
                                frame(*progress, "action.progress", R"({"step":2})") +
                                frame(*completed, "action.completed", R"({"done":true})"));
  EXPECT_EQ(viewerWrites[1], frame(*progress, "action.progress", R"({"v":2})") +
                                 frame(*completed, "action.completed", R"({"v":3})"))
      << "the viewer gets its own payloads and nothing its role may not see";
}

TEST_F(EventHubTest, AnEventTheRoleMayNotSeeAloneSendsNothingButIsPassed) {
  EventsConfig config;
  config.pollMs = 600000;
  config.heartbeatMs = 600000;
  events::EventHub hub(config, store_->events(), store_->projects());
  ASSERT_TRUE(hub.start().isOk());
  Writes viewer;
  ASSERT_TRUE(hub.subscribe(spec(Role::Viewer, viewer)));
  auto hidden = store_->events().append(event("status.changed", "", R"({"owner":1})"), systemNowMs());
  ASSERT_TRUE(hidden);
  hub.notify();
  auto shown = store_->events().append(event("status.changed", R"({"viewer":2})", R"({"owner":2})"), systemNowMs());
  ASSERT_TRUE(shown);
  hub.notify();
  const auto writes = viewer.waitFor(2);
  hub.stop();
  ASSERT_EQ(writes.size(), 2u);
  EXPECT_EQ(writes[1], frame(*shown, "status.changed", R"({"viewer":2})"));
}

}  // namespace
}  // namespace sb::testing
