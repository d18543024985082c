#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "store/migrations.hpp"
#include "test_database.hpp"

namespace sb::testing {
namespace {

TEST(Migrations, KnownListIsNumberedWithoutGaps) {
  const auto& all = store::schemaMigrations();
  ASSERT_FALSE(all.empty());
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].version, static_cast<int>(i) + 1);
    EXPECT_FALSE(all[i].name.empty());
    EXPECT_FALSE(all[i].statements.empty());
  }
}

TEST(Migrations, ApplyAllOnceThenNothing) {
  ScratchDatabase database;
  ASSERT_TRUE(database.ok());
  auto opened = Store::open(database.config());
  ASSERT_TRUE(opened.isOk()) << opened.status().message();
  Store& store = *opened.value();
  const int known = static_cast<int>(store::schemaMigrations().size());

  auto before = store.migrations();
  ASSERT_TRUE(before.isOk()) << before.status().message();
  ASSERT_EQ(static_cast<int>(before->size()), known);
  for (const auto& info : *before) EXPECT_TRUE(info.appliedAt.empty()) << info.version;

  auto first = store.migrate();
  ASSERT_TRUE(first.isOk()) << first.status().message();
  EXPECT_EQ(first.value(), known);
  auto second = store.migrate();
  ASSERT_TRUE(second.isOk()) << second.status().message();
  EXPECT_EQ(second.value(), 0);

  auto after = store.migrations();
  ASSERT_TRUE(after.isOk()) << after.status().message();
  ASSERT_EQ(static_cast<int>(after->size()), known);
  for (int i = 0; i < known; ++i) {
    EXPECT_EQ((*after)[i].version, store::schemaMigrations()[static_cast<std::size_t>(i)].version);
    EXPECT_EQ((*after)[i].appliedAt.size(), 24u) << (*after)[i].appliedAt;
  }
}

// Two instances starting at once against one database: exactly one applies
// each migration and neither fails.
TEST(Migrations, ConcurrentInstancesApplyEachVersionOnce) {
  ScratchDatabase database;
  ASSERT_TRUE(database.ok());
  constexpr int kInstances = 4;
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < kInstances; ++i) {
    auto opened = Store::open(database.config());
    ASSERT_TRUE(opened.isOk()) << opened.status().message();
    stores.push_back(std::move(opened.value()));
  }
  std::atomic<int> applied{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (auto& store : stores) {
    threads.emplace_back([&, s = store.get()] {
      auto result = s->migrate();
      if (result.isOk()) {
        applied += result.value();
      } else {
        ++failures;
        ADD_FAILURE() << result.status().message();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(applied.load(), static_cast<int>(store::schemaMigrations().size()));
}

TEST(Migrations, RefusesADatabaseFromANewerBuild) {
  ScratchDatabase database;
  ASSERT_TRUE(database.ok());
  auto opened = Store::open(database.config());
  ASSERT_TRUE(opened.isOk()) << opened.status().message();
  ASSERT_TRUE(opened.value()->migrate().isOk());
  auto raw = database.rawSession();
  raw << "INSERT INTO schema_migrations(version, name, applied_at) "
         "VALUES (999, 'from the future', '2030-01-01T00:00:00.000Z')",
      Poco::Data::Keywords::now;
  auto result = opened.value()->migrate();
  ASSERT_FALSE(result.isOk());
  EXPECT_NE(result.status().message().find("999"), std::string::npos) << result.status().message();
}

}  // namespace
}  // namespace sb::testing
