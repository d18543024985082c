// Quick actions' persistence: Idempotency-Key reservation by the primary key
// (one winner among concurrent requests on two instances), the shared
// sliding-window rate limit, action records and leases after a restart.
#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "test_database.hpp"

namespace sb::testing {
namespace {

constexpr std::int64_t kMinute = 60'000;

class ActionsStoreTest : public StoreWithProjectTest {
 protected:
  ActionRecord action(const std::string& id, const std::string& owner = "instance-a") {
    ActionRecord out;
    out.id = id;
    out.projectId = projectId_;
    out.userId = userId_;
    out.provider = "supabase";
    out.action = "test-connection";
    out.state = ActionState::Running;
    out.leaseOwner = owner;
    out.leaseExpiresMs = 10 * kMinute;
    return out;
  }
};

TEST_F(ActionsStoreTest, AKeyIsReservedOnceThenHoldsItsResponse) {
  auto first = store_->actions().reserveKey(userId_, "key-1", "hash-a", 1000, 0);
  ASSERT_TRUE(first.isOk()) << first.status().message();
  EXPECT_TRUE(first->reserved);

  auto whileRunning = store_->actions().reserveKey(userId_, "key-1", "hash-a", 1001, 0);
  ASSERT_TRUE(whileRunning.isOk());
  EXPECT_FALSE(whileRunning->reserved);
  ASSERT_TRUE(whileRunning->stored.has_value());
  EXPECT_FALSE(whileRunning->stored->done);
  EXPECT_EQ(whileRunning->stored->requestHash, "hash-a");

  ASSERT_TRUE(store_->actions().completeKey(userId_, "key-1", 202, R"({"id":"act_1"})").isOk());
  auto replay = store_->actions().reserveKey(userId_, "key-1", "hash-b", 1002, 0);
  ASSERT_TRUE(replay.isOk());
  ASSERT_TRUE(replay->stored.has_value());
  EXPECT_TRUE(replay->stored->done);
  EXPECT_EQ(replay->stored->responseStatus, 202);
  EXPECT_EQ(replay->stored->responseBody, R"({"id":"act_1"})");
  EXPECT_EQ(replay->stored->requestHash, "hash-a") << "the caller compares payloads";

  // Scoped per user: another user's same key is free.
  auto other = store_->users().ensureUser("victor", false);
  ASSERT_TRUE(other.isOk());
  auto theirs = store_->actions().reserveKey(other->id, "key-1", "hash-a", 1003, 0);
  ASSERT_TRUE(theirs.isOk());
  EXPECT_TRUE(theirs->reserved);

  // Expired keys are replaced.
  auto later = store_->actions().reserveKey(userId_, "key-1", "hash-c", 1000 + 25 * 60 * kMinute, 1001);
  ASSERT_TRUE(later.isOk());
  EXPECT_TRUE(later->reserved);
}

TEST_F(ActionsStoreTest, AReleasedKeyCanBeReservedAgainButACompletedOneStays) {
  ASSERT_TRUE(store_->actions().reserveKey(userId_, "k", "h", 1, 0)->reserved);
  ASSERT_TRUE(store_->actions().releaseKey(userId_, "k").isOk());
  ASSERT_TRUE(store_->actions().reserveKey(userId_, "k", "h", 2, 0)->reserved);
  ASSERT_TRUE(store_->actions().completeKey(userId_, "k", 202, "{}").isOk());
  ASSERT_TRUE(store_->actions().releaseKey(userId_, "k").isOk());
  EXPECT_FALSE(store_->actions().reserveKey(userId_, "k", "h", 3, 0)->reserved);
}

TEST_F(ActionsStoreTest, ConcurrentRequestsOnTwoInstancesReserveAKeyExactlyOnce) {
  auto other = openAnother();
  ASSERT_NE(other, nullptr);
  std::atomic<int> reserved{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 20; ++i) {
    Store& store = i % 2 == 0 ? *store_ : *other;
    threads.emplace_back([&, &store = store] {
      auto outcome = store.actions().reserveKey(userId_, "shared", "h", 5, 0);
      if (!outcome.isOk()) {
        ++failed;
      } else if (outcome->reserved) {
        ++reserved;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(reserved.load(), 1);
}

TEST_F(ActionsStoreTest, TheSlidingWindowAdmitsTheLimitAcrossInstances) {
  auto other = openAnother();
  ASSERT_NE(other, nullptr);
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 12; ++i) {
    Store& store = i % 2 == 0 ? *store_ : *other;
    threads.emplace_back([&, &store = store] {
      auto decision = store.actions().hit("actions:u:p", 5, kMinute, 100'000);
      ASSERT_TRUE(decision.isOk()) << decision.status().message();
      if (decision->allowed) ++allowed;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(allowed.load(), 5);

  auto refused = store_->actions().hit("actions:u:p", 5, kMinute, 130'000);
  ASSERT_TRUE(refused.isOk());
  EXPECT_FALSE(refused->allowed);
  EXPECT_EQ(refused->remaining, 0);
  EXPECT_EQ(refused->resetSeconds, 30) << "the oldest hit leaves the window at 160 s";
  // Once the window has slid past the first hits, requests are admitted again.
  auto later = store_->actions().hit("actions:u:p", 5, kMinute, 160'001);
  ASSERT_TRUE(later.isOk());
  EXPECT_TRUE(later->allowed);
  EXPECT_EQ(later->remaining, 4) << "all five hits of 100 s left the window; this one counts";
  auto peek = store_->actions().peek("actions:other", 5, kMinute, 160'001);
  ASSERT_TRUE(peek.isOk());
  EXPECT_TRUE(peek->allowed);
  EXPECT_EQ(peek->remaining, 5);
}

TEST_F(ActionsStoreTest, RecordsRoundTripAndListNewestFirst) {
  ActionRecord first = action("act_1");
  first.createdAt = "2026-12-01T10:00:00.000Z";
  ActionRecord second = action("act_2");
  second.createdAt = "2026-12-01T10:00:01.000Z";
  ASSERT_TRUE(store_->actions().insert(first).isOk());
  ASSERT_TRUE(store_->actions().insert(second).isOk());
  second.state = ActionState::Succeeded;
  second.resultJson = R"({"healthy":true})";
  second.progressJson = R"([{"step":"health","state":"succeeded"}])";
  ASSERT_TRUE(store_->actions().update(second).isOk());
  auto got = store_->actions().get("act_2");
  ASSERT_TRUE(got.isOk() && got->has_value());
  EXPECT_EQ((*got)->state, ActionState::Succeeded);
  EXPECT_EQ((*got)->resultJson, R"({"healthy":true})");
  EXPECT_EQ((*got)->progressJson, R"([{"step":"health","state":"succeeded"}])");
  auto listed = store_->actions().listRecent(projectId_, 10);
  ASSERT_TRUE(listed.isOk());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, "act_2");
  EXPECT_EQ(store_->actions().update(action("act_missing")).code(), ErrorCode::NotFound);
}

TEST_F(ActionsStoreTest, ARestartFailsOnlyItsOwnActionsAndLapsedLeases) {
  ASSERT_TRUE(store_->actions().insert(action("mine", "instance-a")).isOk());
  ActionRecord lapsed = action("lapsed", "instance-b");
  lapsed.leaseExpiresMs = 1000;
  ASSERT_TRUE(store_->actions().insert(lapsed).isOk());
  ASSERT_TRUE(store_->actions().insert(action("theirs", "instance-c")).isOk());
  ActionRecord done = action("done", "instance-a");
  done.state = ActionState::Succeeded;
  ASSERT_TRUE(store_->actions().insert(done).isOk());

  auto failed = store_->actions().failInterrupted("instance-a", 5000);
  ASSERT_TRUE(failed.isOk()) << failed.status().message();
  std::set<std::string> ids;
  for (const auto& a : *failed) ids.insert(a.id);
  EXPECT_EQ(ids, (std::set<std::string>{"mine", "lapsed"}));
  auto mine = store_->actions().get("mine");
  ASSERT_TRUE(mine.isOk() && mine->has_value());
  EXPECT_EQ((*mine)->state, ActionState::Failed);
  EXPECT_NE((*mine)->errorJson.find("interrupted"), std::string::npos);
  auto theirs = store_->actions().get("theirs");
  EXPECT_EQ((*theirs)->state, ActionState::Running) << "another live instance's action is left alone";
  auto finished = store_->actions().get("done");
  EXPECT_EQ((*finished)->state, ActionState::Succeeded);

  ASSERT_TRUE(store_->actions().renewLeases("instance-c", 99'999).isOk());
  EXPECT_EQ((*store_->actions().get("theirs"))->leaseExpiresMs, 99'999);
}

}  // namespace
}  // namespace sb::testing
