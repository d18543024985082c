// Status comes from the loaded plugins: the real binary with the bundled
// plugins, netlify.so (a fifth status provider built out of tree against the
// installed SDK, tests/plugins/netlify_status) and a configured plugin that
// cannot load, all against fakes on loopback. The netlify item appears in the
// reply in catalog display order and in status.changed events, its fake is
// really called, the failed plugin keeps a "disabled" item, and /metrics names
// only providers that exist.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <thread>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "project_setup.hpp"
#include "server_process.hpp"
#include "sse_client.hpp"

using namespace sbtest;

namespace {

std::string netlifyPlugin() { return SWITCHBOARD_NETLIFY_PLUGIN; }

class ThirdPartyStatusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db.ok()) << "test database unavailable";
    netlify.start();
    std::string plugins;
    for (const auto& [name, fake] : fakes) plugins += fakePluginEntry(name, fake->baseUrl());
    // The operator's base_url is the whole API root, version prefix included.
    plugins += "    - name: netlify\n      path: " + netlifyPlugin() + "\n      base_url: " + netlify.baseUrl() +
               "/api/v1\n      egress: {allow_http: true, allow: [127.0.0.1]}\n";
    plugins += "    - name: heroku\n      path: " + dir.file("heroku.so") + "\n";  // no such file: fails to load
    configPath = writeConfig(dir, db, plugins,
                             secretsSection(dir) + "status:\n  deadline_ms: 1000\n  cache_ttl_min_ms: 150\n"
                                                   "  cache_ttl_max_ms: 250\nevents:\n  heartbeat_ms: 100\n  poll_ms: 50\n");
    server = std::make_unique<ServerProcess>(configPath);
    ASSERT_TRUE(server->ok()) << server->output();
    auto links = providerLinks();
    links["netlify"] = R"({"settings":{"siteId":"site_demo"},"secrets":{"token":"nf_integration_token"}})";
    projectId = linkedProject(*server, server->adminToken(), links);
  }

  ScratchDirectory dir;
  ScratchDatabase db;
  ProviderFakes fakes = startProviderFakes();
  sb::fakes::FakeServer netlify{sb::fakes::makeNetlifyFake()};
  std::string configPath;
  std::unique_ptr<ServerProcess> server;
  std::string projectId;
};

TEST_F(ThirdPartyStatusTest, AFifthProviderAndAFailedPluginHaveTheirItemsInCatalogOrder) {
  auto reply = server->request("GET", "/api/v1/integrations/status?projectId=" + projectId, server->adminToken());
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto items = parseObject(reply.body)->getArray("items");
  std::vector<std::string> keys;
  std::map<std::string, Poco::JSON::Object::Ptr> byKey;
  for (unsigned i = 0; i < items->size(); ++i) {
    keys.push_back(items->getObject(i)->getValue<std::string>("key"));
    byKey[keys.back()] = items->getObject(i);
  }
  // Display orders 10, 20, 25 (netlify), 30, 40; the failed plugin the catalog never saw comes last.
  EXPECT_EQ(keys, (std::vector<std::string>{"github", "vercel", "netlify", "sanity", "supabase", "heroku"}));
  ASSERT_EQ(byKey.count("netlify"), 1u) << reply.body;
  EXPECT_EQ(byKey["netlify"]->getValue<std::string>("status"), "connected") << reply.body;
  EXPECT_EQ(byKey["netlify"]->getValue<std::string>("summary"), "Deploy ready 2m ago");
  EXPECT_EQ(byKey["netlify"]->getObject("resource")->getValue<std::string>("label"), "demo-docs");
  EXPECT_EQ(byKey["heroku"]->getValue<std::string>("status"), "disconnected");
  EXPECT_EQ(byKey["heroku"]->getValue<std::string>("configuredReason"), "disabled");
  EXPECT_FALSE(byKey["heroku"]->getValue<bool>("configured"));
  EXPECT_NE(byKey["heroku"]->getValue<std::string>("summary").find("failed to load"), std::string::npos) << reply.body;
  EXPECT_EQ(reply.body.find("nf_integration_token"), std::string::npos);

  // The fake was really called, at the documented path under the configured root.
  auto requests = netlify.requests();
  ASSERT_GE(requests.size(), 1u);
  EXPECT_EQ(requests[0].path, "/api/v1/sites/site_demo/deploys");
  EXPECT_EQ(requests[0].header("authorization"), "Bearer nf_integration_token");

  // Its mappings hold through the host: a revoked token, then a rate limit.
  netlify.setMode("unauthorized");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // past the TTL
  server->request("GET", "/api/v1/integrations/status?projectId=" + projectId, server->adminToken());
  std::string revoked;
  for (int i = 0; i < 50 && revoked.find("\"configuredReason\":\"revoked\"") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    revoked = server->request("GET", "/api/v1/integrations/status?projectId=" + projectId, server->adminToken()).body;
  }
  EXPECT_NE(revoked.find("Netlify rejected the token"), std::string::npos) << revoked;

  auto metrics = server->request("GET", "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("switchboard_breakers{provider=\"netlify\",state=\"closed\"} 1"), std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("switchboard_adapter_calls_total{provider=\"netlify\",outcome=\"ok\"}"), std::string::npos);
  EXPECT_EQ(metrics.body.find("provider=\"heroku\""), std::string::npos) << "a plugin that failed has no series";
  EXPECT_EQ(server->stop(), 0);
  EXPECT_EQ(fileText(dir.file("server.log")).find("nf_integration_token"), std::string::npos);
}

TEST_F(ThirdPartyStatusTest, TheFifthProviderAndTheFailedPluginAreInTheEvents) {
  sb::testing::SseClient owner(server->port(), "/api/v1/integrations/events?projectId=" + projectId,
                               {{"Authorization", "Bearer " + server->adminToken()}});
  ASSERT_EQ(owner.status(), 200) << owner.body();
  std::map<std::string, std::string> seen;
  for (int round = 0; round < 20 && seen.size() < 6; ++round) {
    for (const auto& event : owner.next(6 - seen.size(), 1000)) {
      if (event.type == "status.changed") seen[parseObject(event.data)->getValue<std::string>("key")] = event.data;
    }
  }
  ASSERT_EQ(seen.count("netlify"), 1u) << "no status.changed for netlify";
  EXPECT_EQ(parseObject(seen["netlify"])->getValue<std::string>("status"), "connected");
  ASSERT_EQ(seen.count("heroku"), 1u) << "no status.changed for the failed plugin";
  EXPECT_EQ(parseObject(seen["heroku"])->getValue<std::string>("configuredReason"), "disabled");
  EXPECT_EQ(seen.size(), 6u);
}

}  // namespace
