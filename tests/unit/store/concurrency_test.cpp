#include <atomic>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "test_database.hpp"

namespace sb::testing {
namespace {

using ConcurrencyTest = StoreTest;

TEST_F(ConcurrencyTest, ManyThreadsCreatingProjects) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 10;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string user = "user" + std::to_string(t);
      auto ensured = store_->users().ensureUser(user, false);
      if (!ensured.isOk()) {
        ++failures;
        ADD_FAILURE() << ensured.status().message();
        return;
      }
      for (int i = 0; i < kPerThread; ++i) {
        auto project = store_->projects().createProject(user + "-" + std::to_string(i), user);
        auto shared = store_->users().ensureUser("shared", false);  // same row raced by every thread
        if (!project.isOk() || !shared.isOk()) {
          ++failures;
          ADD_FAILURE() << project.status().message() << " / " << shared.status().message();
          continue;
        }
        if (!store_->projects().putMember(project->id, "shared", Role::Viewer).isOk()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);

  auto all = store_->projects().listProjects();
  ASSERT_TRUE(all.isOk()) << all.status().message();
  EXPECT_EQ(all->size(), static_cast<std::size_t>(kThreads * kPerThread));
  std::set<std::string> ids;
  for (const auto& project : *all) ids.insert(project.id);
  EXPECT_EQ(ids.size(), all->size());
  EXPECT_EQ(store_->projects().listProjectsForUser("shared")->size(), all->size());
  EXPECT_EQ(store_->projects().listProjectsForUser("user3")->size(), static_cast<std::size_t>(kPerThread));
  EXPECT_EQ(store_->users().countUsers().value(), static_cast<std::size_t>(kThreads + 1));
}

// Two owners demoting each other at the same moment: the rule is checked
// inside each transaction, so at most one demotion wins.
TEST_F(ConcurrencyTest, RacingDemotionsKeepAnOwner) {
  ASSERT_TRUE(store_->users().ensureUser("x", false).isOk());
  ASSERT_TRUE(store_->users().ensureUser("y", false).isOk());
  for (int round = 0; round < 5; ++round) {
    auto project = store_->projects().createProject("race", "x");
    ASSERT_TRUE(project.isOk());
    ASSERT_TRUE(store_->projects().putMember(project->id, "y", Role::Owner).isOk());
    std::thread first([&] { (void)store_->projects().putMember(project->id, "x", Role::Viewer); });
    std::thread second([&] { (void)store_->projects().putMember(project->id, "y", Role::Viewer); });
    first.join();
    second.join();
    auto members = store_->projects().listMembers(project->id);
    ASSERT_TRUE(members.isOk());
    int owners = 0;
    for (const auto& m : *members) owners += m.role == Role::Owner ? 1 : 0;
    EXPECT_EQ(owners, 1) << "round " << round;
  }
}

}  // namespace
}  // namespace sb::testing
