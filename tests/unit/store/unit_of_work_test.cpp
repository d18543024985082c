// Store::transaction: steps across repositories commit together or not at all.
#include <string>

#include <gtest/gtest.h>

#include "test_database.hpp"

namespace sb::testing {
namespace {

class UnitOfWorkTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(store_->users().ensureUser("olivia", false).isOk());
  }

  std::size_t projectCount() {
    auto all = store_->projects().listProjects();
    EXPECT_TRUE(all.isOk()) << all.status().message();
    return all.isOk() ? all->size() : 0;
  }
};

TEST_F(UnitOfWorkTest, StepsAcrossRepositoriesCommitTogether) {
  auto created = store_->transaction([&](Tx& tx) -> Result<Project> {
    auto user = tx.users().ensureUser("victor", false);
    if (!user) return user.status();
    auto project = tx.projects().createProject("Website", "olivia");
    if (!project) return project.status();
    auto member = tx.projects().putMember(project->id, "victor", Role::Viewer);
    if (!member) return member.status();
    IntegrationLink link;
    link.projectId = project->id;
    link.key = "github";
    auto stored = tx.integrations().putIntegration(link);
    if (!stored) return stored.status();
    // Reads inside the unit of work see its own writes.
    auto again = tx.integrations().getIntegration(project->id, "github");
    if (!again || !again->has_value()) return Status(ErrorCode::Internal, "own write not visible");
    return *project;
  });
  ASSERT_TRUE(created.isOk()) << created.status().message();

  auto member = store_->projects().getMember(created->id, "victor");
  ASSERT_TRUE(member.isOk());
  ASSERT_TRUE(member->has_value());
  EXPECT_EQ((*member)->role, Role::Viewer);
  auto link = store_->integrations().getIntegration(created->id, "github");
  ASSERT_TRUE(link.isOk());
  EXPECT_TRUE(link->has_value());
}

TEST_F(UnitOfWorkTest, AnErrorResultRollsEverythingBack) {
  std::string projectId;
  const Status outcome = store_->transaction([&](Tx& tx) -> Status {
    auto project = tx.projects().createProject("Website", "olivia");
    if (!project) return project.status();
    projectId = project->id;
    // Fails on a rule, not on SQL: the unit of work is still healthy, and
    // the caller decides to give up.
    return tx.projects().putMember(project->id, "nobody", Role::Viewer).status();
  });
  EXPECT_EQ(outcome.code(), ErrorCode::NotFound) << outcome.message();
  EXPECT_FALSE(projectId.empty());
  EXPECT_EQ(projectCount(), 0u);
  auto gone = store_->projects().getProject(projectId);
  ASSERT_TRUE(gone.isOk());
  EXPECT_FALSE(gone->has_value());
}

TEST_F(UnitOfWorkTest, AFailedStatementPoisonsTheRestAndRollsBack) {
  auto first = store_->users().findUser("olivia");
  ASSERT_TRUE(first.isOk() && first->has_value());
  const std::string userId = (*first)->id;
  ASSERT_TRUE(store_->users().createToken(userId, fakeTokenHash("taken"), "first").isOk());

  Status afterFailure;
  const Status outcome = store_->transaction([&](Tx& tx) -> Status {
    auto project = tx.projects().createProject("Website", "olivia");
    if (!project) return project.status();
    // A unique violation: a statement error, which aborts a PostgreSQL transaction.
    auto duplicate = tx.users().createToken(userId, fakeTokenHash("taken"), "second");
    EXPECT_EQ(duplicate.status().code(), ErrorCode::AlreadyExists);
    // Ignoring the failure does not help: nothing else runs, and the whole unit rolls back.
    afterFailure = tx.projects().createProject("Other", "olivia").status();
    return Status::ok();
  });
  EXPECT_EQ(outcome.code(), ErrorCode::AlreadyExists) << outcome.message();
  EXPECT_EQ(afterFailure.code(), ErrorCode::AlreadyExists);
  EXPECT_EQ(projectCount(), 0u);
}

TEST_F(UnitOfWorkTest, RepositoryCallsOutsideAUnitOfWorkStayAtomicOnTheirOwn) {
  // putMember refuses to demote the last owner; its own transaction leaves
  // nothing half-written.
  auto project = store_->projects().createProject("Website", "olivia");
  ASSERT_TRUE(project.isOk());
  auto demoted = store_->projects().putMember(project->id, "olivia", Role::Viewer);
  EXPECT_EQ(demoted.status().code(), ErrorCode::Conflict);
  auto owner = store_->projects().getMember(project->id, "olivia");
  ASSERT_TRUE(owner.isOk() && owner->has_value());
  EXPECT_EQ((*owner)->role, Role::Owner);
}

}  // namespace
}  // namespace sb::testing
