// Finding 1 and 3 of issue 9, end to end: an admin of the project, who may
// change settings but never read secrets, points GitHub's apiBaseUrl at a
// listener of their own. The owner's token must never reach it, and what the
// listener answers (a javascript: link) must never reach the UI. Both
// listeners are on loopback and allowed by the operator's egress policy, so
// only the destination rule stands between the token and the attacker.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "project_setup.hpp"
#include "server_process.hpp"

using namespace sbtest;

namespace {

constexpr const char* kOwnerToken = "ghp_OWNER_ONLY_SECRET_123";

class SecretsDestinationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db.ok()) << "test database unavailable";
    github.start();
    listener.start();
    listener.setMode("hostile_links");
  }

  // Every byte the listener received, headers and bodies alike.
  std::string everythingTheListenerGot() const {
    std::string all;
    for (const auto& request : listener.requests()) {
      all += request.method + " " + request.path + "\n";
      for (const auto& [name, value] : request.headers) all += name + ": " + value + "\n";
      all += request.body + "\n";
    }
    return all;
  }

  ScratchDirectory dir;
  ScratchDatabase db;
  sb::fakes::FakeServer github{sb::fakes::makeGithubFake()};
  sb::fakes::FakeServer listener{sb::fakes::makeGithubFake()};
};

TEST_F(SecretsDestinationTest, AnAdminRepointingTheLinkNeverGetsTheOwnersToken) {
  const std::string config = writeConfig(dir, db, fakePluginEntry("github", github.baseUrl()),
                                         secretsSection(dir, 'c') +
                                             "status:\n  cache_ttl_min_ms: 0\n  cache_ttl_max_ms: 0\n");
  ServerProcess server(config);
  ASSERT_TRUE(server.ok()) << server.output();
  const std::string owner = server.adminToken();
  const std::string id = linkedProject(
      server, owner,
      {{"github", std::string(R"({"settings":{"repository":"acme/web","branch":"main"},"secrets":{"token":")") +
                      kOwnerToken + "\"}}"}});
  const std::string admin = memberToken(config, id, "mallory", "admin");
  const std::string status = "/api/v1/integrations/status?projectId=" + id;
  const std::string link = "/api/v1/projects/" + id + "/integrations/github";
  ASSERT_EQ(server.request("GET", status, owner).status, 200);
  ASSERT_GT(github.requestCount(), 0u) << "the owner's link works";

  // The attack of the issue: same settings, apiBaseUrl pointed at the listener.
  const std::string repointed = R"({"settings":{"repository":"acme/web","branch":"main","apiBaseUrl":")" +
                                listener.baseUrl() + "\"}";
  auto refused = server.request("PUT", link, admin, repointed + "}");
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(parseObject(refused.body)->getValue<std::string>("field"), "secrets.token");
  EXPECT_NE(refused.body.find("changing settings.apiBaseUrl drops the stored secrets.token"), std::string::npos)
      << refused.body;
  server.request("GET", status, owner);
  EXPECT_EQ(listener.requestCount(), 0u) << "a refused PUT changed nothing";

  // With a token of their own the admin may re-point the link: the owner's
  // token is gone, and only the admin's goes to the new destination.
  auto moved = server.request("PUT", link, admin, repointed + R"(,"secrets":{"token":"ghp_mallory_own"}})");
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_TRUE(parseObject(moved.body)->getObject("secrets")->has("token"));
  auto reply = server.request("GET", status, owner);
  ASSERT_EQ(reply.status, 200) << reply.body;
  ASSERT_GT(listener.requestCount(), 0u) << "the status call went to the new destination";
  const std::string received = everythingTheListenerGot();
  EXPECT_EQ(received.find(kOwnerToken), std::string::npos) << received;
  EXPECT_NE(received.find("ghp_mallory_own"), std::string::npos) << received;

  // The listener answered html_url "javascript:...": no role gets it as a link.
  const std::string viewer = memberToken(config, id, "vic", "viewer");
  const std::string editor = memberToken(config, id, "ed", "editor");
  for (const std::string& token : {owner, admin, editor, viewer}) {
    auto seen = server.request("GET", status, token);
    ASSERT_EQ(seen.status, 200) << seen.body;
    EXPECT_EQ(seen.body.find("javascript:"), std::string::npos) << seen.body;
    auto github = parseObject(seen.body)->getArray("items")->getObject(0);
    ASSERT_FALSE(github->getObject("resource").isNull()) << seen.body;
    EXPECT_FALSE(github->getObject("resource")->has("url")) << seen.body;
  }
  EXPECT_EQ(server.stop(), 0);
  const std::string log = fileText(dir.file("server.log"));
  EXPECT_NE(log.find("settings.apiBaseUrl changed by mallory; stored secrets discarded: token; set again by the "
                     "request: token"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("\"droppedUrls\":[\"resource.url has the scheme \\\"javascript\\\", not http or https\"]"),
            std::string::npos)
      << log;
  EXPECT_EQ(log.find(kOwnerToken), std::string::npos);
}

}  // namespace
