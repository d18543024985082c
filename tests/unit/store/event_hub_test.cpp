// EventHub over a real store: a burst of events reaches each subscriber as
// one write (one send), with only the frames its role may see, in id order.
// Events carry the real time: the hub prunes by age as soon as it starts.
#include <chrono>
#include <condition_variable>
#include <memory>
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
  // Reads the log every `pollMs` (and on notify()); no heartbeats in a test's time.
  static EventsConfig hubConfig(int pollMs) {
    EventsConfig config;
    config.pollMs = pollMs;
    config.heartbeatMs = 600000;
    return config;
  }
  static std::string frame(std::int64_t id, const std::string& type, const std::string& data) {
    return events::formatEvent({std::to_string(id), type, data});
  }
};

TEST_F(EventHubTest, ABurstReachesEachSubscriberInOneWriteWithItsRolesFrames) {
  const EventsConfig config = hubConfig(600000);  // only notify() wakes the hub: the burst is read at once
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
  events::EventHub hub(hubConfig(600000), store_->events(), store_->projects());
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

// What LiveStatus does: a status event appended the moment a stream
// subscribes (its project just became active) must reach that stream, while
// the hub is reading the log at the same time. Subscribers register in a
// tight loop against a hub that never stops polling.
TEST_F(EventHubTest, AnEventAppendedRightAfterSubscribingReachesTheNewSubscriber) {
  events::EventHub hub(hubConfig(1), store_->events(), store_->projects());
  ASSERT_TRUE(hub.start().isOk());
  constexpr int kSubscribers = 300;
  std::vector<std::unique_ptr<Writes>> writes;
  std::vector<std::int64_t> ids;
  for (int i = 0; i < kSubscribers; ++i) {
    writes.push_back(std::make_unique<Writes>());
    events::SubscriberSpec subscriber = spec(Role::Owner, *writes.back());
    auto latest = store_->events().latestId();
    ASSERT_TRUE(latest);
    subscriber.liveFrom = *latest;  // as the route sets it
    ASSERT_TRUE(hub.subscribe(std::move(subscriber)));
    auto id = store_->events().append(event("status.changed", "", "{\"n\":" + std::to_string(i) + "}"), systemNowMs());
    ASSERT_TRUE(id);
    ids.push_back(*id);
    hub.notify();
  }
  // Every stream has its event, or ten seconds passed.
  const auto countMissing = [&] {
    int missing = 0;
    for (std::size_t i = 0; i < writes.size(); ++i) {
      std::string all;
      for (const std::string& bytes : writes[i]->waitFor(0)) all += bytes;
      if (all.find("id: " + std::to_string(ids[i]) + "\n") == std::string::npos) ++missing;
    }
    return missing;
  };
  int missing = countMissing();
  for (int attempt = 0; attempt < 1000 && missing > 0; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    missing = countMissing();
  }
  hub.stop();
  EXPECT_EQ(missing, 0) << "subscribers that never got the event appended right after they subscribed";
}

// LiveStatus asks for the active projects on every tick: each project with a
// subscriber once, sorted, and a project leaves with its last subscriber.
TEST_F(EventHubTest, ActiveProjectsAreTheProjectsWithSubscribersEachOnce) {
  events::EventHub hub(hubConfig(600000), store_->events(), store_->projects());
  ASSERT_TRUE(hub.start().isOk());
  Writes first;
  Writes second;
  Writes other;
  auto one = hub.subscribe(spec(Role::Owner, first));
  auto two = hub.subscribe(spec(Role::Viewer, second));
  events::SubscriberSpec elsewhere = spec(Role::Owner, other);
  elsewhere.projectId = "a-project-before-" + projectId_;
  auto three = hub.subscribe(std::move(elsewhere));
  ASSERT_TRUE(one && two && three);
  EXPECT_EQ(hub.subscriberCount(), 3u);
  EXPECT_EQ(hub.activeProjects(), (std::vector<std::string>{"a-project-before-" + projectId_, projectId_}));
  hub.unsubscribe(*one);
  EXPECT_EQ(hub.activeProjects(), (std::vector<std::string>{"a-project-before-" + projectId_, projectId_}));
  hub.unsubscribe(*two);
  hub.unsubscribe(*two);  // twice: nothing more goes
  EXPECT_EQ(hub.activeProjects(), (std::vector<std::string>{"a-project-before-" + projectId_}));
  hub.unsubscribe(*three);
  EXPECT_TRUE(hub.activeProjects().empty());
  EXPECT_EQ(hub.subscriberCount(), 0u);
  hub.stop();
}

// Subscribers are kept per project, and one leaving the middle of its
// project's list moves another into its place: an event reaches exactly the
// subscribers of its project that are still there, once each.
TEST_F(EventHubTest, AnEventReachesOnlyItsProjectsRemainingSubscribers) {
  auto otherProject = store_->projects().createProject("Docs", "olivia");
  ASSERT_TRUE(otherProject.isOk()) << otherProject.status().message();
  constexpr int kHere = 6;
  std::vector<std::unique_ptr<Writes>> here;  // before the hub: they outlive its thread
  Writes elsewhere;
  std::vector<std::uint64_t> ids;
  events::EventHub hub(hubConfig(600000), store_->events(), store_->projects());
  ASSERT_TRUE(hub.start().isOk());
  for (int i = 0; i < kHere; ++i) {
    here.push_back(std::make_unique<Writes>());
    auto id = hub.subscribe(spec(Role::Owner, *here.back()));
    ASSERT_TRUE(id);
    ids.push_back(*id);
  }
  events::SubscriberSpec other = spec(Role::Owner, elsewhere);
  other.projectId = otherProject->id;
  ASSERT_TRUE(hub.subscribe(std::move(other)));
  hub.unsubscribe(ids[1]);  // from the middle: the last one takes its place
  hub.unsubscribe(ids[5]);  // that one, from its new place
  hub.unsubscribe(ids[0]);  // the first
  const std::vector<int> stayed = {2, 3, 4};
  const std::vector<int> left = {0, 1, 5};

  NewEvent forOther = event("status.changed", "", R"({"docs":1})");
  forOther.projectId = otherProject->id;
  auto docs = store_->events().append(forOther, systemNowMs());
  auto website = store_->events().append(event("status.changed", "", R"({"website":1})"), systemNowMs());
  ASSERT_TRUE(docs && website);
  hub.notify();

  for (int i : stayed) {
    const auto writes = here[i]->waitFor(2);
    ASSERT_EQ(writes.size(), 2u) << "subscriber " << i << ": retry, then its project's event";
    EXPECT_EQ(writes[1], frame(*website, "status.changed", R"({"website":1})")) << "subscriber " << i;
  }
  const auto otherWrites = elsewhere.waitFor(2);
  ASSERT_EQ(otherWrites.size(), 2u);
  EXPECT_EQ(otherWrites[1], frame(*docs, "status.changed", R"({"docs":1})"));
  hub.stop();
  for (int i : left) {
    EXPECT_EQ(here[i]->waitFor(0).size(), 1u) << "an unsubscribed stream got only its retry: " << i;
  }
  EXPECT_EQ(hub.subscriberCount(), 0u);
}

}  // namespace
}  // namespace sb::testing
