// judgeTokenReply: what a token endpoint's reply must look like to be
// stored (RFC 6749 §5.1) and how its failures are classified (§5.2: only
// invalid_grant means the grant is gone; 5xx and 429 are transient).
#include <gtest/gtest.h>

#include "connections/token_client.hpp"

namespace sb::connections {
namespace {

const std::vector<std::pair<std::string, std::string>> kJson{{"Content-Type", "application/json;charset=UTF-8"}};

TEST(TokenReply, AcceptsAValidReplyAndReadsEveryField) {
  auto out = judgeTokenReply(200, kJson,
                             R"({"access_token":"at","token_type":"bearer","expires_in":3600,)"
                             R"("refresh_token":"rt","scope":"repo read:org"})");
  ASSERT_TRUE(out.ok()) << out.message;
  EXPECT_EQ(out.grant->accessToken, "at");
  EXPECT_EQ(out.grant->refreshToken, "rt");
  EXPECT_EQ(out.grant->scope, "repo read:org");
  EXPECT_EQ(out.grant->expiresInSeconds, 3600);
}

TEST(TokenReply, AnAbsentExpiresInIsUnknownNotNever) {
  auto out = judgeTokenReply(200, kJson, R"({"access_token":"at","token_type":"Bearer"})");
  ASSERT_TRUE(out.ok()) << out.message;
  EXPECT_EQ(out.grant->expiresInSeconds, 0);
  EXPECT_EQ(out.grant->refreshToken, "");
}

TEST(TokenReply, RefusesWhatIsNotAStrictTokenReply) {
  const std::vector<std::pair<std::string, std::string>> html{{"Content-Type", "text/html"}};
  struct Case {
    const char* why;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
  };
  const std::vector<Case> cases{
      {"HTML page", html, "<html><body>{\"access_token\":\"x\"}</body></html>"},
      {"JSON sent as text/html", html, R"({"access_token":"at","token_type":"Bearer"})"},
      {"not JSON", kJson, "access_token=at&token_type=bearer"},
      {"a list", kJson, R"([{"access_token":"at"}])"},
      {"no access_token", kJson, R"({"token_type":"Bearer"})"},
      {"empty access_token", kJson, R"({"access_token":"","token_type":"Bearer"})"},
      {"access_token a number", kJson, R"({"access_token":12345,"token_type":"Bearer"})"},
      {"no token_type", kJson, R"({"access_token":"at"})"},
      {"token_type mac", kJson, R"({"access_token":"at","token_type":"mac"})"},
      {"expires_in a string", kJson, R"({"access_token":"at","token_type":"Bearer","expires_in":"3600"})"},
      {"expires_in negative", kJson, R"({"access_token":"at","token_type":"Bearer","expires_in":-1})"},
      {"expires_in fractional", kJson, R"({"access_token":"at","token_type":"Bearer","expires_in":1.5})"},
      {"refresh_token an object", kJson, R"({"access_token":"at","token_type":"Bearer","refresh_token":{}})"},
      {"scope a list", kJson, R"({"access_token":"at","token_type":"Bearer","scope":["a"]})"},
      {"oversized", kJson, std::string(kMaxTokenReplyBytes + 1, ' ')},
  };
  for (const Case& c : cases) {
    auto out = judgeTokenReply(200, c.headers, c.body);
    EXPECT_FALSE(out.ok()) << c.why;
    EXPECT_EQ(out.failure, TokenFailureKind::Refused) << c.why;
    EXPECT_EQ(out.message.find("at\""), std::string::npos) << "a message never repeats the body: " << c.why;
  }
}

TEST(TokenReply, OnlyInvalidGrantMeansTheGrantIsGone) {
  auto revoked = judgeTokenReply(400, kJson, R"({"error":"invalid_grant","error_description":"expired"})");
  EXPECT_EQ(revoked.failure, TokenFailureKind::Revoked);
  for (const char* error : {"invalid_client", "invalid_request", "unauthorized_client", "invalid_scope"}) {
    auto out = judgeTokenReply(error == std::string("invalid_client") ? 401 : 400, kJson,
                               std::string(R"({"error":")") + error + "\"}");
    EXPECT_EQ(out.failure, TokenFailureKind::Refused) << error;
    EXPECT_NE(out.message.find(error), std::string::npos) << out.message;
  }
  // GitHub's classic endpoint answers 200 with an error body.
  auto github = judgeTokenReply(200, kJson, R"({"error":"bad_refresh_token"})");
  EXPECT_EQ(github.failure, TokenFailureKind::Revoked);
}

TEST(TokenReply, ServerErrorsAndRateLimitsAreTransientWithRetryAfter) {
  EXPECT_EQ(judgeTokenReply(500, kJson, "{}").failure, TokenFailureKind::Transient);
  EXPECT_EQ(judgeTokenReply(503, {{"Content-Type", "text/html"}}, "<html/>").failure, TokenFailureKind::Transient);
  auto limited = judgeTokenReply(429, {{"Retry-After", "7"}}, "");
  EXPECT_EQ(limited.failure, TokenFailureKind::Transient);
  EXPECT_EQ(limited.retryAfterMs, 7000);
  EXPECT_EQ(judgeTokenReply(429, {{"Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"}}, "").retryAfterMs, 0);
}

// A provider plugin's reading of a reply (on_token_response): the host passes
// the reply through and judges what the plugin gives back, "account" included.
TokenOutcome adapted(const std::string& pluginOutput, std::string* requestSeen = nullptr) {
  ConnectionConfig connection;
  connection.provider = "acme";
  connection.tokenReplyAdapter = [&](const std::string& request) -> Result<std::string> {
    if (requestSeen != nullptr) *requestSeen = request;
    return pluginOutput;
  };
  AuthorizationServerReply reply;
  reply.status = 201;
  reply.body = R"({"access_token":"at"})";
  return adaptedTokenReply(connection, reply);
}

TEST(TokenReply, AnAdaptedReplyCarriesTheAccountThePluginNamed) {
  std::string request;
  auto out = adapted(R"({"accessToken":"at","scope":"repo","account":"octocat"})", &request);
  ASSERT_TRUE(out.ok()) << out.message;
  EXPECT_EQ(out.grant->account, "octocat");
  EXPECT_EQ(out.grant->scope, "repo");
  EXPECT_NE(request.find(R"("status":201)"), std::string::npos) << request;
  EXPECT_NE(request.find(R"("body":")"), std::string::npos) << request;
  auto unnamed = adapted(R"({"accessToken":"at"})");
  ASSERT_TRUE(unnamed.ok()) << unnamed.message;
  EXPECT_EQ(unnamed.grant->account, "");
}

TEST(TokenReply, AnAccountThatIsNotAShortOneLineStringRefusesTheReply) {
  const std::string longest(kMaxAccountLabelBytes, 'a');
  EXPECT_TRUE(adapted(R"({"accessToken":"at","account":")" + longest + R"("})").ok());
  for (const std::string& account : {std::string("42"), "\"" + longest + "a\"", std::string(R"("two\nlines")"),
                                     std::string(R"("bell\u0007")"), std::string(R"({"login":"octocat"})")}) {
    auto out = adapted(R"({"accessToken":"at","account":)" + account + "}");
    EXPECT_FALSE(out.ok()) << account;
    EXPECT_EQ(out.failure, TokenFailureKind::Refused) << account;
    EXPECT_NE(out.message.find("account not a string"), std::string::npos) << out.message;
    EXPECT_EQ(out.message.find("octocat"), std::string::npos) << "the plugin's output is not quoted";
  }
}

}  // namespace
}  // namespace sb::connections
