#include <cstdint>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "test_database.hpp"

namespace sb::testing {
namespace {

using Poco::Data::Keywords::now;

class IntegrationsStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(store_->users().ensureUser("olivia", false).isOk());
    auto created = store_->projects().createProject("Website", "olivia");
    ASSERT_TRUE(created.isOk()) << created.status().message();
    projectId_ = created->id;
  }

  IntegrationLink link(const std::string& key, const std::string& settings = R"({"repo":"a/b"})") {
    IntegrationLink out;
    out.projectId = projectId_;
    out.key = key;
    out.settingsJson = settings;
    out.secretsSealed = "v1.sealed-" + key;
    out.secretNames = {"token"};
    out.visibleTo = Role::Editor;
    return out;
  }

  StatusSnapshot snapshot(const std::string& provider, int64_t fetchedAtMs) {
    StatusSnapshot out;
    out.projectId = projectId_;
    out.provider = provider;
    out.documentJson = R"({"state":"ok"})";
    out.fetchedAtMs = fetchedAtMs;
    out.breakerState = "open";
    out.consecutiveFailures = 3;
    out.breakerOpenedAtMs = fetchedAtMs + 1;
    return out;
  }

  // Removes the project behind the Store's back, as a future project
  // deletion would, with SQLite's per-connection foreign keys switched on.
  void deleteProjectRaw() {
    auto raw = database_->rawSession();
    if (database_->isSqlite()) raw << "PRAGMA foreign_keys=ON", now;
    raw << "DELETE FROM projects WHERE id = '" + projectId_ + "'", now;
  }

  std::string projectId_;
};

TEST_F(IntegrationsStoreTest, PutThenGetReturnsEveryField) {
  auto stored = store_->integrations().putIntegration(link("github"));
  ASSERT_TRUE(stored.isOk()) << stored.status().message();
  EXPECT_EQ(stored->createdAt.size(), 24u);
  EXPECT_EQ(stored->createdAt, stored->updatedAt);

  auto found = store_->integrations().getIntegration(projectId_, "github");
  ASSERT_TRUE(found.isOk()) << found.status().message();
  ASSERT_TRUE(found->has_value());
  const IntegrationLink& l = **found;
  EXPECT_EQ(l.projectId, projectId_);
  EXPECT_EQ(l.key, "github");
  EXPECT_EQ(l.settingsJson, R"({"repo":"a/b"})");
  EXPECT_EQ(l.secretsSealed, "v1.sealed-github");
  EXPECT_EQ(l.secretNames, std::vector<std::string>{"token"});
  EXPECT_EQ(l.visibleTo, Role::Editor);
  EXPECT_EQ(l.createdAt, stored->createdAt);
}

TEST_F(IntegrationsStoreTest, GetOfAnAbsentLinkIsEmptyNotAnError) {
  auto found = store_->integrations().getIntegration(projectId_, "github");
  ASSERT_TRUE(found.isOk()) << found.status().message();
  EXPECT_FALSE(found->has_value());
  auto foreign = store_->integrations().getIntegration("prj_nope", "github");
  ASSERT_TRUE(foreign.isOk());
  EXPECT_FALSE(foreign->has_value());
}

TEST_F(IntegrationsStoreTest, PutOverAnExistingLinkReplacesItAndKeepsCreatedAt) {
  auto first = store_->integrations().putIntegration(link("vercel"));
  ASSERT_TRUE(first.isOk()) << first.status().message();
  IntegrationLink changed = link("vercel", R"({"team":"acme"})");
  changed.secretsSealed.clear();
  changed.secretNames.clear();
  changed.visibleTo = Role::Owner;
  auto second = store_->integrations().putIntegration(changed);
  ASSERT_TRUE(second.isOk()) << second.status().message();
  EXPECT_EQ(second->createdAt, first->createdAt);
  EXPECT_GT(second->updatedAt, first->updatedAt);
  EXPECT_EQ(second->settingsJson, R"({"team":"acme"})");
  EXPECT_TRUE(second->secretsSealed.empty());
  EXPECT_TRUE(second->secretNames.empty());
  EXPECT_EQ(second->visibleTo, Role::Owner);
  EXPECT_EQ(store_->integrations().listIntegrations(projectId_)->size(), 1u);
}

TEST_F(IntegrationsStoreTest, ConditionalPutWritesOnlyOverWhatTheCallerRead) {
  // Nothing read, nothing there: inserted.
  auto created = store_->integrations().putIntegrationIf(link("github"), std::nullopt);
  ASSERT_TRUE(created.isOk()) << created.status().message();
  // "Nothing there" is now stale.
  auto again = store_->integrations().putIntegrationIf(link("github", R"({"repo":"c/d"})"), std::nullopt);
  EXPECT_EQ(again.status().code(), ErrorCode::Conflict);
  // Over the row as read: written.
  IntegrationLink rotated = link("github");
  rotated.secretsSealed = "v1.sealed-rotated";
  auto written = store_->integrations().putIntegrationIf(rotated, *created);
  ASSERT_TRUE(written.isOk()) << written.status().message();
  // Over the old read again (someone else wrote meanwhile): refused, nothing written.
  auto lost = store_->integrations().putIntegrationIf(link("github", R"({"repo":"e/f"})"), *created);
  EXPECT_EQ(lost.status().code(), ErrorCode::Conflict);
  auto found = store_->integrations().getIntegration(projectId_, "github");
  ASSERT_TRUE(found.isOk() && found->has_value());
  EXPECT_EQ((*found)->secretsSealed, "v1.sealed-rotated");
  EXPECT_EQ((*found)->settingsJson, R"({"repo":"a/b"})");
}

TEST_F(IntegrationsStoreTest, PutRejectsAnUnknownProjectAndEmptyKeys) {
  IntegrationLink orphan = link("github");
  orphan.projectId = "prj_missing";
  auto missing = store_->integrations().putIntegration(orphan);
  EXPECT_EQ(missing.status().code(), ErrorCode::NotFound);
  EXPECT_EQ(missing.status().field(), "projectId");
  auto noKey = store_->integrations().putIntegration(link(""));
  EXPECT_EQ(noKey.status().code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(noKey.status().field(), "key");
  EXPECT_TRUE(store_->integrations().listIntegrations(projectId_)->empty());
}

TEST_F(IntegrationsStoreTest, ListIsOrderedByKeyAndScopedToTheProject) {
  ASSERT_TRUE(store_->integrations().putIntegration(link("vercel")).isOk());
  ASSERT_TRUE(store_->integrations().putIntegration(link("github")).isOk());
  ASSERT_TRUE(store_->integrations().putIntegration(link("sanity")).isOk());
  auto other = store_->projects().createProject("Other", "olivia");
  ASSERT_TRUE(other.isOk());
  IntegrationLink elsewhere = link("supabase");
  elsewhere.projectId = other->id;
  ASSERT_TRUE(store_->integrations().putIntegration(elsewhere).isOk());

  auto listed = store_->integrations().listIntegrations(projectId_);
  ASSERT_TRUE(listed.isOk()) << listed.status().message();
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[0].key, "github");
  EXPECT_EQ((*listed)[1].key, "sanity");
  EXPECT_EQ((*listed)[2].key, "vercel");
  EXPECT_EQ(store_->integrations().listIntegrations(other->id)->size(), 1u);
  EXPECT_TRUE(store_->integrations().listIntegrations("prj_nope")->empty());
}

TEST_F(IntegrationsStoreTest, DeleteRemovesTheLinkAndItsSnapshotOnly) {
  ASSERT_TRUE(store_->integrations().putIntegration(link("github")).isOk());
  ASSERT_TRUE(store_->integrations().putIntegration(link("vercel")).isOk());
  ASSERT_TRUE(store_->integrations().putStatusSnapshot(snapshot("github", 100)).isOk());
  ASSERT_TRUE(store_->integrations().putStatusSnapshot(snapshot("vercel", 200)).isOk());

  Status deleted = store_->integrations().deleteIntegration(projectId_, "github");
  ASSERT_TRUE(deleted.isOk()) << deleted.message();
  EXPECT_FALSE(store_->integrations().getIntegration(projectId_, "github")->has_value());
  EXPECT_FALSE(store_->integrations().getStatusSnapshot(projectId_, "github")->has_value());
  EXPECT_TRUE(store_->integrations().getIntegration(projectId_, "vercel")->has_value());
  EXPECT_TRUE(store_->integrations().getStatusSnapshot(projectId_, "vercel")->has_value());
}

TEST_F(IntegrationsStoreTest, DeleteOfAnAbsentLinkIsNotFound) {
  ASSERT_TRUE(store_->integrations().putStatusSnapshot(snapshot("github", 100)).isOk());
  Status absent = store_->integrations().deleteIntegration(projectId_, "github");
  EXPECT_EQ(absent.code(), ErrorCode::NotFound);
  EXPECT_EQ(absent.field(), "key");
  EXPECT_TRUE(store_->integrations().getStatusSnapshot(projectId_, "github")->has_value())
      << "a failed delete must not remove the snapshot";
  EXPECT_EQ(store_->integrations().deleteIntegration("prj_nope", "github").code(), ErrorCode::NotFound);
}

TEST_F(IntegrationsStoreTest, SnapshotRoundTripsMillisecondsBeyond32Bits) {
  const int64_t fetched = 1795000000123;  // a 2026 epoch-ms value
  ASSERT_TRUE(store_->integrations().putStatusSnapshot(snapshot("github", fetched)).isOk());
  auto found = store_->integrations().getStatusSnapshot(projectId_, "github");
  ASSERT_TRUE(found.isOk()) << found.status().message();
  ASSERT_TRUE(found->has_value());
  const StatusSnapshot& s = **found;
  EXPECT_EQ(s.projectId, projectId_);
  EXPECT_EQ(s.provider, "github");
  EXPECT_EQ(s.documentJson, R"({"state":"ok"})");
  EXPECT_EQ(s.fetchedAtMs, fetched);
  EXPECT_EQ(s.breakerState, "open");
  EXPECT_EQ(s.consecutiveFailures, 3);
  EXPECT_EQ(s.breakerOpenedAtMs, fetched + 1);
}

TEST_F(IntegrationsStoreTest, SnapshotUpsertReplacesEveryColumn) {
  ASSERT_TRUE(store_->integrations().putStatusSnapshot(snapshot("github", 100)).isOk());
  StatusSnapshot closed = snapshot("github", 500);
  closed.documentJson.clear();
  closed.breakerState = "closed";
  closed.consecutiveFailures = 0;
  closed.breakerOpenedAtMs = 0;
  ASSERT_TRUE(store_->integrations().putStatusSnapshot(closed).isOk());
  auto found = store_->integrations().getStatusSnapshot(projectId_, "github");
  ASSERT_TRUE(found.isOk() && found->has_value());
  EXPECT_EQ((*found)->fetchedAtMs, 500);
  EXPECT_EQ((*found)->documentJson, "");
  EXPECT_EQ((*found)->breakerState, "closed");
  EXPECT_EQ((*found)->consecutiveFailures, 0);
  EXPECT_EQ((*found)->breakerOpenedAtMs, 0);
  EXPECT_EQ(store_->integrations().listStatusSnapshots()->size(), 1u);
}

TEST_F(IntegrationsStoreTest, SnapshotOfAMissingProjectIsIgnored) {
  StatusSnapshot orphan = snapshot("github", 100);
  orphan.projectId = "prj_gone";
  EXPECT_TRUE(store_->integrations().putStatusSnapshot(orphan).isOk());
  EXPECT_TRUE(store_->integrations().listStatusSnapshots()->empty());
  StatusSnapshot unnamed = snapshot("", 100);
  EXPECT_EQ(store_->integrations().putStatusSnapshot(unnamed).code(), ErrorCode::InvalidArgument);
}

TEST_F(IntegrationsStoreTest, ListSnapshotsCoversEveryProject) {
  auto other = store_->projects().createProject("Other", "olivia");
  ASSERT_TRUE(other.isOk());
  ASSERT_TRUE(store_->integrations().putStatusSnapshot(snapshot("vercel", 1)).isOk());
  ASSERT_TRUE(store_->integrations().putStatusSnapshot(snapshot("github", 2)).isOk());
  StatusSnapshot elsewhere = snapshot("sanity", 3);
  elsewhere.projectId = other->id;
  ASSERT_TRUE(store_->integrations().putStatusSnapshot(elsewhere).isOk());
  auto all = store_->integrations().listStatusSnapshots();
  ASSERT_TRUE(all.isOk()) << all.status().message();
  ASSERT_EQ(all->size(), 3u);
  int ofProject = 0;
  for (const auto& s : *all) ofProject += s.projectId == projectId_ ? 1 : 0;
  EXPECT_EQ(ofProject, 2);
}

TEST_F(IntegrationsStoreTest, DeletingTheProjectCascadesToLinksAndSnapshots) {
  ASSERT_TRUE(store_->integrations().putIntegration(link("github")).isOk());
  ASSERT_TRUE(store_->integrations().putStatusSnapshot(snapshot("github", 100)).isOk());
  deleteProjectRaw();
  EXPECT_TRUE(store_->integrations().listIntegrations(projectId_)->empty());
  EXPECT_TRUE(store_->integrations().listStatusSnapshots()->empty());
  EXPECT_TRUE(store_->integrations().putStatusSnapshot(snapshot("github", 200)).isOk());
  EXPECT_TRUE(store_->integrations().listStatusSnapshots()->empty());
}

// Many first PUTs of one link at once: the upsert is one statement, so none
// fails with a duplicate key and exactly one row remains.
TEST_F(IntegrationsStoreTest, ConcurrentFirstPutsNeverConflict) {
  constexpr int kWriters = 6;
  std::vector<std::thread> threads;
  std::vector<Status> results(kWriters);
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      auto stored = store_->integrations().putIntegration(link("github", R"({"n":)" + std::to_string(i) + "}"));
      results[i] = stored.isOk() ? Status::ok() : stored.status();
    });
  }
  for (auto& thread : threads) thread.join();
  for (const Status& result : results) EXPECT_TRUE(result.isOk()) << result.message();
  EXPECT_EQ(store_->integrations().listIntegrations(projectId_)->size(), 1u);
}

}  // namespace
}  // namespace sb::testing
