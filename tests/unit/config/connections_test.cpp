// The `connections:` list: fields, required OAuth fields with file:line:col,
// key suggestions, and an unset ${VAR} that disables one connection instead
// of stopping start-up.
#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace sb {
namespace {

using testing::expectError;
using testing::fakeEnv;
using testing::parse;

const std::string kGithub = R"(connections:
  - name: github
    display_name: GitHub
    description: Repositories and checks
    icon_url: https://github.githubassets.com/favicon.ico
    oauth:
      client_id: Iv1.abc
      client_secret: ${GITHUB_CLIENT_SECRET}
      authorize_url: https://github.com/login/oauth/authorize
      token_url: https://github.com/login/oauth/access_token
      redirect_uri: https://switchboard.example/oauth/callback
      scopes: [repo, "read:org"]
      token_auth: client_secret_post
      extra_params:
        allow_signup: "false"
)";

TEST(ConnectionEntries, AProviderWithEveryField) {
  Result<Config> result = parse(kGithub, fakeEnv({{"GITHUB_CLIENT_SECRET", "s3cret"}}));
  ASSERT_TRUE(result.isOk()) << result.status().message();
  ASSERT_EQ(result->connections.size(), 1u);
  const ConnectionConfig& github = result->connections[0];
  EXPECT_EQ(github.name, "github");
  EXPECT_EQ(github.type, "oauth2");
  EXPECT_EQ(github.displayName, "GitHub");
  EXPECT_EQ(github.oauth.clientId, "Iv1.abc");
  EXPECT_EQ(github.oauth.clientSecret, "s3cret");
  EXPECT_EQ(github.oauth.tokenUrl, "https://github.com/login/oauth/access_token");
  EXPECT_EQ(github.oauth.redirectUri, "https://switchboard.example/oauth/callback");
  EXPECT_EQ(github.oauth.scopes, (std::vector<std::string>{"repo", "read:org"}));
  EXPECT_EQ(github.oauth.tokenAuth, "client_secret_post");
  ASSERT_EQ(github.oauth.extraParams.size(), 1u);
  EXPECT_EQ(github.oauth.extraParams[0].first, "allow_signup");
  EXPECT_EQ(github.oauth.extraParams[0].second, "false");
  EXPECT_EQ(github.refreshMarginMs, 60000);
  EXPECT_TRUE(github.disabledReason.empty());
  EXPECT_EQ(github.sourceLocation, testing::kConfigFile + ":2:5");
}

TEST(ConnectionEntries, AnUnsetSecretDisablesTheConnectionWithoutStoppingStartUp) {
  Result<Config> result = parse(kGithub);
  ASSERT_TRUE(result.isOk()) << result.status().message();
  ASSERT_EQ(result->connections.size(), 1u);
  EXPECT_EQ(result->connections[0].disabledReason, "environment variable 'GITHUB_CLIENT_SECRET' is not set");
  EXPECT_EQ(result->connections[0].oauth.clientSecret, "");
}

TEST(ConnectionEntries, AnMcpServerNeedsItsUrlButNotItsEndpoints) {
  Result<Config> result = parse(R"(connections:
  - name: linear-mcp
    type: mcp
    url: https://mcp.linear.app/mcp
    oauth:
      redirect_uri: https://switchboard.example/oauth/callback
)");
  ASSERT_TRUE(result.isOk()) << result.status().message();
  EXPECT_EQ(result->connections[0].type, "mcp");
  EXPECT_EQ(result->connections[0].url, "https://mcp.linear.app/mcp");
  EXPECT_EQ(result->connections[0].oauth.tokenAuth, "client_secret_basic");

  expectError("connections:\n  - name: m\n    type: mcp\n    oauth:\n      redirect_uri: https://a.example/cb\n",
              "2:5: connections[0].url: missing required key", "connections[0].url");
}

TEST(ConnectionEntries, AProviderPluginMaySupplyTheEndpointsButNotTheClientId) {
  Result<Config> result = parse(R"(connections:
  - name: github
    provider: github
    oauth:
      client_id: Iv1.abc
      redirect_uri: https://switchboard.example/oauth/callback
)");
  ASSERT_TRUE(result.isOk()) << result.status().message();
  const ConnectionConfig& github = result->connections[0];
  EXPECT_EQ(github.provider, "github");
  EXPECT_EQ(github.oauth.authorizeUrl, "");
  EXPECT_FALSE(github.oauth.scopesSet) << "the plugin's scopes apply";
  EXPECT_FALSE(github.oauth.tokenAuthSet);

  Result<Config> written = parse(R"(connections:
  - name: github
    provider: github
    oauth:
      client_id: Iv1.abc
      redirect_uri: https://switchboard.example/oauth/callback
      scopes: []
      token_auth: client_secret_basic
)");
  ASSERT_TRUE(written.isOk()) << written.status().message();
  EXPECT_TRUE(written->connections[0].oauth.scopesSet) << "an empty list written is the operator's choice";
  EXPECT_TRUE(written->connections[0].oauth.tokenAuthSet);

  expectError("connections:\n  - name: gh\n    provider: github\n    oauth:\n      redirect_uri: https://a.example/cb\n",
              "5:7: connections[0].oauth.client_id: missing required key", "connections[0].oauth.client_id");
  expectError("connections:\n  - name: gh\n    provider: GitHub\n    oauth: {redirect_uri: https://a.example/cb}\n",
              "3:15: connections[0].provider: must match [a-z][a-z0-9_-]* (at most 64 characters)",
              "connections[0].provider");
}

TEST(ConnectionEntries, StructuralMistakesStopStartUpWithTheirPlace) {
  expectError("connections:\n  - name: gh\n    oauth:\n      client_id: x\n      authorize_url: https://a.example/a\n"
              "      redirect_uri: https://a.example/cb\n",
              "4:7: connections[0].oauth.token_url: missing required key", "connections[0].oauth.token_url");
  expectError("connections:\n  - name: gh\n    oauht: {}\n",
              "3:5: connections[0].oauht: unknown key (did you mean 'oauth'?)", "connections[0].oauht");
  expectError("connections:\n  - name: gh\n    oauth:\n      client_id: x\n      authorize_url: https://a.example/a\n"
              "      token_url: https://a.example/t\n      redirect_uri: https://a.example/cb\n"
              "      token_auth: both\n",
              "8:19: connections[0].oauth.token_auth: must be one of 'client_secret_basic', 'client_secret_post', "
              "got 'both'",
              "connections[0].oauth.token_auth");
  expectError("connections:\n  - name: gh\n    oauth:\n      client_id: x\n      authorize_url: ftp://a.example/a\n"
              "      token_url: https://a.example/t\n      redirect_uri: https://a.example/cb\n",
              "5:22: connections[0].oauth.authorize_url: must be an http:// or https:// URL with a host",
              "connections[0].oauth.authorize_url");
  expectError("connections:\n  - name: GitHub\n    oauth: {}\n",
              "2:11: connections[0].name: must match [a-z][a-z0-9_-]* (at most 64 characters)",
              "connections[0].name");
  expectError("connections: github\n", "1:14: connections: expected a list of connections, got 'github'",
              "connections");
}

TEST(ConnectionEntries, FlowParametersAndDuplicatesAreRefused) {
  const std::string base =
      "connections:\n  - name: gh\n    oauth:\n      client_id: x\n      authorize_url: https://a.example/a\n"
      "      token_url: https://a.example/t\n      redirect_uri: https://a.example/cb\n";
  expectError(base + "      extra_params:\n        state: fixed\n",
              "9:9: connections[0].oauth.extra_params.state: is set by the authorization flow and cannot be "
              "configured",
              "connections[0].oauth.extra_params.state");
  expectError(base + "      scopes: [\"a b\"]\n",
              "8:16: connections[0].oauth.scopes[0]: a scope is one non-empty word without spaces, quotes or "
              "backslashes",
              "connections[0].oauth.scopes[0]");
  expectError(base + base.substr(std::string("connections:\n").size()),
              "8:5: connections[1]: duplicate connection name 'gh'",
              "connections[1]");
}

TEST(ConnectionEntries, EgressWidensTheDefaultPolicyForThisConnectionOnly) {
  const std::string base =
      "connections:\n  - name: gh\n    oauth:\n      client_id: x\n      authorize_url: https://a.example/a\n"
      "      token_url: https://a.example/t\n      redirect_uri: https://a.example/cb\n";
  Result<Config> plain = parse(base, fakeEnv({}));
  ASSERT_TRUE(plain.isOk()) << plain.status().message();
  EXPECT_FALSE(plain->connections[0].egress.allowHttp);
  EXPECT_TRUE(plain->connections[0].egress.allow.empty());
  Result<Config> widened = parse(base + "    egress: {allow_http: true, allow: [127.0.0.1, Login.Internal]}\n", fakeEnv({}));
  ASSERT_TRUE(widened.isOk()) << widened.status().message();
  EXPECT_TRUE(widened->connections[0].egress.allowHttp);
  EXPECT_EQ(widened->connections[0].egress.allow, (std::vector<std::string>{"127.0.0.1", "login.internal"}));
  expectError(base + "    egress: {allow: [\"*.internal\"]}\n",
              "8:22: connections[0].egress.allow[0]: '*.internal': wildcards are not supported; name each host",
              "connections[0].egress.allow[0]");
}

}  // namespace
}  // namespace sb
