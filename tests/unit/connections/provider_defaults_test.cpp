// mergeProviderDescribe: a provider plugin's on_describe fills only what the
// operator's YAML left out, field by field, and a malformed document fills
// nothing.
#include <gtest/gtest.h>

#include "connections/provider_defaults.hpp"

namespace sb::connections {
namespace {

constexpr const char* kGithubLike =
    R"({"authorizationEndpoint":"https://p.example/authorize","tokenEndpoint":"https://p.example/token",)"
    R"("revocationEndpoint":"https://p.example/revoke","scopes":["repo"],"clientAuth":"client_secret_post"})";

TEST(ProviderDefaults, FillsEverythingTheYamlLeftOut) {
  ConnectionConfig connection;
  ASSERT_TRUE(mergeProviderDescribe(connection, kGithubLike));
  EXPECT_EQ(connection.oauth.authorizeUrl, "https://p.example/authorize");
  EXPECT_EQ(connection.oauth.tokenUrl, "https://p.example/token");
  EXPECT_EQ(connection.oauth.revocationUrl, "https://p.example/revoke");
  EXPECT_EQ(connection.oauth.scopes, std::vector<std::string>{"repo"});
  EXPECT_EQ(connection.oauth.tokenAuth, "client_secret_post");
}

TEST(ProviderDefaults, TheYamlWinsFieldByField) {
  ConnectionConfig connection;
  connection.oauth.tokenUrl = "https://proxy.example/token";
  connection.oauth.scopesSet = true;  // `scopes: []` written: no scopes, not the plugin's
  connection.oauth.tokenAuth = "client_secret_basic";
  connection.oauth.tokenAuthSet = true;
  ASSERT_TRUE(mergeProviderDescribe(connection, kGithubLike));
  EXPECT_EQ(connection.oauth.authorizeUrl, "https://p.example/authorize");
  EXPECT_EQ(connection.oauth.tokenUrl, "https://proxy.example/token");
  EXPECT_TRUE(connection.oauth.scopes.empty());
  EXPECT_EQ(connection.oauth.tokenAuth, "client_secret_basic");
}

TEST(ProviderDefaults, EmptyEndpointsOfADiscoveringProviderFillNothing) {
  ConnectionConfig connection;
  connection.type = "mcp";
  ASSERT_TRUE(mergeProviderDescribe(
      connection, R"({"authorizationEndpoint":"","tokenEndpoint":"","scopes":[],"clientAuth":"client_secret_basic",)"
                  R"("discovery":true})"));
  EXPECT_EQ(connection.oauth.authorizeUrl, "");
  EXPECT_EQ(connection.oauth.tokenUrl, "");
}

TEST(ProviderDefaults, AMalformedDocumentIsRefusedAndFillsNothing) {
  for (const char* bad : {"not json", "[]", R"({"authorizationEndpoint":7})",
                          R"({"authorizationEndpoint":"ftp://p.example/a"})", R"({"scopes":"repo"})",
                          R"({"scopes":["two words"]})", R"({"scopes":[1]})", R"({"clientAuth":"private_key_jwt"})",
                          R"({"tokenEndpoint":"https://p.example/token","clientAuth":"none"})"}) {
    ConnectionConfig connection;
    Status merged = mergeProviderDescribe(connection, bad);
    EXPECT_FALSE(merged) << bad;
    EXPECT_EQ(merged.code(), ErrorCode::InvalidArgument) << bad;
    EXPECT_EQ(merged.message().rfind("on_describe: ", 0), 0u) << merged.message();
    EXPECT_EQ(connection.oauth.tokenUrl, "") << bad;
    EXPECT_EQ(connection.oauth.tokenAuth, "client_secret_basic") << bad;
  }
}

}  // namespace
}  // namespace sb::connections
