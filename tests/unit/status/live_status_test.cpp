// LiveStatus against a real store (scratch SQLite file), a StatusService with
// a scripted GitHub adapter and a stand-in for the hub's active projects:
// one event per change, none for an unchanged provider, background refreshes
// only for projects with subscribers, and the unlink.
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "scratch_database.hpp"
#include "status/live_status.hpp"
#include "status/status_service.hpp"
#include "store/store.hpp"

namespace sb::status {
namespace {

const std::string kConnected =
    R"({"status":"connected","summary":"All good","resource":{"label":"acme/web","url":"https://github.com/acme/web","private":true,"genericLabel":"Private repo"},"actions":[]})";
const std::string kError = R"({"status":"error","summary":"Bad credentials","actions":[]})";

class LiveStatusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(database_.ok());
    auto store = Store::open(database_.config());
    ASSERT_TRUE(store) << store.status().message();
    store_ = std::move(store).value();
    ASSERT_TRUE(store_->migrate());
    ASSERT_TRUE(store_->users().ensureUser("alice", false));
    projectId_ = store_->projects().createProject("Demo", "alice")->id;
    quietProjectId_ = store_->projects().createProject("Quiet", "alice")->id;
    for (const auto& id : {projectId_, quietProjectId_}) {
      IntegrationLink link;
      link.projectId = id;
      link.key = "github";
      link.settingsJson = "{}";
      ASSERT_TRUE(store_->integrations().putIntegration(link));
    }
  }

  void makeService(int ttlMs, bool testClock) {
    StatusConfig config;
    config.cacheTtlMinMs = ttlMs;
    config.cacheTtlMaxMs = ttlMs;
    StatusDependencies deps;
    deps.integrations = &store_->integrations();
    deps.providers = {{"github", "GitHub"}};
    deps.adapterFor = [this](const std::string& key) -> AdapterCallFn {
      if (key != "github") return {};
      return [this](const std::string& request, int64_t, const std::shared_ptr<CallAccessToken>&) -> Result<std::string> {
        std::lock_guard lock(mutex_);
        if (request.find(quietProjectId_) != std::string::npos) ++quietCalls_;
        ++calls_;
        return answer_;
      };
    };
    if (testClock) deps.nowMs = [this] { return clock_.load(); };
    service_ = std::make_unique<StatusService>(config, std::move(deps));
    LiveStatusDependencies live;
    live.status = service_.get();
    live.events = &store_->events();
    live.activeProjects = [this] {
      std::lock_guard lock(mutex_);
      return active_;
    };
    live.notify = [this] { ++notified_; };
    if (testClock) live.nowMs = [this] { return clock_.load(); };
    live_ = std::make_unique<LiveStatus>(std::move(live));
  }

  void answer(const std::string& document) {
    std::lock_guard lock(mutex_);
    answer_ = document;
  }
  int calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }

  std::vector<StoredEvent> events() {
    auto listed = store_->events().listAfter(0, {projectId_}, 100);
    EXPECT_TRUE(listed) << listed.status().message();
    return listed ? *listed : std::vector<StoredEvent>{};
  }

  // Waits (bounded, generously) until the log holds `count` events.
  std::vector<StoredEvent> waitForEvents(std::size_t count) {
    for (int i = 0; i < 1000; ++i) {
      auto now = events();
      if (now.size() >= count) return now;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return events();
  }

  static Poco::JSON::Object::Ptr parse(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
  }

  void TearDown() override {
    live_.reset();
    service_.reset();
  }

  testing::ScratchDatabase database_;
  std::unique_ptr<Store> store_;
  std::string projectId_;
  std::string quietProjectId_;
  std::mutex mutex_;
  std::string answer_ = kConnected;
  int calls_ = 0;
  int quietCalls_ = 0;
  std::vector<std::string> active_;
  std::atomic<int> notified_{0};
  std::atomic<int64_t> clock_{1'800'000'000'000};
  std::unique_ptr<StatusService> service_;
  std::unique_ptr<LiveStatus> live_;
};

TEST_F(LiveStatusTest, PublishesOncePerChangeAndNothingForAnUnchangedProvider) {
  makeService(10'000, true);
  // Not fetched yet: nothing settled, nothing to publish.
  EXPECT_EQ(live_->publish(projectId_), 0u);
  ASSERT_TRUE(service_->projectStatus({projectId_, "u", Role::Owner, "r"}));
  EXPECT_EQ(live_->publish(projectId_), 1u) << "github only: the others were never linked";
  EXPECT_EQ(notified_.load(), 1);
  clock_ += 3000;  // only updatedAt moves
  EXPECT_EQ(live_->publish(projectId_), 0u);
  auto log = events();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].type, "status.changed");
  EXPECT_EQ(log[0].subject, "github");
  auto owner = parse(*log[0].payloads[roleIndex(Role::Owner)]);
  EXPECT_EQ(owner->getValue<std::string>("status"), "connected");
  EXPECT_EQ(owner->getObject("resource")->getValue<std::string>("label"), "acme/web");
  const std::string& viewer = *log[0].payloads[roleIndex(Role::Viewer)];
  EXPECT_EQ(viewer.find("acme/web"), std::string::npos);
  EXPECT_EQ(parse(viewer)->getObject("resource")->getValue<std::string>("label"), "Private repo");

  answer(kError);
  clock_ += 20'000;  // past the TTL: the next lookup refreshes
  ASSERT_TRUE(service_->projectStatus({projectId_, "u", Role::Owner, "r"}));
  for (int i = 0; i < 500 && calls() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(live_->publish(projectId_), 1u);
  EXPECT_EQ(live_->publish(projectId_), 0u);
  log = events();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(parse(*log[1].payloads[roleIndex(Role::Viewer)])->getValue<std::string>("status"), "error");
}

TEST_F(LiveStatusTest, SubscribedProjectsAreRefreshedInTheBackgroundAndOthersCostNothing) {
  makeService(50, false);
  {
    std::lock_guard lock(mutex_);
    active_ = {projectId_};
  }
  ASSERT_TRUE(live_->start());
  auto log = waitForEvents(1);
  ASSERT_GE(log.size(), 1u) << "the first refresh publishes the baseline";
  EXPECT_EQ(parse(*log[0].payloads[roleIndex(Role::Owner)])->getValue<std::string>("status"), "connected");
  // Several TTLs pass with an unchanged provider: refreshes, but no new event.
  const int before = calls();
  for (int i = 0; i < 1000 && calls() < before + 3; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_GE(calls(), before + 3) << "refreshed on its TTL with nobody polling";
  EXPECT_EQ(events().size(), 1u);

  answer(kError);
  log = waitForEvents(2);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(parse(*log[1].payloads[roleIndex(Role::Owner)])->getValue<std::string>("status"), "error");
  // The hub is told right after the append commits: the log may show the event first.
  for (int i = 0; i < 500 && notified_.load() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_GE(notified_.load(), 2);
  live_->stop();
  std::lock_guard lock(mutex_);
  EXPECT_EQ(quietCalls_, 0) << "a project without subscribers is never refreshed";
}

// A TTL longer than the ping interval: after 60 s without an event the
// project is refreshed anyway, though its cache entry is still fresh.
TEST_F(LiveStatusTest, SixtySecondsWithoutAnEventForceAHealthPing) {
  makeService(600'000, true);
  {
    std::lock_guard lock(mutex_);
    active_ = {projectId_};
  }
  ASSERT_TRUE(live_->start());
  ASSERT_EQ(waitForEvents(1).size(), 1u);
  EXPECT_EQ(calls(), 1);
  clock_ += LiveStatus::kHealthPingMs + 1000;
  for (int i = 0; i < 1000 && calls() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(calls(), 2) << "the health ping";
  EXPECT_EQ(events().size(), 1u) << "an unchanged answer is no event";
}

TEST_F(LiveStatusTest, AnUnlinkIsPublishedAsNotLinked) {
  makeService(10'000, true);
  {
    std::lock_guard lock(mutex_);
    active_ = {projectId_};
  }
  ASSERT_TRUE(service_->projectStatus({projectId_, "u", Role::Owner, "r"}));
  EXPECT_EQ(live_->publish(projectId_), 1u);
  ASSERT_TRUE(store_->integrations().deleteIntegration(projectId_, "github"));
  service_->invalidate(projectId_, "github");
  EXPECT_EQ(live_->publish(projectId_, std::string("github")), 1u);
  auto log = events();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(parse(*log[1].payloads[roleIndex(Role::Viewer)])->getValue<std::string>("configuredReason"),
            "not_linked");
  EXPECT_EQ(live_->publish(projectId_), 0u) << "published once; then it is an item never linked";
}

}  // namespace
}  // namespace sb::status
