// GET /api/v1/connections over the real server: each configured connection
// with the caller's own state, no token or secret in the reply, removed
// connections left out and disabled ones with their reason.
#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include "connections/pkce.hpp"
#include "core/clock.hpp"
#include "crypto/secret_box.hpp"
#include "test_server.hpp"

namespace sb::testing {
namespace {

ConnectionRecord connection(const std::string& name, const std::string& type = "oauth2") {
  ConnectionRecord out;
  out.name = name;
  out.type = type;
  out.displayName = "Display " + name;
  out.iconUrl = "javascript:alert(1)";
  if (type == "mcp") out.url = "https://mcp.example/mcp";
  out.settingsJson = R"({"client_id":"client-id-of-)" + name + R"("})";
  return out;
}

OAuthTokenRecord grant(const std::string& userId, const std::string& name, std::int64_t expiresAtMs) {
  OAuthTokenRecord out;
  out.userId = userId;
  out.connectionName = name;
  out.tokenSealed = "v1.sealed-token-blob-" + name;
  out.accountLabel = "olivia@" + name;
  out.scopes = "repo read:org";
  out.expiresAtMs = expiresAtMs;
  return out;
}

TEST(Connections, ListsEachConfiguredConnectionWithTheCallersOwnState) {
  Store& store = testServer().store();
  ConnectionRecord disabled = connection("disabled-one");
  disabled.enabled = false;
  disabled.disabledReason = "environment variable 'X_SECRET' is not set";
  ASSERT_TRUE(store.connections().syncConfigs({connection("removed-one")}).isOk());
  ASSERT_TRUE(store.connections()
                  .syncConfigs({connection("connected-one"), connection("expired-one"), connection("mcp-one", "mcp"),
                                connection("revoked-one"), connection("unused-one"), disabled})
                  .isOk());
  auto olivia = store.users().findUser("olivia");
  ASSERT_TRUE(olivia.isOk() && olivia->has_value());
  const std::string userId = (*olivia)->id;
  const std::int64_t now = systemNowMs();
  ASSERT_TRUE(store.connections().putToken(grant(userId, "connected-one", now + 3'600'000)).isOk());
  ASSERT_TRUE(store.connections().putToken(grant(userId, "mcp-one", 0)).isOk());
  ASSERT_TRUE(store.connections().putToken(grant(userId, "expired-one", now - 1000)).isOk());
  ASSERT_TRUE(store.connections().putToken(grant(userId, "disabled-one", now + 3'600'000)).isOk());
  auto revoked = store.connections().putToken(grant(userId, "revoked-one", now + 3'600'000));
  ASSERT_TRUE(revoked.isOk());
  ASSERT_TRUE(store.connections().markRevoked(revoked->id).isOk());

  const HttpResult result = testServer().get("/api/v1/connections", "olivia");
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(itemValues(result, "name"),
            (std::vector<std::string>{"connected-one", "disabled-one", "expired-one", "mcp-one", "revoked-one",
                                      "unused-one"}))
      << "a connection removed from the configuration is not offered";
  EXPECT_EQ(itemValues(result, "state"),
            (std::vector<std::string>{"connected", "disabled", "expired", "connected", "revoked", "not_connected"}));
  const auto items = result.json()->getArray("items");
  const auto connected = items->getObject(0);
  EXPECT_EQ(connected->getValue<std::string>("displayName"), "Display connected-one");
  EXPECT_EQ(connected->getValue<std::string>("iconUrl"), "") << "a link that may not leave the server is dropped";
  EXPECT_EQ(connected->getValue<std::string>("accountLabel"), "olivia@connected-one");
  ASSERT_EQ(connected->getArray("scopes")->size(), 2u);
  EXPECT_EQ(connected->getArray("scopes")->getElement<std::string>(1), "read:org");
  EXPECT_EQ(connected->getValue<std::string>("expiresAt").size(), 24u);
  EXPECT_FALSE(connected->has("url"));
  const auto disabledItem = items->getObject(1);
  EXPECT_EQ(disabledItem->getValue<std::string>("disabledReason"), "environment variable 'X_SECRET' is not set");
  EXPECT_FALSE(disabledItem->has("accountLabel"));
  const auto mcp = items->getObject(3);
  EXPECT_EQ(mcp->getValue<std::string>("url"), "https://mcp.example/mcp");
  EXPECT_FALSE(mcp->has("expiresAt")) << "an unknown expiry is left out, not reported as never";
  EXPECT_FALSE(items->getObject(5)->has("accountLabel"));
  EXPECT_EQ(result.body.find("sealed-token-blob"), std::string::npos);
  EXPECT_EQ(result.body.find("client-id-of"), std::string::npos);

  // Another user sees the same connections, none of them connected.
  const HttpResult other = testServer().get("/api/v1/connections", "vic");
  ASSERT_EQ(other.status, 200) << other.body;
  EXPECT_EQ(itemValues(other, "state"), (std::vector<std::string>{"not_connected", "disabled", "not_connected",
                                                                   "not_connected", "not_connected",
                                                                   "not_connected"}));

  HttpCall anonymous;
  anonymous.path = "/api/v1/connections";
  EXPECT_EQ(testServer().call(anonymous).status, 401);
}

ConnectionRecord authorizable(const std::string& name, const std::string& type) {
  ConnectionRecord out = connection(name, type);
  out.settingsJson =
      R"({"client_id":"cid","authorize_url":"https://auth.example/authorize?prompt=consent",)"
      R"("redirect_uri":"https://switchboard.example:8443/oauth/callback","scopes":["repo","read:org"],)"
      R"("extra_params":{"allow_signup":"false"}})";
  return out;
}

std::map<std::string, std::string> queryOf(const std::string& url) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : Poco::URI(url).getQueryParameters()) out[name] = value;
  return out;
}

class ConnectionAuthorize : public ::testing::Test {
 protected:
  void SetUp() override {
    ConnectionRecord disabled = authorizable("auth-disabled", "oauth2");
    disabled.enabled = false;
    disabled.disabledReason = "environment variable 'S' is not set";
    ConnectionRecord noEndpoint = connection("auth-mcp-undiscovered", "mcp");
    ASSERT_TRUE(testServer()
                    .store()
                    .connections()
                    .syncConfigs({authorizable("auth-github", "oauth2"), authorizable("auth-mcp", "mcp"), disabled,
                                  noEndpoint})
                    .isOk());
  }
  HttpResult authorize(const std::string& name, const std::string& body, const std::string& user = "olivia") {
    return testServer().send("POST", "/api/v1/connections/" + name + "/authorize", user, body);
  }
};

TEST_F(ConnectionAuthorize, GivesAnAuthorizationUrlWithStatePkceAndTheExactRedirectUri) {
  const HttpResult result = authorize("auth-github", R"({"returnTo":"https://switchboard.example:8443/settings"})");
  ASSERT_EQ(result.status, 200) << result.body;
  const std::string url = result.json()->getValue<std::string>("authorizationUrl");
  EXPECT_EQ(result.json()->getValue<std::string>("expiresAt").size(), 24u);
  EXPECT_EQ(url.rfind("https://auth.example/authorize?", 0), 0u) << url;
  auto query = queryOf(url);
  EXPECT_EQ(query["prompt"], "consent") << "the endpoint's own query is kept";
  EXPECT_EQ(query["response_type"], "code");
  EXPECT_EQ(query["client_id"], "cid");
  EXPECT_EQ(query["redirect_uri"], "https://switchboard.example:8443/oauth/callback");
  EXPECT_EQ(query["scope"], "repo read:org");
  EXPECT_EQ(query["code_challenge_method"], "S256");
  EXPECT_EQ(query["code_challenge"].size(), 43u);
  EXPECT_EQ(query["allow_signup"], "false");
  EXPECT_EQ(query.count("resource"), 0u) << "resource is for MCP servers";
  const std::string state = query["state"];
  ASSERT_EQ(state.size(), 43u);

  // Stored by the state's hash, bound to the caller; the sealed part holds
  // the verifier whose challenge went out, the redirect_uri and returnTo.
  auto pending = testServer().store().connections().consumePendingAuthorization(connections::stateHash(state),
                                                                               systemNowMs());
  ASSERT_TRUE(pending.isOk() && pending->has_value());
  auto olivia = testServer().store().users().findUser("olivia");
  ASSERT_TRUE(olivia.isOk() && olivia->has_value());
  EXPECT_EQ((*pending)->userId, (*olivia)->id);
  EXPECT_EQ((*pending)->connectionName, "auth-github");
  EXPECT_EQ((*pending)->pendingSealed.find(state), std::string::npos);
  auto opened = testServer().secretBox().open((*pending)->pendingSealed,
                                              oauthPendingContext((*olivia)->id, "auth-github"));
  ASSERT_TRUE(opened.isOk());
  auto sealed = Poco::JSON::Parser().parse(*opened).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(connections::codeChallengeS256(sealed->getValue<std::string>("code_verifier")), query["code_challenge"]);
  EXPECT_EQ(sealed->getValue<std::string>("redirect_uri"), query["redirect_uri"]);
  EXPECT_EQ(sealed->getValue<std::string>("return_to"), "https://switchboard.example:8443/settings");

  // Every request gets its own state and verifier.
  const HttpResult again = authorize("auth-github", "");
  ASSERT_EQ(again.status, 200) << again.body;
  auto second = queryOf(again.json()->getValue<std::string>("authorizationUrl"));
  EXPECT_NE(second["state"], state);
  EXPECT_NE(second["code_challenge"], query["code_challenge"]);
}

TEST_F(ConnectionAuthorize, AnMcpServerGetsItsResourceIndicator) {
  const HttpResult result = authorize("auth-mcp", "{}");
  ASSERT_EQ(result.status, 200) << result.body;
  auto query = queryOf(result.json()->getValue<std::string>("authorizationUrl"));
  EXPECT_EQ(query["resource"], "https://mcp.example/mcp");  // RFC 8707
}

TEST_F(ConnectionAuthorize, RefusesWithAProblemNeverA500) {
  for (const std::string returnTo :
       {"https://evil.example/", "https://switchboard.example/settings", "http://switchboard.example:8443/x",
        "javascript:alert(1)", "//evil.example/", "/relative", "https://user@switchboard.example:8443/",
        "https://switchboard.example:8443/a\\b"}) {
    const HttpResult result = authorize("auth-github", R"({"returnTo":")" + returnTo + R"("})");
    EXPECT_EQ(result.status, 400) << returnTo << " " << result.body;
    EXPECT_EQ(result.header("Content-Type"), "application/problem+json") << returnTo;
  }
  EXPECT_EQ(authorize("auth-github", R"({"returnTo":5})").status, 400);
  EXPECT_EQ(authorize("auth-github", R"({"return_to":"x"})").status, 400);
  EXPECT_EQ(authorize("auth-github", "[1]").status, 400);
  EXPECT_EQ(authorize("auth-github", "{").status, 400);
  EXPECT_EQ(authorize("no-such-connection", "{}").status, 404);
  const HttpResult disabled = authorize("auth-disabled", "{}");
  EXPECT_EQ(disabled.status, 409) << disabled.body;
  EXPECT_NE(disabled.body.find("environment variable 'S' is not set"), std::string::npos);
  EXPECT_EQ(authorize("auth-mcp-undiscovered", "{}").status, 409);
  HttpCall anonymous;
  anonymous.method = "POST";
  anonymous.path = "/api/v1/connections/auth-github/authorize";
  anonymous.body = "{}";
  EXPECT_EQ(testServer().call(anonymous).status, 401);
}

}  // namespace
}  // namespace sb::testing
