#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>

#include "kitchen_links.hpp"

namespace sb::testing {
namespace {

constexpr const char* kCanary = "ghp_SECRET_canary_123";

TestServer& server() { return kitchenServer(); }

std::string fileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST_F(Integrations, PutCreatesWith201AndReturnsARedactedView) {
  const HttpResult created = link();
  ASSERT_EQ(created.status, 201) << created.body;
  const auto view = created.json();
  EXPECT_EQ(view->getValue<std::string>("projectId"), project_);
  EXPECT_EQ(view->getValue<std::string>("key"), "kitchen");
  EXPECT_EQ(view->getObject("settings")->getValue<std::string>("region"), "eu");
  EXPECT_EQ(view->getObject("settings")->getValue<std::string>("label"), "main");
  EXPECT_TRUE(view->getObject("secrets")->getObject("token")->getValue<bool>("set"));
  EXPECT_EQ(view->getObject("secrets")->size(), 1u);
  EXPECT_EQ(view->getValue<std::string>("visibleTo"), "viewer");
  EXPECT_FALSE(view->getValue<std::string>("createdAt").empty());
  EXPECT_EQ(created.body.find("tok_1"), std::string::npos);

  const HttpResult again = put(R"({"settings":{"region":"us"}})");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()->getValue<std::string>("createdAt"), view->getValue<std::string>("createdAt"));
}

TEST_F(Integrations, AnyMemberReadsWithSecretsRedacted) {
  ASSERT_EQ(link().status, 201);
  for (const std::string caller : {"olivia", "adam", "ed", "vic", "root"}) {
    const HttpResult one = get(caller);
    ASSERT_EQ(one.status, 200) << caller << " " << one.body;
    EXPECT_EQ(one.body.find("tok_1"), std::string::npos);
    EXPECT_TRUE(one.json()->getObject("secrets")->getObject("token")->getValue<bool>("set"));
    const HttpResult all =
        server().get("/api/v1/projects/" + project_ + "/integrations", caller);
    ASSERT_EQ(all.status, 200) << all.body;
    EXPECT_EQ(itemValues(all, "key"), std::vector<std::string>{"kitchen"});
    EXPECT_EQ(all.body.find("tok_1"), std::string::npos);
  }
}

TEST_F(Integrations, NonMembersGet404ForEverything) {
  ASSERT_EQ(link().status, 201);
  expectProblem(get("nora"), 404, path());
  expectProblem(server().get("/api/v1/projects/" + project_ + "/integrations", "nora"), 404,
                "/api/v1/projects/" + project_ + "/integrations");
  expectProblem(link("nora"), 404, path());
  expectProblem(server().send("DELETE", path(), "nora", ""), 404, path());
  EXPECT_EQ(get("olivia").status, 200) << "nothing was removed";
}

TEST_F(Integrations, EditorsAndViewersCannotChangeIntegrations) {
  for (const std::string caller : {"ed", "vic"}) {
    const HttpResult refused = link(caller);
    expectProblem(refused, 403, path());
    EXPECT_NE(refused.json()->getValue<std::string>("detail").find("admin"), std::string::npos);
  }
  EXPECT_EQ(get("olivia").status, 404);
  ASSERT_EQ(link("olivia").status, 201);
  for (const std::string caller : {"ed", "vic"}) {
    expectProblem(server().send("DELETE", path(), caller, ""), 403, path());
  }
  EXPECT_EQ(get("olivia").status, 200);
}

TEST_F(Integrations, OwnersAdminsAndGlobalAdminsManage) {
  ASSERT_EQ(link("olivia").status, 201);
  EXPECT_EQ(link("adam").status, 200);
  EXPECT_EQ(link("root").status, 200);
  const HttpResult removed = server().send("DELETE", path(), "adam", "");
  EXPECT_EQ(removed.status, 204) << removed.body;
  EXPECT_TRUE(removed.body.empty());
  expectProblem(get("olivia"), 404, path(), "key");
  expectProblem(server().send("DELETE", path(), "adam", ""), 404, path(), "key");
}

TEST_F(Integrations, ChangesAreAnnounced) {
  const auto before = server().integrationChanges().size();
  ASSERT_EQ(link().status, 201);
  ASSERT_EQ(server().send("DELETE", path(), "adam", "").status, 204);
  expectInvalid(R"({"settings":{"region":"mars"}})", "settings.region");
  const auto changes = server().integrationChanges();
  ASSERT_EQ(changes.size(), before + 2);
  EXPECT_EQ(changes[before], project_ + ":kitchen");
  EXPECT_EQ(changes[before + 1], project_ + ":kitchen");
}

TEST_F(Integrations, UnknownOrUnavailableSchemaIs404) {
  expectProblem(put(R"({"settings":{}})", "adam", "nope"), 404, path("nope"), "key");
  expectProblem(put(R"({"settings":{}})", "adam", "legacy"), 404, path("legacy"), "key");
  expectProblem(get("vic", "nope"), 404, path("nope"));
}

TEST_F(Integrations, EveryValidationFailureNamesItsField) {
  const std::string secret = R"("secrets":{"token":"t"})";
  expectInvalid(R"({"settings":{"region":"eu","foo":1},)" + secret + "}", "settings.foo");
  expectInvalid(R"({"settings":{"region":"eu"},"secrets":{"token":"t","bar":"x"}})", "secrets.bar");
  expectInvalid(R"({"settings":{"region":"eu","token":"t"}})", "settings.token");
  expectInvalid(R"({"settings":{},"secrets":{"token":"t","region":"eu"}})", "secrets.region");
  expectInvalid(R"({"settings":{"region":"mars"},)" + secret + "}", "settings.region");
  expectInvalid(R"({"settings":{"region":7},)" + secret + "}", "settings.region");
  expectInvalid(R"({"settings":{"region":"eu","baseUrl":"ftp://x.example"},)" + secret + "}",
                "settings.baseUrl");
  expectInvalid(R"({"settings":{"region":"eu","baseUrl":"https://"},)" + secret + "}",
                "settings.baseUrl");
  expectInvalid(R"({"settings":{"region":"eu","baseUrl":"not a url"},)" + secret + "}",
                "settings.baseUrl");
  expectInvalid(R"({"settings":{"region":"eu","retries":"3"},)" + secret + "}", "settings.retries");
  expectInvalid(R"({"settings":{"region":"eu","retries":1.5},)" + secret + "}", "settings.retries");
  expectInvalid(R"({"settings":{"region":"eu","verbose":"yes"},)" + secret + "}",
                "settings.verbose");
  expectInvalid(R"({"settings":{"region":"eu","verbose":1},)" + secret + "}", "settings.verbose");
  expectInvalid(R"({"settings":{"region":"eu","label":false},)" + secret + "}", "settings.label");
  expectInvalid(R"({"settings":{"region":"eu"},"secrets":{"token":42}})", "secrets.token");
  expectInvalid(R"({"settings":{"region":"eu"},"secrets":{"token":""}})", "secrets.token");
  expectInvalid(R"({"settings":{"region":"eu"}})", "secrets.token");
  expectInvalid(R"({)" + secret + "}", "settings.region");
  expectInvalid(R"({"settings":[],)" + secret + "}", "settings");
  expectInvalid(R"({"settings":{"region":"eu"},"secrets":"t"})", "secrets");
  expectInvalid(R"({"settings":{"region":"eu"},)" + secret + R"(,"visibleTo":"guest"})",
                "visibleTo");
  expectInvalid(R"({"settings":{"region":"eu"},)" + secret + R"(,"visibleTo":1})", "visibleTo");
  EXPECT_EQ(get("olivia").status, 404) << "no failed PUT may leave a link behind";
}

TEST_F(Integrations, ValidValuesOfEveryTypeAreStored) {
  const HttpResult stored = put(
      R"({"settings":{"region":"us","baseUrl":"http://api.example:8080/v1","retries":3,)"
      R"("verbose":true,"label":""},"secrets":{"token":"t","webhookSecret":"w"},"visibleTo":"editor"})");
  ASSERT_EQ(stored.status, 201) << stored.body;
  const auto settings = get("olivia").json()->getObject("settings");
  EXPECT_EQ(settings->getValue<std::string>("baseUrl"), "http://api.example:8080/v1");
  EXPECT_EQ(settings->getValue<int>("retries"), 3);
  EXPECT_TRUE(settings->getValue<bool>("verbose"));
  EXPECT_EQ(settings->getValue<std::string>("label"), "");
  EXPECT_EQ(get("olivia").json()->getValue<std::string>("visibleTo"), "editor");
}

TEST_F(Integrations, MalformedBodiesStay400And415) {
  expectProblem(put("{not json"), 400, path());
  expectProblem(put("[]"), 400, path());
  expectProblem(put(R"({"settings":{},"extra":1})"), 400, path(), "extra");
  HttpCall wrongType;
  wrongType.method = "PUT";
  wrongType.path = path();
  wrongType.token = server().token("adam");
  wrongType.body = R"({"settings":{}})";
  wrongType.contentType = "text/plain";
  expectProblem(server().call(wrongType), 415, path());
}

// One admin rotates the token while another adds the webhook secret: each
// PUT keeps what the other wrote (read-merge-write with a compare-and-set).
TEST_F(Integrations, ConcurrentPutsKeepEachOthersSecrets) {
  ASSERT_EQ(link().status, 201);
  for (int round = 0; round < 10; ++round) {
    ASSERT_EQ(put(R"({"settings":{"region":"eu"},"secrets":{"webhookSecret":null}})").status, 200);
    std::thread rotator([&] {
      for (int i = 0; i < 5; ++i) {
        const HttpResult rotated = put(R"({"settings":{"region":"eu"},"secrets":{"token":"t)" + std::to_string(i) + R"("}})");
        EXPECT_EQ(rotated.status, 200) << rotated.body;
      }
    });
    const HttpResult added = put(R"({"settings":{"region":"eu"},"secrets":{"webhookSecret":"w"}})", "olivia");
    rotator.join();
    ASSERT_EQ(added.status, 200) << added.body;
    EXPECT_TRUE(get("olivia").json()->getObject("secrets")->has("webhookSecret")) << "round " << round;
  }
}

TEST_F(Integrations, SecretsNotMentionedAreKeptAndNullClears) {
  ASSERT_EQ(put(R"({"settings":{"region":"eu"},"secrets":{"token":"t1","webhookSecret":"w1"}})")
                .status,
            201);
  const HttpResult kept = put(R"({"settings":{"region":"us"}})");
  ASSERT_EQ(kept.status, 200) << kept.body;
  EXPECT_EQ(kept.json()->getObject("secrets")->size(), 2u);

  const HttpResult cleared = put(R"({"settings":{"region":"us"},"secrets":{"webhookSecret":null}})");
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_TRUE(cleared.json()->getObject("secrets")->has("token"));
  EXPECT_FALSE(cleared.json()->getObject("secrets")->has("webhookSecret"));

  // The required token cannot be cleared, and a refused PUT changes nothing.
  expectInvalid(R"({"settings":{"region":"us"},"secrets":{"token":null}})", "secrets.token");
  EXPECT_TRUE(get("olivia").json()->getObject("secrets")->has("token"));

  // What is kept is the value last set, sealed for this project and key.
  EXPECT_EQ(storedSecrets(), R"({"token":"t1"})");
}

TEST_F(Integrations, VisibilityHidesLinksFromLowerRoles) {
  ASSERT_EQ(put(R"({"settings":{"region":"eu"},"secrets":{"token":"t"},"visibleTo":"admin"})")
                .status,
            201);
  EXPECT_EQ(get("adam").status, 200);
  expectProblem(get("ed"), 404, path(), "key");
  EXPECT_TRUE(itemValues(server().get("/api/v1/projects/" + project_ + "/integrations", "vic"), "key")
                  .empty());
  // Leaving visibleTo out of a later PUT keeps it.
  ASSERT_EQ(put(R"({"settings":{"region":"us"}})").status, 200);
  EXPECT_EQ(get("olivia").json()->getValue<std::string>("visibleTo"), "admin");
  // An admin cannot hide a link from admins; an owner can, and then admins
  // can no longer change it.
  expectProblem(put(R"({"settings":{"region":"eu"},"visibleTo":"owner"})"), 403, path(),
                "visibleTo");
  ASSERT_EQ(put(R"({"settings":{"region":"eu"},"visibleTo":"owner"})", "olivia").status, 200);
  expectProblem(get("adam"), 404, path());
  expectProblem(put(R"({"settings":{"region":"eu"}})"), 403, path());
  expectProblem(server().send("DELETE", path(), "adam", ""), 403, path());
}

// THE secrecy test: a secret sent to the API is nowhere in the database
// files (main file and write-ahead log) nor in the access log, while the API
// still reports it as set.
TEST_F(Integrations, SecretNeverReachesTheDatabaseInPlaintext) {
  const HttpResult stored =
      put(std::string(R"({"settings":{"region":"eu"},"secrets":{"token":")") + kCanary + "\"}}");
  ASSERT_EQ(stored.status, 201) << stored.body;
  EXPECT_EQ(stored.body.find(kCanary), std::string::npos);
  const HttpResult read = get("olivia");
  ASSERT_EQ(read.status, 200);
  EXPECT_TRUE(read.json()->getObject("secrets")->getObject("token")->getValue<bool>("set"));
  EXPECT_EQ(read.body.find(kCanary), std::string::npos);

  const std::string database = fileBytes(server().databasePath());
  ASSERT_FALSE(database.empty());
  const std::string wal = fileBytes(server().databasePath() + "-wal");
  ASSERT_FALSE((database + wal).empty());
  // The sealed row is there (so we looked at the right bytes), the secret is not.
  auto row = server().store().integrations().getIntegration(project_, "kitchen");
  ASSERT_TRUE(row.isOk() && row->has_value());
  EXPECT_NE((database + wal).find((*row)->secretsSealed), std::string::npos);
  EXPECT_EQ(database.find(kCanary), std::string::npos);
  EXPECT_EQ(wal.find(kCanary), std::string::npos);
  EXPECT_EQ(fileBytes(server().accessLogPath()).find(kCanary), std::string::npos);
}

}  // namespace
}  // namespace sb::testing
