// Workspace files' persistence on both backends: any bytes round-trip,
// If-Match / If-None-Match decided inside the write, tombstones for synced
// files only, a sync applied as one unit, and one active sync job per
// project (a lapsed lease frees the project).
#include <gtest/gtest.h>

#include "test_database.hpp"

namespace sb::testing {
namespace {

class WorkspaceStoreTest : public StoreWithProjectTest {
 protected:
  WorkspaceRepository& files() { return store_->workspace(); }
  static FileCondition ifMatch(std::vector<std::string> tags) {
    FileCondition condition;
    condition.ifMatch = std::move(tags);
    return condition;
  }
  SyncJobRecord job(const std::string& id, std::int64_t leaseExpiresMs) {
    SyncJobRecord out;
    out.id = id;
    out.projectId = projectId_;
    out.userId = userId_;
    out.leaseOwner = "instance-a";
    out.leaseExpiresMs = leaseExpiresMs;
    return out;
  }
};

TEST_F(WorkspaceStoreTest, AnyBytesRoundTrip) {
  std::string binary;
  for (int i = 0; i < 256; ++i) binary.push_back(static_cast<char>(i));
  binary += std::string("\0\0\xff", 3);
  auto written = files().put(projectId_, "bin/all.bytes", binary, "sha-bin", {});
  ASSERT_TRUE(written.isOk()) << written.status().message();
  EXPECT_EQ(*written, FileWrite::Created);
  auto read = files().get(projectId_, "bin/all.bytes");
  ASSERT_TRUE(read.isOk()) << read.status().message();
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ((*read)->content, binary);
  EXPECT_EQ((*read)->size, static_cast<std::int64_t>(binary.size()));
  EXPECT_EQ((*read)->blobSha, "sha-bin");
  EXPECT_EQ((*read)->baseSha, "");
}

TEST_F(WorkspaceStoreTest, PreconditionsAreCheckedInTheWrite) {
  ASSERT_EQ(*files().put(projectId_, "a.txt", "one", "sha-1", {}), FileWrite::Created);
  EXPECT_EQ(*files().put(projectId_, "a.txt", "two", "sha-2", ifMatch({"sha-other"})), FileWrite::PreconditionFailed);
  EXPECT_EQ(*files().put(projectId_, "a.txt", "two", "sha-2", ifMatch({"sha-other", "sha-1"})), FileWrite::Replaced);
  EXPECT_EQ(*files().put(projectId_, "a.txt", "three", "sha-3", ifMatch({"*"})), FileWrite::Replaced);
  FileCondition createOnly;
  createOnly.mustNotExist = true;
  EXPECT_EQ(*files().put(projectId_, "a.txt", "x", "sha-x", createOnly), FileWrite::PreconditionFailed);
  EXPECT_EQ(*files().put(projectId_, "b.txt", "x", "sha-x", createOnly), FileWrite::Created);
  EXPECT_EQ(*files().put(projectId_, "c.txt", "x", "sha-x", ifMatch({"*"})), FileWrite::PreconditionFailed)
      << "If-Match: * needs a current file";
  EXPECT_EQ((*files().get(projectId_, "a.txt"))->content, "three");
  EXPECT_EQ(*files().remove(projectId_, "a.txt", ifMatch({"sha-1"})), FileWrite::PreconditionFailed);
  EXPECT_EQ(*files().remove(projectId_, "missing.txt", {}), FileWrite::Missing);
  EXPECT_EQ(*files().remove(projectId_, "missing.txt", ifMatch({"sha-1"})), FileWrite::PreconditionFailed);
}

TEST_F(WorkspaceStoreTest, DeletingASyncedFileLeavesATombstoneUntilTheSyncAppliesIt) {
  ASSERT_TRUE(files().applySynced(projectId_, {{"synced.txt", std::string("remote"), "sha-r"}}).isOk());
  ASSERT_EQ(*files().put(projectId_, "local.txt", "new", "sha-n", {}), FileWrite::Created);
  EXPECT_EQ(*files().remove(projectId_, "synced.txt", {}), FileWrite::Removed);
  EXPECT_EQ(*files().remove(projectId_, "local.txt", {}), FileWrite::Removed);
  auto listed = files().list(projectId_);
  ASSERT_TRUE(listed.isOk());
  ASSERT_EQ(listed->size(), 1u) << "a never-synced file just goes";
  EXPECT_EQ((*listed)[0].path, "synced.txt");
  EXPECT_TRUE((*listed)[0].deleted);
  EXPECT_EQ((*listed)[0].baseSha, "sha-r");
  EXPECT_EQ((*listed)[0].blobSha, "");
  EXPECT_EQ(*files().remove(projectId_, "synced.txt", {}), FileWrite::Missing) << "a tombstone is no file";
  // Writing it again revives the row and keeps the base.
  EXPECT_EQ(*files().put(projectId_, "synced.txt", "back", "sha-b", {}), FileWrite::Created);
  EXPECT_EQ((*files().get(projectId_, "synced.txt"))->baseSha, "sha-r");
  // The push of a delete removes the row.
  ASSERT_TRUE(files().remove(projectId_, "synced.txt", {}).isOk());
  ASSERT_TRUE(files().applySynced(projectId_, {{"synced.txt", std::nullopt, ""}}).isOk());
  EXPECT_TRUE(files().list(projectId_)->empty());
}

TEST_F(WorkspaceStoreTest, ASyncIsAppliedInOneUnitOfWork) {
  ASSERT_EQ(*files().put(projectId_, "pushed.txt", "mine", "sha-mine", {}), FileWrite::Created);
  const Status failed = store_->transaction([&](Tx& tx) -> Status {
    if (Status done = tx.workspace().applySynced(projectId_, {{"pulled.txt", std::string("theirs"), "sha-t"},
                                                              {"pushed.txt", std::nullopt, "sha-mine"}});
        !done) {
      return done;
    }
    if (Status head = tx.workspace().setRemoteHead(projectId_, "head-2"); !head) return head;
    return Status(ErrorCode::Conflict, "something went wrong after");
  });
  EXPECT_FALSE(failed.isOk());
  EXPECT_EQ(*files().remoteHead(projectId_), "");
  EXPECT_FALSE(files().get(projectId_, "pulled.txt")->has_value()) << "rolled back";
  EXPECT_EQ((*files().get(projectId_, "pushed.txt"))->baseSha, "");

  const Status committed = store_->transaction([&](Tx& tx) -> Status {
    if (Status done = tx.workspace().applySynced(projectId_, {{"pulled.txt", std::string("theirs"), "sha-t"},
                                                              {"pushed.txt", std::nullopt, "sha-mine"}});
        !done) {
      return done;
    }
    return tx.workspace().setRemoteHead(projectId_, "head-2");
  });
  ASSERT_TRUE(committed.isOk()) << committed.message();
  EXPECT_EQ(*files().remoteHead(projectId_), "head-2");
  EXPECT_EQ((*files().get(projectId_, "pulled.txt"))->content, "theirs");
  EXPECT_EQ((*files().get(projectId_, "pulled.txt"))->baseSha, "sha-t");
  EXPECT_EQ((*files().get(projectId_, "pushed.txt"))->baseSha, "sha-mine");
}

TEST_F(WorkspaceStoreTest, OneActiveSyncJobPerProjectUntilItsLeaseLapses) {
  ASSERT_TRUE(files().insertJob(job("sync_1", 5000), 1000).isOk());
  const Status second = files().insertJob(job("sync_2", 5000), 2000);
  EXPECT_EQ(second.code(), ErrorCode::Conflict);
  EXPECT_NE(second.message().find("sync_1"), std::string::npos) << second.message();
  // The first instance died: its lease lapsed at 5000.
  ASSERT_TRUE(files().insertJob(job("sync_3", 9000), 6000).isOk());
  auto first = files().getJob(projectId_, "sync_1");
  ASSERT_TRUE(first.isOk());
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->state, SyncJobState::Failed);
  EXPECT_NE((*first)->errorJson.find("interrupted"), std::string::npos);
  // A finished job frees the project at once.
  SyncJobRecord done = **files().getJob(projectId_, "sync_3");
  done.state = SyncJobState::Succeeded;
  ASSERT_TRUE(files().updateJob(done).isOk());
  EXPECT_TRUE(files().insertJob(job("sync_4", 9000), 6001).isOk());
  EXPECT_FALSE(files().getJob("other-project", "sync_4")->has_value()) << "jobs are read within their project";
}

}  // namespace
}  // namespace sb::testing
