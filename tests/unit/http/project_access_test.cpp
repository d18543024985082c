#include <gtest/gtest.h>

#include "auth/project_access.hpp"

namespace sb {
namespace {

User user(const std::string& name, bool isAdmin = false) {
  User u;
  u.id = "usr_" + name;
  u.name = name;
  u.isAdmin = isAdmin;
  return u;
}

Membership membership(const std::string& name, Role role) {
  Membership m;
  m.projectId = "p1";
  m.userName = name;
  m.role = role;
  return m;
}

TEST(ProjectAccess, GlobalAdminActsAsOwnerEvenWithoutMembership) {
  EXPECT_EQ(effectiveRole(user("root", true), std::nullopt), Role::Owner);
  EXPECT_EQ(effectiveRole(user("root", true), membership("root", Role::Viewer)), Role::Owner);
}

TEST(ProjectAccess, MemberActsWithMembershipRoleAndNonMemberHasNone) {
  EXPECT_EQ(effectiveRole(user("ed"), membership("ed", Role::Editor)), Role::Editor);
  EXPECT_EQ(effectiveRole(user("nora"), std::nullopt), std::nullopt);
  // Someone else's membership never grants access.
  EXPECT_EQ(effectiveRole(user("nora"), membership("ed", Role::Editor)), std::nullopt);
}

TEST(ProjectAccess, NonMembersGetNotFoundForEverything) {
  EXPECT_EQ(checkCanReadProject(std::nullopt, "p1").code(), ErrorCode::NotFound);
  EXPECT_EQ(checkCanPutMember(std::nullopt, "p1", std::nullopt, Role::Viewer).code(),
            ErrorCode::NotFound);
  EXPECT_EQ(checkCanRemoveMember(std::nullopt, "nora", "p1", "nora", std::nullopt).code(),
            ErrorCode::NotFound);
  EXPECT_TRUE(checkCanReadProject(Role::Viewer, "p1").isOk());
}

TEST(ProjectAccess, PutMemberRoleMatrix) {
  // Viewers and editors may not change members; the message names the role.
  const Status viewer = checkCanPutMember(Role::Viewer, "p1", std::nullopt, Role::Viewer);
  EXPECT_EQ(viewer.code(), ErrorCode::PermissionDenied);
  EXPECT_NE(viewer.message().find("admin"), std::string::npos);
  EXPECT_EQ(checkCanPutMember(Role::Editor, "p1", Role::Viewer, Role::Editor).code(),
            ErrorCode::PermissionDenied);
  // Admins manage non-owners but cannot grant or touch the owner role.
  EXPECT_TRUE(checkCanPutMember(Role::Admin, "p1", std::nullopt, Role::Editor).isOk());
  EXPECT_TRUE(checkCanPutMember(Role::Admin, "p1", Role::Viewer, Role::Admin).isOk());
  const Status grant = checkCanPutMember(Role::Admin, "p1", Role::Viewer, Role::Owner);
  EXPECT_EQ(grant.code(), ErrorCode::PermissionDenied);
  EXPECT_NE(grant.message().find("owner"), std::string::npos);
  EXPECT_EQ(checkCanPutMember(Role::Admin, "p1", Role::Owner, Role::Viewer).code(),
            ErrorCode::PermissionDenied);
  // Owners may do all of it.
  EXPECT_TRUE(checkCanPutMember(Role::Owner, "p1", Role::Owner, Role::Viewer).isOk());
  EXPECT_TRUE(checkCanPutMember(Role::Owner, "p1", std::nullopt, Role::Owner).isOk());
}

TEST(ProjectAccess, RemoveMemberRoleMatrix) {
  EXPECT_EQ(checkCanRemoveMember(Role::Editor, "ed", "p1", "vic", Role::Viewer).code(),
            ErrorCode::PermissionDenied);
  EXPECT_TRUE(checkCanRemoveMember(Role::Admin, "adam", "p1", "vic", Role::Viewer).isOk());
  EXPECT_EQ(checkCanRemoveMember(Role::Admin, "adam", "p1", "olivia", Role::Owner).code(),
            ErrorCode::PermissionDenied);
  EXPECT_TRUE(checkCanRemoveMember(Role::Owner, "olivia", "p1", "oscar", Role::Owner).isOk());
  // Anyone may leave, whatever their role.
  EXPECT_TRUE(checkCanRemoveMember(Role::Viewer, "vic", "p1", "vic", Role::Viewer).isOk());
  EXPECT_TRUE(checkCanRemoveMember(Role::Owner, "olivia", "p1", "olivia", Role::Owner).isOk());
}

}  // namespace
}  // namespace sb
