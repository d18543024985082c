// End-to-end integration status: the real binary and the bundled plugins
// against the provider fakes (tests/fakes) on loopback, on SQLite and on
// PostgreSQL: linking, the status call with ETag/304, roles and redaction,
// deadlines, the breaker, metrics, and a restart serving persisted status.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "project_setup.hpp"
#include "server_process.hpp"

using namespace sbtest;

namespace {

class StatusTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(db.ok()) << "test database unavailable"; }

  std::string config(const std::string& status = "status:\n  deadline_ms: 1000\n") {
    std::string plugins;
    for (const auto& [name, fake] : fakes) plugins += fakePluginEntry(name, fake->baseUrl());
    return writeConfig(dir, db, plugins, secretsSection(dir) + status);
  }

  static std::string linkedProject(const ServerProcess& server) {
    return sbtest::linkedProject(server, server.adminToken());
  }

  static Poco::JSON::Object::Ptr item(const Poco::JSON::Object::Ptr& body, std::size_t index) {
    return body->getArray("items")->getObject(static_cast<unsigned>(index));
  }

  ScratchDirectory dir;
  ScratchDatabase db;
  ProviderFakes fakes = startProviderFakes();
};

TEST_F(StatusTest, AggregatesTheFourProvidersWithEtagRolesAndMetrics) {
  fakes["supabase"]->setMode("auth_unhealthy");
  const std::string path = config();
  ServerProcess server(path);
  ASSERT_TRUE(server.ok()) << server.output();
  const std::string id = linkedProject(server);
  const std::string url = "/api/v1/integrations/status?projectId=" + id;

  auto reply = server.request("GET", url, server.adminToken());
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto body = parseObject(reply.body);
  EXPECT_EQ(body->getValue<std::string>("projectId"), id);
  const std::vector<std::string> order{"github", "vercel", "sanity", "supabase"};
  for (std::size_t i = 0; i < order.size(); ++i) {
    EXPECT_EQ(item(body, i)->getValue<std::string>("key"), order[i]);
    EXPECT_TRUE(item(body, i)->getValue<bool>("configured"));
  }
  EXPECT_EQ(item(body, 0)->getValue<std::string>("status"), "connected");
  EXPECT_EQ(item(body, 0)->getValue<std::string>("summary").rfind("Linked to main · Last push", 0), 0u);
  EXPECT_EQ(item(body, 1)->getArray("environments")->size(), 2u);
  EXPECT_EQ(item(body, 3)->getValue<std::string>("status"), "warning");
  EXPECT_EQ(body->getValue<std::string>("overall"), "warning");
  const std::string etag = reply.header("etag");
  EXPECT_EQ(etag, "W/\"" + body->getValue<std::string>("hash") + "\"");
  EXPECT_EQ(reply.header("vary"), "Authorization");
  EXPECT_EQ(reply.body.find("ghp_integration"), std::string::npos);

  // Revalidation: weak comparison, lists and *.
  for (const std::string& condition : {etag, "\"nope\", " + etag, std::string("*"), etag.substr(2)}) {
    auto notModified = server.request("GET", url, server.adminToken(), {}, {{"If-None-Match", condition}});
    EXPECT_EQ(notModified.status, 304) << condition;
    EXPECT_TRUE(notModified.body.empty());
    EXPECT_EQ(notModified.header("etag"), etag);
    EXPECT_EQ(notModified.header("cache-control"), "private, no-cache");
  }
  EXPECT_EQ(server.request("GET", url, server.adminToken(), {}, {{"If-None-Match", "W/\"other\""}}).status, 200);

  // A viewer sees generic labels and no actions it may run; a stranger sees nothing.
  const std::string vera = memberToken(path, id, "vera", "viewer");
  auto viewer = server.request("GET", url, vera);
  ASSERT_EQ(viewer.status, 200) << viewer.body;
  EXPECT_EQ(viewer.body.find("acme/web"), std::string::npos);
  auto viewerBody = parseObject(viewer.body);
  EXPECT_EQ(item(viewerBody, 0)->getObject("resource")->getValue<std::string>("label"), "Private repo");
  EXPECT_FALSE(item(viewerBody, 0)->getArray("actions")->getObject(0)->getValue<bool>("can"));
  EXPECT_NE(viewer.header("etag"), etag);  // another representation
  const std::string sam = createToken(path, "sam");
  EXPECT_EQ(server.request("GET", url, sam).status, 404);
  EXPECT_EQ(server.request("GET", "/api/v1/integrations/status", server.adminToken()).status, 400);

  auto metrics = server.request("GET", "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("switchboard_adapter_calls_total{provider=\"github\",outcome=\"ok\"} 1"),
            std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("switchboard_status_cache_total{provider=\"github\",result=\"hit\"}"), std::string::npos);
  EXPECT_NE(metrics.body.find("switchboard_http_requests_total{route=\"/api/v1/integrations/status\",status=\"304\"} 4"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("switchboard_breakers{provider=\"github\",state=\"closed\"} 1"), std::string::npos);
  EXPECT_EQ(server.stop(), 0);
  const std::string logText = fileText(dir.file("server.log"));
  EXPECT_NE(logText.find("\"event\":\"status.refresh\",\"projectId\":\"" + id), std::string::npos);
  EXPECT_EQ(logText.find("ghp_integration"), std::string::npos);
}

TEST_F(StatusTest, AHungProviderIsATimeoutAndARestartServesThePersistedStatus) {
  const std::string path = config();
  std::string id;
  std::string admin;
  {
    ServerProcess server(path);
    ASSERT_TRUE(server.ok()) << server.output();
    admin = server.adminToken();
    id = linkedProject(server);
    fakes["vercel"]->setMode("hang");
    auto body = parseObject(server.request("GET", "/api/v1/integrations/status?projectId=" + id, server.adminToken()).body);
    EXPECT_EQ(item(body, 0)->getValue<std::string>("status"), "connected");
    EXPECT_EQ(item(body, 1)->getObject("problem")->getValue<std::string>("code"), "timeout");
    fakes["vercel"]->setMode("ok");
    EXPECT_EQ(server.stop(), 0);
  }
  // Every provider hangs now: the restarted server still answers from its snapshots.
  for (auto& [name, fake] : fakes) fake->setMode("hang");
  ServerProcess restarted(path);
  ASSERT_TRUE(restarted.ok()) << restarted.output();
  auto reply = restarted.request("GET", "/api/v1/integrations/status?projectId=" + id, admin);
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto github = item(parseObject(reply.body), 0);
  EXPECT_EQ(github->getValue<std::string>("status"), "connected");
  EXPECT_TRUE(github->getValue<bool>("stale"));
  EXPECT_EQ(github->getObject("resource")->getValue<std::string>("label"), "acme/web");
  for (auto& [name, fake] : fakes) fake->setMode("ok");
  EXPECT_EQ(restarted.stop(), 0);
}

TEST_F(StatusTest, AnOpenBreakerStopsUpstreamCallsAndServesTheLastGoodStatus) {
  ServerProcess server(config(
      "status:\n  deadline_ms: 1000\n  cache_ttl_min_ms: 0\n  cache_ttl_max_ms: 0\n  breaker_failures: 2\n"
      "  breaker_cooldown_ms: 600000\n"));
  ASSERT_TRUE(server.ok()) << server.output();
  const std::string id = linkedProject(server);
  const std::string url = "/api/v1/integrations/status?projectId=" + id;
  ASSERT_EQ(server.request("GET", url, server.adminToken()).status, 200);
  fakes["github"]->setMode("server_error");
  // TTL 0: every request refreshes in the background until the breaker opens.
  for (int i = 0; i < 50; ++i) {
    server.request("GET", url, server.adminToken());
    if (server.request("GET", "/metrics").body.find("switchboard_breakers{provider=\"github\",state=\"open\"} 1") !=
        std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_NE(server.request("GET", "/metrics").body.find("switchboard_breakers{provider=\"github\",state=\"open\"} 1"),
            std::string::npos);
  const std::size_t callsWhenOpened = fakes["github"]->requestCount();
  for (int i = 0; i < 10; ++i) {
    auto github = item(parseObject(server.request("GET", url, server.adminToken()).body), 0);
    EXPECT_EQ(github->getValue<std::string>("status"), "connected");
    EXPECT_TRUE(github->getValue<bool>("stale"));
    EXPECT_EQ(github->getObject("problem")->getValue<std::string>("code"), "unknown");
  }
  EXPECT_EQ(fakes["github"]->requestCount(), callsWhenOpened);
  EXPECT_EQ(server.stop(), 0);
}

}  // namespace
