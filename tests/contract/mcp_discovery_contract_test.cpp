// mcp_oauth's discovery (on_discover) against the fake authorization server
// and protected resource (tests/fakes/oauth_fake.hpp), loaded by the host's
// loader with the host's HTTP client: RFC 9728 metadata from the 401's
// WWW-Authenticate, else the path-aware well-known URL, then the root one;
// RFC 8414 metadata with the issuer checked and PKCE S256 required. Plus
// the URL and header rules on their own (mcp_discovery.cpp is compiled in).
#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include "contract_support.hpp"
#include "mcp_discovery.hpp"
#include "oauth_fake.hpp"
#include "plugins/plugin_loader.hpp"

namespace sb::test {
namespace {

class McpDiscovery : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_.start();
    Result<OpenedPlugin> opened = openPlugin(std::string(SWITCHBOARD_BUNDLED_PLUGIN_DIR) + "/mcp_oauth.so");
    ASSERT_TRUE(opened.isOk()) << opened.status().message();
    auto loaded = LoadedPlugin::initialise(std::move(opened).value(), fakeProviderServices("mcp_oauth", fake_), "{}");
    ASSERT_TRUE(loaded.isOk()) << loaded.status().message();
    plugin_ = std::move(loaded).value();
  }

  HookOutcome discover(const std::string& serverUrl, const std::string& challenge = {}) {
    std::string request = "{\"serverUrl\":\"" + serverUrl + "\"";
    if (!challenge.empty()) request += ",\"wwwAuthenticate\":\"" + challenge + "\"";
    return plugin_->invoke(PluginHook::ConnectionDiscover, request + "}");
  }

  std::vector<std::string> paths() const {
    std::vector<std::string> out;
    for (const auto& request : fake_.requests()) out.push_back(request.path);
    return out;
  }

  fakes::FakeServer fake_{fakes::makeOAuthFake()};
  std::shared_ptr<LoadedPlugin> plugin_;
};

TEST_F(McpDiscovery, FollowsTheChallengeOfThe401ToTheAuthorizationServer) {
  const HookOutcome found = discover(fake_.baseUrl() + "/mcp");
  ASSERT_EQ(found.status, SB_OK) << found.output;
  auto out = Poco::JSON::Parser().parse(found.output).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(out->getValue<std::string>("issuer"), fake_.baseUrl());
  EXPECT_EQ(out->getValue<std::string>("resource"), fake_.baseUrl() + "/mcp");
  EXPECT_EQ(out->getValue<std::string>("authorizationEndpoint"), fake_.baseUrl() + "/authorize");
  EXPECT_EQ(out->getValue<std::string>("tokenEndpoint"), fake_.baseUrl() + "/token");
  EXPECT_EQ(out->getValue<std::string>("revocationEndpoint"), fake_.baseUrl() + "/revoke");
  EXPECT_EQ(out->getValue<std::string>("registrationEndpoint"), fake_.baseUrl() + "/register");
  EXPECT_FALSE(out->getValue<bool>("clientIdMetadataDocumentSupported"));
  EXPECT_EQ(out->getValue<std::string>("clientAuth"), "client_secret_basic");
  EXPECT_EQ(paths(), (std::vector<std::string>{"/mcp", "/.well-known/oauth-protected-resource/mcp",
                                               "/.well-known/oauth-authorization-server"}));
}

TEST_F(McpDiscovery, WithoutResourceMetadataInTheChallengeTriesPathAwareThenRoot) {
  // A resource at /other: its path-aware document is missing (404), the root
  // one is about /mcp, so the metadata is refused as another resource's.
  const HookOutcome other = discover(fake_.baseUrl() + "/other", "Bearer realm=\\\"x\\\"");
  EXPECT_EQ(other.status, SB_ERR_INVALID_ARGUMENT) << other.output;
  EXPECT_NE(other.output.find("not '" + fake_.baseUrl() + "/other'"), std::string::npos) << other.output;
  EXPECT_EQ(paths(), (std::vector<std::string>{"/.well-known/oauth-protected-resource/other",
                                               "/.well-known/oauth-protected-resource"}));
}

TEST_F(McpDiscovery, RefusesAWrongIssuerAndAServerWithoutS256) {
  fake_.setMode("wrong_issuer");
  const HookOutcome wrong = discover(fake_.baseUrl() + "/mcp");
  EXPECT_EQ(wrong.status, SB_ERR_INVALID_ARGUMENT);
  EXPECT_NE(wrong.output.find("expected '" + fake_.baseUrl() + "'"), std::string::npos) << wrong.output;
  fake_.setMode("no_s256");
  const HookOutcome plain = discover(fake_.baseUrl() + "/mcp");
  EXPECT_EQ(plain.status, SB_ERR_INVALID_ARGUMENT);
  EXPECT_NE(plain.output.find("S256"), std::string::npos) << plain.output;
}

TEST_F(McpDiscovery, AnUnreachableServerIsUnavailableAndBadInputInvalid) {
  fake_.setMode("malformed");  // every metadata document is not JSON
  EXPECT_EQ(discover(fake_.baseUrl() + "/mcp", "Bearer realm=\\\"x\\\"").status, SB_ERR_UNAVAILABLE);
  EXPECT_EQ(plugin_->invoke(PluginHook::ConnectionDiscover, "{}").status, SB_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(plugin_->invoke(PluginHook::ConnectionDiscover, "{\"serverUrl\":\"ftp://x/\"}").status,
            SB_ERR_INVALID_ARGUMENT);
}

TEST(McpDiscoveryRules, ResourceMetadataParameterOfABearerChallenge) {
  EXPECT_EQ(mcp::resourceMetadataFrom(R"(Bearer resource_metadata="https://a.example/.well-known/x")"),
            "https://a.example/.well-known/x");
  EXPECT_EQ(mcp::resourceMetadataFrom(R"(Bearer error="invalid_token", Resource_Metadata="https://b/")"), "https://b/");
  EXPECT_EQ(mcp::resourceMetadataFrom("Bearer resource_metadata=https://c/m, scope=x"), "https://c/m");
  EXPECT_EQ(mcp::resourceMetadataFrom(R"(Bearer realm="x", not_resource_metadata="y")"), "");
  EXPECT_EQ(mcp::resourceMetadataFrom(""), "");
}

TEST(McpDiscoveryRules, WellKnownUrlsInTheSpecifiedOrder) {
  EXPECT_EQ(mcp::resourceMetadataUrls("https://mcp.example/v1/mcp/"),
            (std::vector<std::string>{"https://mcp.example/.well-known/oauth-protected-resource/v1/mcp",
                                      "https://mcp.example/.well-known/oauth-protected-resource"}));
  EXPECT_EQ(mcp::resourceMetadataUrls("https://mcp.example"),
            (std::vector<std::string>{"https://mcp.example/.well-known/oauth-protected-resource"}));
  EXPECT_EQ(mcp::authorizationServerMetadataUrls("https://as.example/tenant1"),
            (std::vector<std::string>{"https://as.example/.well-known/oauth-authorization-server/tenant1",
                                      "https://as.example/.well-known/openid-configuration/tenant1",
                                      "https://as.example/tenant1/.well-known/openid-configuration"}));
  EXPECT_EQ(mcp::authorizationServerMetadataUrls("https://as.example"),
            (std::vector<std::string>{"https://as.example/.well-known/oauth-authorization-server",
                                      "https://as.example/.well-known/openid-configuration"}));
}

}  // namespace
}  // namespace sb::test
