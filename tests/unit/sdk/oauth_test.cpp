// switchboard/oauth.hpp: the describe document and the reading of token
// replies, including the two provider quirks (201, comma-separated scopes).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <switchboard/encoding.hpp>
#include <switchboard/oauth.hpp>

namespace {

using switchboard::oauth::ConnectionDefaults;
using switchboard::oauth::describe;
using switchboard::oauth::readTokenReply;
using switchboard::oauth::TokenReplyRules;

std::string request(int status, const std::string& body) {
  return nlohmann::json{{"status", status}, {"body", body}}.dump();
}

TEST(OAuthHelpers, DescribeWritesOnlyWhatIsSet) {
  ConnectionDefaults defaults;
  defaults.authorizationEndpoint = "https://p.example/authorize";
  defaults.tokenEndpoint = "https://p.example/token";
  defaults.scopes = {"repo"};
  auto out = describe(defaults);
  ASSERT_TRUE(out.isOk());
  EXPECT_EQ(out.output,
            R"({"authorizationEndpoint":"https://p.example/authorize","tokenEndpoint":"https://p.example/token",)"
            R"("scopes":["repo"],"clientAuth":"client_secret_basic"})");
  defaults.revocationEndpoint = "https://p.example/revoke";
  EXPECT_NE(describe(defaults).output.find(R"("revocationEndpoint":"https://p.example/revoke")"), std::string::npos);
}

TEST(OAuthHelpers, ReadsAnRfc6749Reply) {
  auto out = readTokenReply(request(200, R"({"access_token":"at","token_type":"Bearer","expires_in":3600,)"
                                         R"("refresh_token":"rt","scope":"a b"})"));
  ASSERT_TRUE(out.isOk()) << out.output;
  EXPECT_EQ(out.output, R"({"accessToken":"at","refreshToken":"rt","expiresIn":3600,"scope":"a b"})");
  out = readTokenReply(request(200, R"({"access_token":"at"})"));
  ASSERT_TRUE(out.isOk());
  EXPECT_EQ(out.output, R"({"accessToken":"at"})");
}

TEST(OAuthHelpers, TheRulesAcceptA201AndCommaScopes) {
  const std::string body = R"({"access_token":"at","scope":"repo,gist"})";
  EXPECT_FALSE(readTokenReply(request(201, body)).isOk()) << "RFC 6749 §5.1 says 200";
  TokenReplyRules rules;
  rules.successStatuses = {200, 201};
  rules.scopeSeparator = ',';
  auto out = readTokenReply(request(201, body), rules);
  ASSERT_TRUE(out.isOk()) << out.output;
  EXPECT_EQ(out.output, R"({"accessToken":"at","scope":"repo gist"})");
}

// An unsigned JWT with `claims` as its payload, base64url without padding.
std::string idToken(const nlohmann::json& claims) {
  const auto url = [](std::string text) {
    std::string b64 = switchboard::encoding::base64Encode(text);
    while (!b64.empty() && b64.back() == '=') b64.pop_back();
    for (char& c : b64) c = c == '+' ? '-' : c == '/' ? '_' : c;
    return b64;
  };
  return url(R"({"alg":"RS256","typ":"JWT"})") + "." + url(claims.dump()) + ".c2lnbmF0dXJl";
}

std::string withIdToken(const std::string& token) {
  return request(200, nlohmann::json{{"access_token", "at"}, {"id_token", token}}.dump());
}

TEST(OAuthHelpers, AnOpenIdProvidersAccountComesFromTheIdTokensLabelClaims) {
  TokenReplyRules rules;
  rules.accountFromIdToken = true;
  const nlohmann::json all{{"sub", "u_1"}, {"preferred_username", "octo"}, {"email", "o@example.com"},
                           {"name", "Octo Cat"}};
  auto out = readTokenReply(withIdToken(idToken(all)), rules);
  ASSERT_TRUE(out.isOk()) << out.output;
  EXPECT_EQ(nlohmann::json::parse(out.output).value("account", ""), "octo");
  EXPECT_EQ(nlohmann::json::parse(readTokenReply(withIdToken(idToken({{"email", "o@example.com"}, {"name", "O"}})),
                                                 rules).output).value("account", ""),
            "o@example.com");
  EXPECT_EQ(nlohmann::json::parse(readTokenReply(withIdToken(idToken({{"name", "Octo Cat"}})), rules).output)
                .value("account", ""),
            "Octo Cat");
  // Without the rule the claims are not read.
  EXPECT_EQ(readTokenReply(withIdToken(idToken(all))).output, R"({"accessToken":"at"})");
}

TEST(OAuthHelpers, AnIdTokenWithoutAUsableLabelLeavesTheAccountOutAndTheTokenGood) {
  TokenReplyRules rules;
  rules.accountFromIdToken = true;
  const std::string longName(201, 'a');
  for (const std::string& token :
       {std::string("not-a-jwt"), std::string("a.b"), std::string("a.b.c.d"), std::string("e30.!!!.sig"),
        std::string("e30.W10.sig"),  // the payload is [] (an array)
        idToken({{"sub", "u_1"}}), idToken({{"preferred_username", ""}}), idToken({{"preferred_username", 7}}),
        idToken({{"name", longName}}), idToken({{"name", "two\nlines"}})}) {
    auto out = readTokenReply(withIdToken(token), rules);
    ASSERT_TRUE(out.isOk()) << token << ": " << out.output;
    EXPECT_EQ(out.output, R"({"accessToken":"at"})") << token;
  }
  // A usable claim after an unusable one is taken.
  auto out = readTokenReply(withIdToken(idToken({{"preferred_username", "tab\there"}, {"email", "o@example.com"}})),
                            rules);
  EXPECT_EQ(nlohmann::json::parse(out.output).value("account", ""), "o@example.com");
}

TEST(OAuthHelpers, RefusesWhatIsNotATokenWithoutQuotingIt) {
  for (const std::string& bad :
       {std::string("not json"), std::string(R"({"status":"200","body":"{}"})"), request(200, "<html>secret</html>"),
        request(200, R"({"access_token":""})"), request(200, R"({"access_token":7})"),
        request(200, R"({"token_type":"Bearer"})"), request(200, R"({"access_token":"secret","expires_in":-1})"),
        request(200, R"({"access_token":"secret","expires_in":"3600"})"), request(500, R"({"access_token":"secret"})")}) {
    auto out = readTokenReply(bad);
    EXPECT_EQ(out.status, SB_ERR_INVALID_ARGUMENT) << bad;
    EXPECT_EQ(out.output.find("secret"), std::string::npos) << out.output;
  }
}

}  // namespace
