// The egress policy end to end: the real binary, the bundled plugins and
// their fakes, all on loopback. Loopback is exactly what the policy refuses
// unless the operator allow-lists it, so each plugin here gets a different
// allowance and the fakes count what reached them. No packet leaves
// loopback: metadata, private and link-local addresses are tested against
// the classifier (tests/unit/plugins/egress_policy_test.cpp).
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "project_setup.hpp"
#include "server_process.hpp"

using namespace sbtest;

namespace {

class EgressTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(db.ok()) << "test database unavailable"; }

  std::string localhostUrl(const std::string& name) { return "http://localhost:" + std::to_string(fakes[name]->port()); }

  Poco::JSON::Object::Ptr item(const Poco::JSON::Object::Ptr& body, const std::string& key) {
    auto items = body->getArray("items");
    for (std::size_t i = 0; i < items->size(); ++i) {
      if (items->getObject(static_cast<unsigned>(i))->getValue<std::string>("key") == key) {
        return items->getObject(static_cast<unsigned>(i));
      }
    }
    ADD_FAILURE() << "no item " << key;
    return new Poco::JSON::Object;
  }

  ScratchDirectory dir;
  ScratchDatabase db;
  ProviderFakes fakes = startProviderFakes();
};

TEST_F(EgressTest, LoopbackIsRefusedUnlessTheOperatorAllowListsIt) {
  const std::string plugins =
      // http allowed, loopback not: refused by address.
      fakePluginEntry("github", fakes["github"]->baseUrl(), "{allow_http: true}") +
      // A name that resolves to 127.0.0.1 is refused like the address.
      fakePluginEntry("vercel", localhostUrl("vercel"), "{allow_http: true}") +
      // The network is allowed: reached.
      fakePluginEntry("sanity", fakes["sanity"]->baseUrl()) +
      // The name is allowed: reached at the address it resolved to.
      fakePluginEntry("supabase", localhostUrl("supabase"), "{allow_http: true, allow: [localhost]}");
  ServerProcess server(writeConfig(dir, db, plugins, secretsSection(dir, 'b')));
  ASSERT_TRUE(server.ok()) << server.output();
  const std::string id = linkedProject(server, server.adminToken());

  auto reply = server.request("GET", "/api/v1/integrations/status?projectId=" + id, server.adminToken());
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto body = parseObject(reply.body);
  for (const char* refused : {"github", "vercel"}) {
    SCOPED_TRACE(refused);
    auto entry = item(body, refused);
    EXPECT_EQ(entry->getValue<std::string>("status"), "error");
    auto problem = entry->getObject("problem");
    ASSERT_FALSE(problem.isNull()) << reply.body;
    EXPECT_EQ(problem->getValue<std::string>("code"), "egress_refused");
    EXPECT_NE(problem->getValue<std::string>("hint").find("plugins.enabled[].egress"), std::string::npos);
    EXPECT_EQ(fakes[refused]->requestCount(), 0u) << "a refused request reached the fake";
  }
  EXPECT_EQ(item(body, "sanity")->getValue<std::string>("status"), "connected") << reply.body;
  EXPECT_EQ(item(body, "supabase")->getValue<std::string>("status"), "connected") << reply.body;
  EXPECT_GT(fakes["sanity"]->requestCount(), 0u);
  EXPECT_GT(fakes["supabase"]->requestCount(), 0u);
  // The hint is for operators; the address and the rule are in the log only.
  EXPECT_EQ(reply.body.find("127.0.0.1"), std::string::npos);

  EXPECT_EQ(server.stop(), 0);
  const std::string log = fileText(dir.file("server.log"));
  EXPECT_NE(log.find("\"event\":\"egress.refused\",\"plugin\":\"github\""), std::string::npos) << log;
  EXPECT_NE(log.find("\"event\":\"egress.refused\",\"plugin\":\"vercel\""), std::string::npos) << log;
  EXPECT_NE(log.find("egress policy refused 127.0.0.1, a loopback address (rule: loopback)"), std::string::npos);
  EXPECT_NE(log.find("egress policy refused \\\"localhost\\\", which resolves to"), std::string::npos);
  EXPECT_EQ(log.find("ghp_integration"), std::string::npos);
}

TEST_F(EgressTest, PlainHttpIsRefusedUnlessAllowed) {
  const std::string plugins = fakePluginEntry("github", fakes["github"]->baseUrl(), "{allow: [127.0.0.1]}");
  ServerProcess server(writeConfig(dir, db, plugins, secretsSection(dir, 'b')));
  ASSERT_TRUE(server.ok()) << server.output();
  const std::string id = linkedProject(server, server.adminToken(), {{"github", providerLinks().at("github")}});
  auto body = parseObject(server.request("GET", "/api/v1/integrations/status?projectId=" + id, server.adminToken()).body);
  EXPECT_EQ(item(body, "github")->getObject("problem")->getValue<std::string>("code"), "egress_refused");
  EXPECT_EQ(fakes["github"]->requestCount(), 0u);
  EXPECT_EQ(server.stop(), 0);
  EXPECT_NE(fileText(dir.file("server.log")).find("(rule: https-only)"), std::string::npos);
}

}  // namespace
