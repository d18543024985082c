#include <algorithm>

#include <gtest/gtest.h>

#include "test_database.hpp"

namespace sb::testing {
namespace {

class ProjectsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    for (const char* name : {"olivia", "ed", "vic"}) ASSERT_TRUE(store_->users().ensureUser(name, false).isOk());
  }

  Project create(const std::string& name, const std::string& owner = "olivia") {
    auto project = store_->projects().createProject(name, owner);
    EXPECT_TRUE(project.isOk()) << project.status().message();
    return project.isOk() ? project.value() : Project{};
  }

  std::optional<Role> roleOf(const std::string& projectId, const std::string& user) {
    auto member = store_->projects().getMember(projectId, user);
    EXPECT_TRUE(member.isOk()) << member.status().message();
    if (!member.isOk() || !member->has_value()) return std::nullopt;
    return (*member)->role;
  }
};

TEST_F(ProjectsTest, CreateMakesTheCreatorOwner) {
  Project project = create("Website");
  EXPECT_EQ(project.id.rfind("prj_", 0), 0u);
  EXPECT_EQ(project.name, "Website");
  EXPECT_EQ(roleOf(project.id, "olivia"), Role::Owner);

  auto fetched = store_->projects().getProject(project.id);
  ASSERT_TRUE(fetched.isOk());
  ASSERT_TRUE(fetched->has_value());
  EXPECT_EQ((*fetched)->name, "Website");
  EXPECT_EQ((*fetched)->createdAt, project.createdAt);

  auto members = store_->projects().listMembers(project.id);
  ASSERT_TRUE(members.isOk());
  ASSERT_EQ(members->size(), 1u);
  EXPECT_EQ((*members)[0].userName, "olivia");
  EXPECT_EQ((*members)[0].role, Role::Owner);
}

TEST_F(ProjectsTest, CreateRejectsBadInput) {
  auto noOwner = store_->projects().createProject("X", "ghost");
  EXPECT_EQ(noOwner.status().code(), ErrorCode::NotFound);
  EXPECT_NE(noOwner.status().message().find("ghost"), std::string::npos);
  EXPECT_EQ(store_->projects().createProject("", "olivia").status().code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(store_->projects().createProject("   ", "olivia").status().code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(store_->projects().createProject(std::string(201, 'p'), "olivia").status().code(),
            ErrorCode::InvalidArgument);
  EXPECT_TRUE(store_->projects().createProject(std::string(200, 'p'), "olivia").isOk());
  EXPECT_EQ(store_->projects().listProjects()->size(), 1u) << "a failed create must not leave a project behind";
}

TEST_F(ProjectsTest, ListsAllAndPerUser) {
  Project a = create("A");
  Project b = create("B", "ed");
  Project c = create("C");
  auto all = store_->projects().listProjects();
  ASSERT_TRUE(all.isOk());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, a.id);

  ASSERT_TRUE(store_->projects().putMember(b.id, "olivia", Role::Viewer).isOk());
  auto olivias = store_->projects().listProjectsForUser("olivia");
  ASSERT_TRUE(olivias.isOk());
  std::vector<std::string> ids;
  for (const auto& p : *olivias) ids.push_back(p.id);
  std::sort(ids.begin(), ids.end());
  std::vector<std::string> expected{a.id, b.id, c.id};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(ids, expected);

  auto eds = store_->projects().listProjectsForUser("ed");
  ASSERT_TRUE(eds.isOk());
  ASSERT_EQ(eds->size(), 1u);
  EXPECT_EQ((*eds)[0].id, b.id);
  EXPECT_TRUE(store_->projects().listProjectsForUser("vic")->empty());
  EXPECT_TRUE(store_->projects().listProjectsForUser("ghost")->empty());

  auto missing = store_->projects().getProject("prj_missing");
  ASSERT_TRUE(missing.isOk());
  EXPECT_FALSE(missing->has_value());
}

TEST_F(ProjectsTest, PutChangeAndDeleteMembers) {
  Project project = create("Members");
  auto added = store_->projects().putMember(project.id, "ed", Role::Editor);
  ASSERT_TRUE(added.isOk()) << added.status().message();
  EXPECT_EQ(added->role, Role::Editor);
  EXPECT_EQ(added->userName, "ed");
  EXPECT_EQ(roleOf(project.id, "ed"), Role::Editor);

  auto changed = store_->projects().putMember(project.id, "ed", Role::Admin);
  ASSERT_TRUE(changed.isOk());
  EXPECT_EQ(changed->createdAt, added->createdAt) << "changing a role keeps the membership";
  EXPECT_EQ(roleOf(project.id, "ed"), Role::Admin);
  EXPECT_EQ(store_->projects().listMembers(project.id)->size(), 2u);

  ASSERT_TRUE(store_->projects().deleteMember(project.id, "ed").isOk());
  EXPECT_EQ(roleOf(project.id, "ed"), std::nullopt);
  auto again = store_->projects().deleteMember(project.id, "ed");
  EXPECT_EQ(again.code(), ErrorCode::NotFound);
}

TEST_F(ProjectsTest, NeverLeavesAProjectWithoutOwner) {
  Project project = create("Owned");
  auto demote = store_->projects().putMember(project.id, "olivia", Role::Admin);
  EXPECT_EQ(demote.status().code(), ErrorCode::Conflict) << demote.status().message();
  EXPECT_EQ(store_->projects().deleteMember(project.id, "olivia").code(), ErrorCode::Conflict);
  EXPECT_EQ(roleOf(project.id, "olivia"), Role::Owner);

  ASSERT_TRUE(store_->projects().putMember(project.id, "ed", Role::Owner).isOk());
  ASSERT_TRUE(store_->projects().putMember(project.id, "olivia", Role::Viewer).isOk());
  EXPECT_EQ(store_->projects().deleteMember(project.id, "ed").code(), ErrorCode::Conflict);
  EXPECT_EQ(store_->projects().putMember(project.id, "ed", Role::Editor).status().code(), ErrorCode::Conflict);
  ASSERT_TRUE(store_->projects().putMember(project.id, "ed", Role::Owner).isOk()) << "owner -> owner is fine";
  ASSERT_TRUE(store_->projects().putMember(project.id, "vic", Role::Owner).isOk());
  EXPECT_TRUE(store_->projects().deleteMember(project.id, "ed").isOk());
  EXPECT_EQ(roleOf(project.id, "vic"), Role::Owner);
}

TEST_F(ProjectsTest, UnknownUserOrProjectIsNotFoundNamingWhich) {
  Project project = create("Known");
  auto noUser = store_->projects().putMember(project.id, "ghost", Role::Viewer);
  EXPECT_EQ(noUser.status().code(), ErrorCode::NotFound);
  EXPECT_EQ(noUser.status().field(), "user");
  EXPECT_NE(noUser.status().message().find("ghost"), std::string::npos);

  auto noProject = store_->projects().putMember("prj_nope", "ed", Role::Viewer);
  EXPECT_EQ(noProject.status().code(), ErrorCode::NotFound);
  EXPECT_EQ(noProject.status().field(), "projectId");
  EXPECT_NE(noProject.status().message().find("prj_nope"), std::string::npos);

  EXPECT_EQ(store_->projects().deleteMember("prj_nope", "ed").code(), ErrorCode::NotFound);
  EXPECT_EQ(store_->projects().deleteMember(project.id, "ghost").code(), ErrorCode::NotFound);
  EXPECT_EQ(store_->projects().listMembers("prj_nope").status().code(), ErrorCode::NotFound);
  auto none = store_->projects().getMember(project.id, "ghost");
  ASSERT_TRUE(none.isOk());
  EXPECT_FALSE(none->has_value());
}

}  // namespace
}  // namespace sb::testing
