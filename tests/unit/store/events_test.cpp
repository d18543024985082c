// The event log: database ids, per-role payloads, hash-deduplicated status
// events across two Store instances, pruning marks and single-use tickets.
#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "auth/tokens.hpp"
#include "test_database.hpp"

namespace sb::testing {
namespace {

class EventsStoreTest : public StoreWithProjectTest {
 protected:
  NewEvent event(const std::string& type, const std::string& viewerPayload, const std::string& ownerPayload) {
    NewEvent out;
    out.projectId = projectId_;
    out.type = type;
    out.subject = "github";
    if (!viewerPayload.empty()) out.payloads[roleIndex(Role::Viewer)] = viewerPayload;
    out.payloads[roleIndex(Role::Owner)] = ownerPayload;
    return out;
  }
};

TEST_F(EventsStoreTest, IdsAreMonotonicAndPayloadsKeepTheirRoles) {
  auto first = store_->events().append(event("status.changed", "", R"({"owner":1})"), 1000);
  auto second = store_->events().append(event("status.changed", R"({"viewer":2})", R"({"owner":2})"), 1001);
  ASSERT_TRUE(first.isOk()) << first.status().message();
  ASSERT_TRUE(second.isOk()) << second.status().message();
  EXPECT_GT(*second, *first);

  auto listed = store_->events().listAfter(*first, {projectId_}, 100);
  ASSERT_TRUE(listed.isOk()) << listed.status().message();
  ASSERT_EQ(listed->size(), 1u) << "strictly after the id";
  const StoredEvent& got = listed->front();
  EXPECT_EQ(got.id, *second);
  EXPECT_EQ(got.type, "status.changed");
  EXPECT_EQ(got.subject, "github");
  EXPECT_EQ(got.payloads[roleIndex(Role::Viewer)].value_or(""), R"({"viewer":2})");
  EXPECT_FALSE(got.payloads[roleIndex(Role::Editor)].has_value());
  EXPECT_EQ(got.payloads[roleIndex(Role::Owner)].value_or(""), R"({"owner":2})");
  EXPECT_EQ(got.createdAtMs, 1001);

  auto all = store_->events().listAfter(0, {}, 100);
  ASSERT_TRUE(all.isOk());
  EXPECT_EQ(all->size(), 2u);
  auto latest = store_->events().latestId();
  ASSERT_TRUE(latest.isOk());
  EXPECT_EQ(*latest, *second);
}

TEST_F(EventsStoreTest, AnUnchangedHashWritesNoEvent) {
  auto first = store_->events().appendIfChanged(event("status.changed", "", "{}"), "github", "h1", 1);
  auto same = store_->events().appendIfChanged(event("status.changed", "", "{}"), "github", "h1", 2);
  auto changed = store_->events().appendIfChanged(event("status.changed", "", "{}"), "github", "h2", 3);
  auto otherProvider = store_->events().appendIfChanged(event("status.changed", "", "{}"), "vercel", "h1", 4);
  ASSERT_TRUE(first.isOk()) << first.status().message();
  ASSERT_TRUE(same.isOk() && changed.isOk() && otherProvider.isOk());
  EXPECT_GT(*first, 0);
  EXPECT_EQ(*same, 0);
  EXPECT_GT(*changed, *first);
  EXPECT_GT(*otherProvider, *changed);
}

TEST_F(EventsStoreTest, TwoInstancesSeeingOneChangeWriteOneEvent) {
  auto other = openAnother();
  ASSERT_NE(other, nullptr);
  std::atomic<int> written{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    Store& store = i % 2 == 0 ? *store_ : *other;
    threads.emplace_back([&, i, &store = store] {
      (void)i;
      auto id = store.events().appendIfChanged(event("status.changed", "", "{}"), "github", "same-hash", 5);
      if (!id.isOk()) {
        ++failed;
      } else if (*id > 0) {
        ++written;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(written.load(), 1);
  auto all = store_->events().listAfter(0, {projectId_}, 100);
  ASSERT_TRUE(all.isOk());
  EXPECT_EQ(all->size(), 1u);
}

TEST_F(EventsStoreTest, PruningMovesTheMarkAndIdsAreNeverReused) {
  auto old1 = store_->events().append(event("status.changed", "", "{}"), 100);
  auto old2 = store_->events().append(event("status.changed", "", "{}"), 200);
  ASSERT_TRUE(old1.isOk() && old2.isOk());
  auto pruned = store_->events().pruneBefore(1000, 1000);
  ASSERT_TRUE(pruned.isOk()) << pruned.status().message();
  EXPECT_EQ(*pruned, 2u);
  auto mark = store_->events().prunedThrough();
  ASSERT_TRUE(mark.isOk());
  EXPECT_EQ(*mark, *old2);
  auto latest = store_->events().latestId();
  ASSERT_TRUE(latest.isOk());
  EXPECT_EQ(*latest, *old2) << "the newest id survives pruning every row";

  auto next = store_->events().append(event("status.changed", "", "{}"), 2000);
  ASSERT_TRUE(next.isOk());
  EXPECT_GT(*next, *old2);
  auto rest = store_->events().listAfter(0, {}, 100);
  ASSERT_TRUE(rest.isOk());
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ(rest->front().id, *next);
}

TEST_F(EventsStoreTest, ATicketIsClaimedOnceAndOnlyBeforeItExpires) {
  const std::string live = sha256Hex("ticket-live");
  const std::string stale = sha256Hex("ticket-stale");
  ASSERT_TRUE(store_->events().putTicket(live, {userId_, projectId_}, 60'000).isOk());
  ASSERT_TRUE(store_->events().putTicket(stale, {userId_, projectId_}, 10'000).isOk());

  auto claimed = store_->events().claimTicket(live, 20'000);
  ASSERT_TRUE(claimed.isOk()) << claimed.status().message();
  ASSERT_TRUE(claimed->has_value());
  EXPECT_EQ((*claimed)->userId, userId_);
  EXPECT_EQ((*claimed)->projectId, projectId_);

  auto again = store_->events().claimTicket(live, 20'001);
  ASSERT_TRUE(again.isOk());
  EXPECT_FALSE(again->has_value()) << "single use";
  auto expired = store_->events().claimTicket(stale, 20'000);
  ASSERT_TRUE(expired.isOk());
  EXPECT_FALSE(expired->has_value()) << "expired";
  auto unknown = store_->events().claimTicket(sha256Hex("never-issued"), 20'000);
  ASSERT_TRUE(unknown.isOk());
  EXPECT_FALSE(unknown->has_value());

  // Pruning drops used and expired tickets.
  ASSERT_TRUE(store_->events().pruneBefore(0, 20'000).isOk());
  ASSERT_TRUE(store_->events().putTicket(live, {userId_, projectId_}, 90'000).isOk())
      << "the used ticket's row was pruned, so its hash is free again";
}

TEST_F(EventsStoreTest, AnEventWithoutProjectOrTypeIsRefused) {
  NewEvent bad;
  bad.type = "status.changed";
  auto refused = store_->events().append(bad, 1);
  EXPECT_EQ(refused.status().code(), ErrorCode::InvalidArgument);
}

}  // namespace
}  // namespace sb::testing
