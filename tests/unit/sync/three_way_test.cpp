// The three-way compare, one path per row of the matrix: every combination
// of base (absent / X), local (absent / X / Y / Z) and remote (absent / X /
// Y / Z), with what each must become.
#include <gtest/gtest.h>

#include "sync/three_way.hpp"

namespace sb::sync {
namespace {

const std::string X(40, 'a');
const std::string Y(40, 'b');
const std::string Z(40, 'c');

struct Row {
  std::string base, local, remote;
  std::string expect;  // nothing | pull | push | conflict | converged
  std::string change;  // the change named, "" for nothing
};

// "" = absent on that side. A local file without a base is a never-synced
// one; absent local with a base is a tombstone.
std::string classify(const Row& row, std::string& change) {
  std::vector<WorkspaceFile> local;
  if (!row.local.empty() || !row.base.empty()) {
    WorkspaceFile file;
    file.path = "f";
    file.blobSha = row.local;
    file.baseSha = row.base;
    file.deleted = row.local.empty();
    local.push_back(file);
  }
  RemoteTree remote;
  if (!row.remote.empty()) remote["f"] = RemoteEntry{row.remote, 10};
  const SyncPlan plan = comparePaths(local, remote, 1000);
  const std::size_t total = plan.toPull.size() + plan.toPush.size() + plan.conflicts.size() + plan.converged.size();
  EXPECT_LE(total, 1u);
  auto named = [&](const std::vector<PlanItem>& items, const char* what) {
    change = toString(items.front().change);
    return std::string(what);
  };
  if (!plan.toPull.empty()) return named(plan.toPull, "pull");
  if (!plan.toPush.empty()) return named(plan.toPush, "push");
  if (!plan.conflicts.empty()) return named(plan.conflicts, "conflict");
  if (!plan.converged.empty()) return named(plan.converged, "converged");
  change.clear();
  return "nothing";
}

TEST(ThreeWay, TheFullMatrix) {
  const std::vector<Row> rows = {
      // never synced (no base)
      {"", "", X, "pull", "added"},
      {"", X, "", "push", "added"},
      {"", X, X, "converged", "added"},
      {"", X, Y, "conflict", "added"},
      // synced at X
      {X, X, X, "nothing", ""},
      {X, X, Y, "pull", "modified"},
      {X, X, "", "pull", "deleted"},
      {X, Y, X, "push", "modified"},
      {X, "", X, "push", "deleted"},
      {X, Y, Y, "converged", "modified"},
      {X, "", "", "converged", "deleted"},
      {X, Y, Z, "conflict", "modified"},
      {X, Y, "", "conflict", "deleted"},
      {X, "", Y, "conflict", "modified"},
  };
  for (const Row& row : rows) {
    std::string change;
    const std::string got = classify(row, change);
    EXPECT_EQ(got, row.expect) << "base=" << row.base.substr(0, 1) << " local=" << row.local.substr(0, 1)
                               << " remote=" << row.remote.substr(0, 1);
    EXPECT_EQ(change, row.change) << "base=" << row.base.substr(0, 1) << " local=" << row.local.substr(0, 1)
                                  << " remote=" << row.remote.substr(0, 1);
  }
}

TEST(ThreeWay, ConflictsNameBothSidesChanges) {
  WorkspaceFile file{"f", "", Y, 1, X, false, ""};
  const SyncPlan plan = comparePaths({file}, {}, 1000);
  ASSERT_EQ(plan.conflicts.size(), 1u);
  EXPECT_EQ(plan.conflicts[0].change, Change::Deleted);       // remote deleted it
  EXPECT_EQ(plan.conflicts[0].localChange, Change::Modified);  // local changed it
  EXPECT_EQ(plan.conflicts[0].baseSha, X);
  EXPECT_EQ(plan.conflicts[0].localSha, Y);
  EXPECT_EQ(plan.conflicts[0].remoteSha, "");
}

TEST(ThreeWay, OversizedAndUnsafeRemotePathsAreSkippedWithAReason) {
  RemoteTree remote;
  remote["big.bin"] = RemoteEntry{X, 5000};
  remote["ok.txt"] = RemoteEntry{Y, 10};
  remote["a\\b"] = RemoteEntry{Z, 10};
  // A synced copy of big.bin stays: a skipped path is neither pulled nor deleted.
  WorkspaceFile big{"big.bin", "", Z, 10, Z, false, ""};
  const SyncPlan plan = comparePaths({big}, remote, 1000);
  ASSERT_EQ(plan.skipped.size(), 2u);
  EXPECT_EQ(plan.skipped[0].path, "a\\b");
  EXPECT_NE(plan.skipped[0].reason.find("backslash"), std::string::npos);
  EXPECT_EQ(plan.skipped[1].path, "big.bin");
  EXPECT_EQ(plan.skipped[1].size, 5000);
  EXPECT_NE(plan.skipped[1].reason.find("sync.max_file_bytes"), std::string::npos);
  ASSERT_EQ(plan.toPull.size(), 1u);
  EXPECT_EQ(plan.toPull[0].path, "ok.txt");
  EXPECT_TRUE(plan.toPush.empty());
  EXPECT_TRUE(plan.conflicts.empty());
}

TEST(ThreeWay, AnUnchangedHeadMeansTheRemoteIsAtEveryBase) {
  std::vector<WorkspaceFile> local = {{"a", "", X, 1, X, false, ""},
                                      {"b", "", Y, 1, X, false, ""},
                                      {"c", "", "", 0, X, true, ""},
                                      {"new", "", Z, 1, "", false, ""}};
  const SyncPlan plan = comparePaths(local, remoteAtBase(local), 1000);
  EXPECT_TRUE(plan.toPull.empty());
  EXPECT_TRUE(plan.conflicts.empty());
  ASSERT_EQ(plan.toPush.size(), 3u);
  EXPECT_EQ(plan.toPush[0].path, "b");
  EXPECT_EQ(plan.toPush[1].path, "c");
  EXPECT_EQ(plan.toPush[1].change, Change::Deleted);
  EXPECT_EQ(plan.toPush[2].path, "new");
  EXPECT_EQ(plan.toPush[2].change, Change::Added);
}

}  // namespace
}  // namespace sb::sync
