#include <gtest/gtest.h>

#include <algorithm>

#include "test_server.hpp"

namespace sb::testing {
namespace {

bool contains(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

TEST(Projects, CreateMakesCallerOwnerAndReturnsLocation) {
  const HttpResult created =
      testServer().send("POST", "/api/v1/projects", "nora", R"({"name":"  Apollo  "})");
  ASSERT_EQ(created.status, 201) << created.body;
  const auto project = created.json();
  const std::string id = project->getValue<std::string>("id");
  EXPECT_FALSE(id.empty());
  EXPECT_EQ(project->getValue<std::string>("name"), "Apollo");
  EXPECT_EQ(project->getValue<std::string>("role"), "owner");
  EXPECT_FALSE(project->getValue<std::string>("createdAt").empty());
  EXPECT_EQ(created.header("Location"), "/api/v1/projects/" + id);

  const HttpResult fetched = testServer().get(created.header("Location"), "nora");
  ASSERT_EQ(fetched.status, 200) << fetched.body;
  EXPECT_EQ(fetched.json()->getValue<std::string>("name"), "Apollo");
  const HttpResult members = testServer().get("/api/v1/projects/" + id + "/members", "nora");
  EXPECT_EQ(itemValues(members, "user"), std::vector<std::string>{"nora"});
  EXPECT_EQ(itemValues(members, "role"), std::vector<std::string>{"owner"});
}

TEST(Projects, ListShowsOwnProjectsWithRoleAndAllForGlobalAdmin) {
  const std::string mine = testServer().createProject("olivia", {{"vic", Role::Viewer}});
  const std::string other = testServer().createProject("oscar");

  const HttpResult vic = testServer().get("/api/v1/projects", "vic");
  ASSERT_EQ(vic.status, 200) << vic.body;
  const auto vicIds = itemValues(vic, "id");
  EXPECT_TRUE(contains(vicIds, mine));
  EXPECT_FALSE(contains(vicIds, other));
  const auto items = vic.json()->getArray("items");
  for (std::size_t i = 0; i < items->size(); ++i) {
    const auto item = items->getObject(static_cast<unsigned>(i));
    if (item->getValue<std::string>("id") == mine) {
      EXPECT_EQ(item->getValue<std::string>("role"), "viewer");
      EXPECT_FALSE(item->getValue<std::string>("createdAt").empty());
    }
  }

  const HttpResult root = testServer().get("/api/v1/projects", "root");
  const auto rootIds = itemValues(root, "id");
  EXPECT_TRUE(contains(rootIds, mine));
  EXPECT_TRUE(contains(rootIds, other));
  for (const auto& role : itemValues(root, "role")) EXPECT_EQ(role, "owner");
}

TEST(Projects, NonMembersGet404LikeForAMissingProject) {
  const std::string id = testServer().createProject("olivia");
  const std::string path = "/api/v1/projects/" + id;
  const HttpResult hidden = testServer().get(path, "nora");
  expectProblem(hidden, 404, path);
  const HttpResult missing = testServer().get("/api/v1/projects/prj_missing", "nora");
  expectProblem(missing, 404, "/api/v1/projects/prj_missing");
  expectProblem(testServer().get(path + "/members", "nora"), 404, path + "/members");
  expectProblem(testServer().get(path + "/members/olivia", "nora"), 404, path + "/members/olivia");
  // A global administrator sees every project as owner.
  const HttpResult root = testServer().get(path, "root");
  ASSERT_EQ(root.status, 200) << root.body;
  EXPECT_EQ(root.json()->getValue<std::string>("role"), "owner");
}

TEST(Projects, RejectsBadBodiesNamingTheField) {
  const std::string path = "/api/v1/projects";
  auto post = [&](const std::string& body) { return testServer().send("POST", path, "nora", body); };
  expectProblem(post(R"({"name":)"), 400, path);
  expectProblem(post(R"(["name"])"), 400, path);
  expectProblem(post(R"({"name":42})"), 400, path, "name");
  expectProblem(post(R"({"name":null})"), 400, path, "name");
  expectProblem(post(R"({})"), 400, path, "name");
  expectProblem(post(R"({"name":"ok","owner":"root"})"), 400, path, "owner");
  expectProblem(post(R"({"name":"   "})"), 400, path, "name");
  expectProblem(post(R"({"name":"a\nb"})"), 400, path, "name");
  expectProblem(post("{\"name\":\"" + std::string(201, 'x') + "\"}"), 400, path, "name");
  EXPECT_EQ(post("{\"name\":\"" + std::string(200, 'x') + "\"}").status, 201);
  // 200 characters of two-byte UTF-8 are still 200 characters.
  std::string umlauts;
  for (int i = 0; i < 200; ++i) umlauts += "\xC3\xBC";
  EXPECT_EQ(post("{\"name\":\"" + umlauts + "\"}").status, 201);
  expectProblem(post(""), 400, path);
}

TEST(Projects, RejectsNonJsonContentTypeWith415) {
  HttpCall call;
  call.method = "POST";
  call.path = "/api/v1/projects";
  call.token = testServer().token("nora");
  call.body = R"({"name":"x"})";
  call.contentType = "text/plain";
  expectProblem(testServer().call(call), 415, "/api/v1/projects", "Content-Type");
  call.contentType = "application/json; charset=utf-8";
  EXPECT_EQ(testServer().call(call).status, 201);
}

}  // namespace
}  // namespace sb::testing
