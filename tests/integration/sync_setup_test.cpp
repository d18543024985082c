// The sync link's set-up routes end to end: the real binary, the github
// plugin and the GitHub fake (validate, repositories over three Link pages,
// branches, commits), every provider refusal as its problem (revoked token,
// no access, forbidden, both rate limits with Retry-After, a 502), the roles,
// a plugin built against ABI 1.3 without the hooks (422 not-supported, its
// tree still previewed), and no token in any reply or log.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

#include "github_git_data.hpp"
#include "project_setup.hpp"
#include "server_process.hpp"

using namespace sbtest;

namespace {

constexpr const char* kToken = "ghp_setup_s3cret";

class SyncSetupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db.ok()) << "test database unavailable";
    github = std::make_unique<sb::fakes::FakeServer>(sb::fakes::makeGithubFake());
    github->start();
    const std::string legacy = "    - name: abi-1-3-sync\n      path: " + testPluginDir() + "/abi_1_3_sync.so\n";
    path = writeConfig(dir, db, fakePluginEntry("github", github->baseUrl()) + legacy, secretsSection(dir));
    server = std::make_unique<ServerProcess>(path);
    ASSERT_TRUE(server->ok()) << server->output();
    admin = server->adminToken();
  }

  std::string linkGithub(const std::string& token = kToken, const std::string& branch = "main") {
    return linkedProject(*server, admin,
                         {{"github", R"({"settings":{"repository":"acme/web","branch":")" + branch +
                                         R"("},"secrets":{"token":")" + token + R"("}})"}});
  }

  HttpResponse call(const std::string& method, const std::string& id, const std::string& what,
                    const std::string& token = {}) {
    auto reply = server->request(method, "/api/v1/projects/" + id + "/sync/" + what, token.empty() ? admin : token);
    EXPECT_EQ(reply.body.find(kToken), std::string::npos) << reply.body;
    return reply;
  }

  static void expectProblem(const HttpResponse& reply, int status, const std::string& type) {
    EXPECT_EQ(reply.status, status) << reply.body;
    EXPECT_EQ(reply.header("content-type"), "application/problem+json") << reply.body;
    if (reply.status == status) {
      EXPECT_EQ(parseObject(reply.body)->getValue<std::string>("type"), "urn:switchboard:problem:" + type);
    }
  }

  ScratchDirectory dir;
  ScratchDatabase db;
  std::unique_ptr<sb::fakes::FakeServer> github;
  std::string path;
  std::unique_ptr<ServerProcess> server;
  std::string admin;
};

TEST_F(SyncSetupTest, ValidateBranchesAndCommitsOfTheLinkedRepository) {
  const std::string id = linkGithub(kToken, "main");
  auto& git = sb::fakes::githubGitData(github->provider());
  git.commit("acme/web", "main", {{"README.md", std::string("hello\n")}}, "Add the readme\n\nwith a body");
  const std::string head = git.commit("acme/web", "main", {{"docs/a.md", std::string("a\n")}}, "Add docs");

  auto validated = call("POST", id, "validate");
  ASSERT_EQ(validated.status, 200) << validated.body;
  auto check = parseObject(validated.body);
  EXPECT_EQ(check->getValue<std::string>("resource"), "acme/web");
  EXPECT_EQ(check->getValue<std::string>("branch"), "main");
  EXPECT_EQ(check->getValue<std::string>("defaultBranch"), "main");
  EXPECT_TRUE(check->getValue<bool>("private"));
  EXPECT_TRUE(check->getValue<bool>("canRead"));
  EXPECT_TRUE(check->getValue<bool>("canWrite"));
  for (const auto& request : github->requests()) {
    EXPECT_EQ(request.header("authorization"), std::string("Bearer ") + kToken);
  }

  auto branches = call("GET", id, "branches");
  ASSERT_EQ(branches.status, 200) << branches.body;
  auto items = parseObject(branches.body)->getArray("items");
  ASSERT_EQ(items->size(), 2u);
  EXPECT_EQ(items->getObject(0)->getValue<std::string>("name"), "develop");
  EXPECT_EQ(items->getObject(1)->getValue<std::string>("name"), "main");
  EXPECT_EQ(items->getObject(1)->getValue<std::string>("head"), head);
  EXPECT_TRUE(items->getObject(1)->getValue<bool>("protected"));
  EXPECT_FALSE(parseObject(branches.body)->getValue<bool>("truncated"));

  auto commits = call("GET", id, "commits?limit=2");
  ASSERT_EQ(commits.status, 200) << commits.body;
  auto listed = parseObject(commits.body);
  EXPECT_EQ(listed->getValue<std::string>("branch"), "main");
  auto entries = listed->getArray("items");
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ(entries->getObject(0)->getValue<std::string>("sha"), head);
  EXPECT_EQ(entries->getObject(0)->getValue<std::string>("message"), "Add docs");
  EXPECT_EQ(entries->getObject(1)->getValue<std::string>("message"), "Add the readme");
  bool askedForTwoOnMain = false;
  for (const auto& request : github->requests()) {
    if (request.path == "/repos/acme/web/commits") {
      askedForTwoOnMain = request.query.at("per_page") == "2" && request.query.at("sha") == "main";
    }
  }
  EXPECT_TRUE(askedForTwoOnMain);

  EXPECT_EQ(call("GET", id, "commits?limit=0").status, 400);
  EXPECT_EQ(call("GET", id, "commits?page=2").status, 400);
  expectProblem(call("GET", id, "commits?limit=500"), 422, "invalid-link");  // GitHub's plugin caps it at 100
  EXPECT_EQ(call("POST", id, "validate?limit=1").status, 400);
}

TEST_F(SyncSetupTest, RepositoriesFollowGithubsLinkPages) {
  const std::string id = linkGithub();
  github->setMode("many_repositories");
  auto listed = call("GET", id, "repositories");
  ASSERT_EQ(listed.status, 200) << listed.body;
  auto reply = parseObject(listed.body);
  auto items = reply->getArray("items");
  ASSERT_EQ(items->size(), 252u);
  EXPECT_FALSE(reply->getValue<bool>("truncated"));
  std::size_t pages = 0;
  for (const auto& request : github->requests()) pages += request.path == "/user/repos" ? 1 : 0;
  EXPECT_EQ(pages, 3u) << "three pages of 100";
  EXPECT_EQ(items->getObject(251)->getValue<std::string>("name"), "acme/archive-250");

  auto limited = call("GET", id, "repositories?limit=150");
  ASSERT_EQ(limited.status, 200) << limited.body;
  EXPECT_EQ(parseObject(limited.body)->getArray("items")->size(), 150u);
  EXPECT_TRUE(parseObject(limited.body)->getValue<bool>("truncated"));

  // A token that may not see the private acme/web does not list it.
  github->setMode("ok");
  const std::string other = linkGithub("no-access");
  auto hidden = call("GET", other, "repositories");
  ASSERT_EQ(hidden.status, 200) << hidden.body;
  EXPECT_EQ(hidden.body.find("acme/web"), std::string::npos) << hidden.body;
}

TEST_F(SyncSetupTest, ProviderRefusalsAreClearProblems) {
  expectProblem(call("POST", linkGithub("revoked"), "validate"), 422, "provider-credentials-rejected");
  expectProblem(call("POST", linkGithub("no-access"), "validate"), 422, "provider-no-access");
  expectProblem(call("GET", linkGithub("forbidden"), "branches"), 422, "provider-no-access");
  auto readOnly = call("POST", linkGithub("read-only"), "validate");
  ASSERT_EQ(readOnly.status, 200) << readOnly.body;
  EXPECT_FALSE(parseObject(readOnly.body)->getValue<bool>("canWrite"));
  expectProblem(call("POST", linkGithub(kToken, "gone"), "validate"), 422, "provider-no-access");

  const std::string id = linkGithub();
  github->setMode("secondary_rate_limited");
  auto limited = call("GET", id, "commits");
  expectProblem(limited, 429, "provider-rate-limited");
  EXPECT_EQ(limited.header("retry-after"), "30");
  github->setMode("rate_limited");
  auto primary = call("GET", id, "branches");
  expectProblem(primary, 429, "provider-rate-limited");
  EXPECT_FALSE(primary.header("retry-after").empty());
  github->setMode("server_error");
  expectProblem(call("GET", id, "repositories"), 502, "provider-unavailable");
  github->setMode("malformed");
  expectProblem(call("POST", id, "validate"), 502, "provider-unavailable");

  server->stop();
  for (const char* log : {"server.log", "access.log"}) {
    EXPECT_EQ(fileText(dir.file(log)).find(kToken), std::string::npos) << log;
  }
  EXPECT_EQ(server->output().find(kToken), std::string::npos);
}

TEST_F(SyncSetupTest, RolesAndAProjectWithoutASyncLink) {
  const std::string id = linkGithub();
  const std::string viewer = memberToken(path, id, "vera", "viewer");
  const std::string stranger = createToken(path, "stan");
  EXPECT_EQ(call("POST", id, "validate", viewer).status, 200);
  EXPECT_EQ(call("GET", id, "commits", viewer).status, 200);
  EXPECT_EQ(call("GET", id, "branches", viewer).status, 200);
  expectProblem(call("GET", id, "repositories", viewer), 403, "forbidden");
  expectProblem(call("GET", id, "branches", stranger), 404, "not-found");

  const std::string bare = linkedProject(*server, admin, {});
  expectProblem(call("POST", bare, "validate"), 409, "conflict");
}

TEST_F(SyncSetupTest, AnAbi13SyncSourceWithoutTheHooksIsNotSupported) {
  const std::string id =
      linkedProject(*server, admin, {{"legacy-sync", R"({"settings":{"repository":"anything"}})"}});
  for (const auto& [method, what] : std::vector<std::pair<std::string, std::string>>{
           {"POST", "validate"}, {"GET", "repositories"}, {"GET", "branches"}, {"GET", "commits"}}) {
    auto reply = call(method, id, what);
    expectProblem(reply, 422, "not-supported");
    EXPECT_NE(reply.body.find("ABI 1.3"), std::string::npos) << reply.body;
  }
  auto preview = server->request("GET", "/api/v1/projects/" + id + "/sync", admin);
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_EQ(parseObject(preview.body)->getValue<std::string>("remoteHead"), "legacy-head");
}

}  // namespace
