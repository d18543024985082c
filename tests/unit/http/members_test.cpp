#include <gtest/gtest.h>

#include "test_server.hpp"

namespace sb::testing {
namespace {

// olivia owns, adam admins, ed edits, vic views.
class Members : public ::testing::Test {
 protected:
  void SetUp() override {
    project_ = testServer().createProject(
        "olivia", {{"adam", Role::Admin}, {"ed", Role::Editor}, {"vic", Role::Viewer}});
  }
  std::string member(const std::string& user) const {
    return "/api/v1/projects/" + project_ + "/members/" + user;
  }
  HttpResult put(const std::string& caller, const std::string& user, const std::string& role) {
    return testServer().send("PUT", member(user), caller, R"({"role":")" + role + "\"}");
  }
  HttpResult remove(const std::string& caller, const std::string& user) {
    return testServer().send("DELETE", member(user), caller, "");
  }
  std::string roleOf(const std::string& user) {
    const HttpResult result = testServer().get(member(user), "olivia");
    if (result.status != 200) return "status " + std::to_string(result.status);
    return result.json()->getValue<std::string>("role");
  }
  std::string project_;
};

TEST_F(Members, AnyMemberListsAndReadsMembers) {
  const HttpResult list = testServer().get("/api/v1/projects/" + project_ + "/members", "vic");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json()->getArray("items")->size(), 4u);
  const HttpResult one = testServer().get(member("ed"), "vic");
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(one.json()->getValue<std::string>("user"), "ed");
  EXPECT_EQ(one.json()->getValue<std::string>("role"), "editor");
  EXPECT_FALSE(one.json()->getValue<std::string>("createdAt").empty());
  const HttpResult missing = testServer().get(member("nora"), "vic");
  expectProblem(missing, 404, member("nora"), "user");
  EXPECT_NE(missing.json()->getValue<std::string>("detail").find("nora"), std::string::npos);
}

TEST_F(Members, AdminAddsWith201AndChangesWith200) {
  const HttpResult added = put("adam", "newbie", "editor");
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(added.json()->getValue<std::string>("user"), "newbie");
  EXPECT_EQ(added.json()->getValue<std::string>("role"), "editor");
  const HttpResult changed = put("adam", "newbie", "viewer");
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(roleOf("newbie"), "viewer");
}

TEST_F(Members, ViewersAndEditorsGet403NamingTheRole) {
  for (const std::string caller : {"vic", "ed"}) {
    const HttpResult result = put(caller, "newbie", "viewer");
    expectProblem(result, 403, member("newbie"));
    EXPECT_NE(result.json()->getValue<std::string>("detail").find("admin"), std::string::npos);
    expectProblem(remove(caller, "adam"), 403, member("adam"));
  }
  EXPECT_EQ(roleOf("newbie"), "status 404");
}

TEST_F(Members, AdminCannotGrantOrTouchOwner) {
  const HttpResult grant = put("adam", "ed", "owner");
  expectProblem(grant, 403, member("ed"));
  EXPECT_NE(grant.json()->getValue<std::string>("detail").find("owner"), std::string::npos);
  expectProblem(put("adam", "olivia", "viewer"), 403, member("olivia"));
  expectProblem(remove("adam", "olivia"), 403, member("olivia"));
  EXPECT_EQ(roleOf("olivia"), "owner");
  EXPECT_EQ(roleOf("ed"), "editor");
}

TEST_F(Members, OwnerManagesOwnersAndGlobalAdminActsAsOwner) {
  ASSERT_EQ(put("olivia", "ed", "owner").status, 200);
  EXPECT_EQ(roleOf("ed"), "owner");
  ASSERT_EQ(put("olivia", "ed", "admin").status, 200);
  EXPECT_EQ(roleOf("ed"), "admin");
  ASSERT_EQ(put("root", "oscar", "owner").status, 201);
  ASSERT_EQ(remove("root", "oscar").status, 204);
  ASSERT_EQ(remove("olivia", "adam").status, 204);
  EXPECT_EQ(roleOf("adam"), "status 404");
}

TEST_F(Members, LastOwnerCannotLeaveOrBeDemoted) {
  const HttpResult leave = remove("olivia", "olivia");
  expectProblem(leave, 409, member("olivia"));
  expectProblem(put("olivia", "olivia", "admin"), 409, member("olivia"));
  EXPECT_EQ(roleOf("olivia"), "owner");
  // With a second owner the first may leave.
  ASSERT_EQ(put("olivia", "oscar", "owner").status, 201);
  const HttpResult left = remove("olivia", "olivia");
  EXPECT_EQ(left.status, 204);
  EXPECT_TRUE(left.body.empty());
  EXPECT_EQ(left.header("Content-Length"), "");
}

TEST_F(Members, AnyMemberMayLeave) {
  EXPECT_EQ(remove("vic", "vic").status, 204);
  // ...after which the project is invisible to them.
  expectProblem(testServer().get("/api/v1/projects/" + project_, "vic"), 404,
                "/api/v1/projects/" + project_);
}

TEST_F(Members, UnknownUsersAndNonMembersGet404NamingTheUser) {
  const HttpResult unknown = put("olivia", "ghost", "viewer");
  expectProblem(unknown, 404, member("ghost"), "user");
  EXPECT_NE(unknown.json()->getValue<std::string>("detail").find("ghost"), std::string::npos);
  expectProblem(put("olivia", "bad%20name", "viewer"), 404, member("bad%20name"), "user");
  expectProblem(remove("olivia", "nora"), 404, member("nora"), "user");
  // Outsiders learn nothing: 404 for the project, not 403.
  expectProblem(put("nora", "nora", "owner"), 404, member("nora"));
  expectProblem(remove("nora", "vic"), 404, member("vic"));
}

TEST_F(Members, RejectsBadBodies) {
  auto putBody = [&](const std::string& body) {
    return testServer().send("PUT", member("newbie"), "olivia", body);
  };
  expectProblem(putBody(R"({"role":"superuser"})"), 400, member("newbie"), "role");
  expectProblem(putBody(R"({"role":"Owner"})"), 400, member("newbie"), "role");
  expectProblem(putBody(R"({"role":1})"), 400, member("newbie"), "role");
  expectProblem(putBody(R"({})"), 400, member("newbie"), "role");
  expectProblem(putBody(R"({"role":"viewer","since":"now"})"), 400, member("newbie"), "since");
  expectProblem(putBody("not json"), 400, member("newbie"));
  expectProblem(putBody(""), 400, member("newbie"));
  EXPECT_EQ(roleOf("newbie"), "status 404");
}

}  // namespace
}  // namespace sb::testing
