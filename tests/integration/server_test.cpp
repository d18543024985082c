// End-to-end: the real binary, real plugins loaded by Boost.DLL, a real
// database (SQLite file or PostgreSQL), HTTP over loopback, and the CLI.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <switchboard/abi.h>

#include "project_setup.hpp"
#include "server_process.hpp"

using namespace sbtest;

namespace {

Poco::JSON::Object::Ptr json(const HttpResponse& response) {
  return Poco::JSON::Parser().parse(response.body).extract<Poco::JSON::Object::Ptr>();
}

std::vector<std::string> ids(const HttpResponse& response, const std::string& key = "id") {
  std::vector<std::string> out;
  auto items = json(response)->getArray("items");
  for (std::size_t i = 0; i < items->size(); ++i) out.push_back(items->getObject(i)->getValue<std::string>(key));
  return out;
}

const char* kBundled =
    "    - github\n    - vercel\n    - sanity\n    - supabase\n    - mcp_oauth\n";

std::string pluginAt(const std::string& name, const std::string& path) {
  return "    - name: " + name + "\n      path: " + path + "\n";
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(db.ok()) << "test database unavailable"; }
  ScratchDirectory dir;
  ScratchDatabase db;
};

}  // namespace

TEST_F(ServerTest, LoadsBundledAndOutOfTreePluginsAndReportsBrokenOnes) {
  std::string plugins = std::string(kBundled) + pluginAt("hello", sdkConsumerPlugin()) +
                        pluginAt("abi_major_mismatch", testPluginDir() + "/abi_major_mismatch.so") +
                        pluginAt("abi_1_0_status", testPluginDir() + "/abi_1_0_status.so");
  ServerProcess server(writeConfig(dir, db, plugins));
  ASSERT_TRUE(server.ok()) << server.output();
  ASSERT_FALSE(server.adminToken().empty()) << server.output();

  auto response = server.request("GET", "/api/v1/plugins", server.adminToken());
  ASSERT_EQ(response.status, 200) << response.body;
  auto items = json(response)->getArray("items");
  ASSERT_EQ(items->size(), 8u);
  std::map<std::string, Poco::JSON::Object::Ptr> byId;
  for (std::size_t i = 0; i < items->size(); ++i) {
    auto item = items->getObject(i);
    byId[item->getValue<std::string>("id")] = item;
  }
  for (std::string id : {"github", "vercel", "sanity", "supabase", "mcp_oauth", "hello"}) {
    ASSERT_TRUE(byId.count(id)) << id << " missing in " << response.body;
    EXPECT_EQ(byId[id]->getValue<std::string>("state"), "loaded") << id;
    EXPECT_EQ(byId[id]->getValue<std::string>("abiVersion"),
              std::to_string(SB_ABI_VERSION_MAJOR) + "." + std::to_string(SB_ABI_VERSION_MINOR))
        << id;
  }
  // Built against the frozen 1.0 header: an older plugin still loads.
  ASSERT_TRUE(byId.count("abi-1-0-status")) << response.body;
  EXPECT_EQ(byId["abi-1-0-status"]->getValue<std::string>("state"), "loaded") << response.body;
  EXPECT_EQ(byId["abi-1-0-status"]->getValue<std::string>("abiVersion"), "1.0");
  ASSERT_TRUE(byId.count("abi_major_mismatch")) << response.body;
  EXPECT_EQ(byId["abi_major_mismatch"]->getValue<std::string>("state"), "failed");
  EXPECT_NE(byId["abi_major_mismatch"]->getValue<std::string>("error").find("ABI major"),
            std::string::npos);

  // The server keeps serving; readiness says a configured plugin is missing.
  EXPECT_EQ(server.request("GET", "/healthz").status, 200);
  EXPECT_EQ(server.request("GET", "/readyz").status, 503);
}

TEST_F(ServerTest, CatalogComesFromThePluginsDeclarations) {
  ServerProcess server(writeConfig(dir, db, kBundled));
  ASSERT_TRUE(server.ok()) << server.output();
  const std::string token = server.adminToken();
  EXPECT_EQ(server.request("GET", "/readyz").status, 200);

  auto all = server.request("GET", "/api/v1/integrations/schemas", token);
  ASSERT_EQ(all.status, 200) << all.body;
  auto schemaIds = ids(all);
  for (std::string id : {"github", "vercel", "sanity", "supabase"}) {
    EXPECT_NE(std::find(schemaIds.begin(), schemaIds.end(), id), schemaIds.end()) << all.body;
  }
  auto items = json(all)->getArray("items");
  for (std::size_t i = 1; i < items->size(); ++i) {
    EXPECT_LE(items->getObject(i - 1)->getValue<int>("displayOrder"),
              items->getObject(i)->getValue<int>("displayOrder"));
  }

  auto github = server.request("GET", "/api/v1/integrations/schemas/github", token);
  ASSERT_EQ(github.status, 200) << github.body;
  auto fields = json(github)->getArray("fields");
  bool hasSecretToken = false;
  std::vector<std::string> destinations;
  for (std::size_t i = 0; i < fields->size(); ++i) {
    auto field = fields->getObject(i);
    if (field->getValue<bool>("secret")) hasSecretToken = true;
    if (field->getValue<bool>("destination")) destinations.push_back(field->getValue<std::string>("key"));
  }
  EXPECT_TRUE(hasSecretToken) << github.body;
  // The fields that decide where the token goes, as the plugins declare them (ABI 1.1).
  EXPECT_EQ(destinations, std::vector<std::string>{"apiBaseUrl"}) << github.body;
  auto sanity = json(server.request("GET", "/api/v1/integrations/schemas/sanity", token))->getArray("fields");
  for (std::size_t i = 0; i < sanity->size(); ++i) {
    auto field = sanity->getObject(i);
    EXPECT_EQ(field->getValue<bool>("destination"), field->getValue<std::string>("key") == "projectId");
  }

  auto categories = server.request("GET", "/api/v1/integrations/schemas/categories", token);
  ASSERT_EQ(categories.status, 200) << categories.body;
  int total = 0;
  auto categoryItems = json(categories)->getArray("items");
  for (std::size_t i = 0; i < categoryItems->size(); ++i) total += categoryItems->getObject(i)->getValue<int>("count");
  EXPECT_EQ(total, static_cast<int>(items->size()));

  std::string category = json(github)->getValue<std::string>("category");
  auto filtered = server.request("GET", "/api/v1/integrations/schemas?category=" + category, token);
  ASSERT_EQ(filtered.status, 200);
  for (const auto& id : ids(filtered, "category")) EXPECT_EQ(id, category);

  auto missing = server.request("GET", "/api/v1/integrations/schemas/nope", token);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.header("content-type").rfind("application/problem+json", 0), 0u);
  EXPECT_EQ(server.request("GET", "/api/v1/integrations/schemas?featured=maybe", token).status, 400);
  EXPECT_EQ(server.request("GET", "/api/v1/integrations/schemas").status, 401);
}

TEST_F(ServerTest, RestartKeepsDataAndMarksSchemasOfRemovedPluginsUnavailable) {
  std::string config = writeConfig(dir, db, kBundled);
  std::string projectId;
  {
    ServerProcess server(config);
    ASSERT_TRUE(server.ok()) << server.output();
    auto created = server.request("POST", "/api/v1/projects", server.adminToken(), R"({"name":"Site"})");
    ASSERT_EQ(created.status, 201) << created.body;
    projectId = json(created)->getValue<std::string>("id");
    EXPECT_EQ(server.stop(), 0) << server.output();
  }
  std::string adminToken = createToken(config, "admin");
  config = writeConfig(dir, db, "    - github\n    - sanity\n");
  ServerProcess server(config);
  ASSERT_TRUE(server.ok()) << server.output();
  EXPECT_TRUE(server.adminToken().empty()) << "a bootstrap token is only printed on first start";

  auto project = server.request("GET", "/api/v1/projects/" + projectId, adminToken);
  EXPECT_EQ(project.status, 200) << project.body;
  auto schemaIds = ids(server.request("GET", "/api/v1/integrations/schemas", adminToken));
  EXPECT_NE(std::find(schemaIds.begin(), schemaIds.end(), "github"), schemaIds.end());
  EXPECT_EQ(std::find(schemaIds.begin(), schemaIds.end(), "vercel"), schemaIds.end());
}

TEST_F(ServerTest, ProjectRolesAreEnforcedForUsersMadeWithTheCli) {
  std::string config = writeConfig(dir, db, kBundled);
  ServerProcess server(config);
  ASSERT_TRUE(server.ok()) << server.output();
  std::string bob = createToken(config, "bob");
  std::string carol = createToken(config, "carol");

  auto created = server.request("POST", "/api/v1/projects", bob, R"({"name":"Bob's site"})");
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = json(created)->getValue<std::string>("id");
  EXPECT_EQ(server.request("GET", "/api/v1/projects/" + id, carol).status, 404);

  auto added = runSwitchboard({"member", "add", "--project", id, "--user", "carol", "--role",
                               "viewer", "--config", config});
  ASSERT_EQ(added.exitCode, 0) << added.output;
  EXPECT_EQ(server.request("GET", "/api/v1/projects/" + id, carol).status, 200);
  auto forbidden = server.request("PUT", "/api/v1/projects/" + id + "/members/carol", carol,
                                  R"({"role":"owner"})");
  EXPECT_EQ(forbidden.status, 403) << forbidden.body;
  auto promoted = server.request("PUT", "/api/v1/projects/" + id + "/members/carol", bob,
                                 R"({"role":"editor"})");
  EXPECT_EQ(promoted.status, 200) << promoted.body;
  EXPECT_EQ(server.request("DELETE", "/api/v1/projects/" + id + "/members/bob", bob).status, 409);
  EXPECT_EQ(server.request("GET", "/api/v1/projects", carol).status, 200);
  EXPECT_EQ(ids(server.request("GET", "/api/v1/projects", carol)),
            std::vector<std::string>{id});
}

TEST_F(ServerTest, BadInputGetsProblemDetailsNotCrashes) {
  ServerProcess server(writeConfig(dir, db, kBundled));
  ASSERT_TRUE(server.ok()) << server.output();
  const std::string token = server.adminToken();
  for (const std::string body : {"{", "[]", R"({"name":42})", R"({"name":""})", R"({"name":"x","extra":1})"}) {
    auto response = server.request("POST", "/api/v1/projects", token, body);
    EXPECT_TRUE(response.status == 400 || response.status == 422) << body << " -> " << response.status;
    EXPECT_EQ(response.header("content-type").rfind("application/problem+json", 0), 0u) << body;
  }
  EXPECT_EQ(server.request("GET", "/api/v1/nothing-here", token).status, 404);
  EXPECT_EQ(server.request("GET", "/api/v1/projects", "sbt_not-a-real-token").status, 401);
  // Still alive and well after all of that.
  EXPECT_EQ(server.request("GET", "/healthz").status, 200);
}

TEST_F(ServerTest, InvalidConfigStopsStartupWithFileLineColumn) {
  std::string path = dir.file("bad.yaml");
  std::ofstream(path) << "server:\n  port: 8080\n  prot: 9\n";
  ServerProcess server(path);
  EXPECT_FALSE(server.ok());
  EXPECT_NE(server.stop(), 0);
  EXPECT_NE(server.output().find(path + ":3:3: server.prot: unknown key"), std::string::npos)
      << server.output();
}

TEST_F(ServerTest, MigrateAndPluginCheckCommands) {
  std::string config = writeConfig(dir, db, kBundled);
  auto first = runSwitchboard({"migrate", "--config", config});
  ASSERT_EQ(first.exitCode, 0) << first.output;
  auto second = runSwitchboard({"migrate", "--config", config});
  ASSERT_EQ(second.exitCode, 0) << second.output;
  EXPECT_NE(second.output.find("Applied 0 migration"), std::string::npos) << second.output;

  // The scripted provider's 200 answers the fixture; without one it answers {},
  // which GitHub's plugin cannot read as a repository: that line fails, saying so.
  const std::string fixtureFile = dir.file("check-fixture.json");
  std::ofstream(fixtureFile) << R"({"private": false, "html_url": "https://github.com/acme/web", )"
                             << R"("default_branch": "main", "commit": {"commit": {"committer": )"
                             << R"({"date": "2026-11-23T10:00:00Z"}}}})";
  auto noFixture = runSwitchboard({"plugin", "check", bundledPluginDir() + "/github.so"});
  EXPECT_EQ(noFixture.exitCode, 1) << noFixture.output;
  EXPECT_NE(noFixture.output.find("  FAIL  on_status for \"github\": 200 (no fixture) → SB_ERR_UNAVAILABLE ✗: "),
            std::string::npos) << noFixture.output;
  EXPECT_NE(noFixture.output.find("give its 200 body with --fixture FILE"), std::string::npos) << noFixture.output;
  auto good = runSwitchboard({"plugin", "check", bundledPluginDir() + "/github.so", "--fixture", fixtureFile});
  EXPECT_EQ(good.exitCode, 0) << good.output;
  EXPECT_NE(good.output.find("  PASS  on_status for \"github\": 401 → error, revoked, oauth_revoked ✓"),
            std::string::npos) << good.output;
  EXPECT_NE(good.output.find("  PASS  on_status with an incomplete request for \"github\""), std::string::npos)
      << good.output;
  // The link values of the well-formed request from files; a file that is no JSON object is refused by name.
  const std::string settingsFile = dir.file("check-settings.json");
  std::ofstream(settingsFile) << R"({"repository":"acme/web","branch":"main"})";
  auto withSettings = runSwitchboard({"plugin", "check", bundledPluginDir() + "/github.so", "--settings",
                                      settingsFile, "--fixture", fixtureFile});
  EXPECT_EQ(withSettings.exitCode, 0) << withSettings.output;
  EXPECT_NE(withSettings.output.find("  PASS  on_status for \"github\": 200 → "), std::string::npos)
      << withSettings.output;
  EXPECT_NE(withSettings.output.find("/repos/acme/web"), std::string::npos) << withSettings.output;
  const std::string notJson = dir.file("check-not-json.json");
  std::ofstream(notJson) << "{nope";
  auto badFixture = runSwitchboard({"plugin", "check", bundledPluginDir() + "/github.so", "--fixture", notJson});
  EXPECT_EQ(badFixture.exitCode, 1) << badFixture.output;
  EXPECT_NE(badFixture.output.find("--fixture " + notJson + ": not valid JSON"), std::string::npos)
      << badFixture.output;
  const std::string badFile = dir.file("check-secrets.json");
  std::ofstream(badFile) << "[1]";
  auto badSecrets = runSwitchboard({"plugin", "check", bundledPluginDir() + "/github.so", "--secrets", badFile});
  EXPECT_EQ(badSecrets.exitCode, 1) << badSecrets.output;
  EXPECT_NE(badSecrets.output.find("--secrets " + badFile + ": invalid JSON"), std::string::npos) << badSecrets.output;
  auto bad = runSwitchboard({"plugin", "check", testPluginDir() + "/missing_required_fn.so"});
  EXPECT_EQ(bad.exitCode, 1) << bad.output;
  EXPECT_NE(bad.output.find("on_destroy"), std::string::npos) << bad.output;

  auto help = runSwitchboard({"token", "create", "--help"});
  EXPECT_EQ(help.exitCode, 0);
  EXPECT_NE(help.output.find("--user"), std::string::npos);
  auto typo = runSwitchboard({"token", "create", "--usr", "x"});
  EXPECT_NE(typo.exitCode, 0);
  EXPECT_NE(typo.output.find("unknown option --usr"), std::string::npos) << typo.output;
}

// A second server on the port of a running one must not start (a shared port
// would split clients between two databases): it names the address and exits 1.
TEST_F(ServerTest, ASecondServerOnABusyPortExitsWithAddressInUse) {
  ServerProcess first(writeConfig(dir, db, ""));
  ASSERT_TRUE(first.ok()) << first.output();
  const std::string path = writeConfig(dir, db, "");
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string ephemeral = "port: 0\n";
  ASSERT_NE(text.find(ephemeral), std::string::npos) << text;
  text.replace(text.find(ephemeral), ephemeral.size(), "port: " + std::to_string(first.port()) + "\n");
  const std::string busy = dir.file("busy.yaml");
  std::ofstream(busy) << text;
  auto result = runSwitchboard({"serve", "--config", busy});
  EXPECT_EQ(result.exitCode, 1) << result.output;
  EXPECT_NE(result.output.find("cannot listen on 127.0.0.1:" + std::to_string(first.port()) +
                               ": Address already in use"),
            std::string::npos)
      << result.output;
  // The first server still answers.
  EXPECT_EQ(first.request("GET", "/healthz").status, 200);
}
