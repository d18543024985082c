// GET /api/v1/connections over the real server: each configured connection
// with the caller's own state, no token or secret in the reply, removed
// connections left out and disabled ones with their reason.
#include <gtest/gtest.h>

#include "core/clock.hpp"
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

}  // namespace
}  // namespace sb::testing
