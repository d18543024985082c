#include <gtest/gtest.h>

#include "auth/tokens.hpp"
#include "test_server.hpp"

namespace sb::testing {
namespace {

constexpr const char* kPath = "/api/v1/plugins";

TEST(Auth, MissingTokenIs401WithBareChallenge) {
  HttpCall call;
  call.path = kPath;
  const HttpResult result = testServer().call(call);
  expectProblem(result, 401, kPath, "Authorization");
  EXPECT_EQ(result.header("WWW-Authenticate"), "Bearer realm=\"switchboard\"");
  EXPECT_EQ(result.header("Cache-Control"), "no-store");
}

TEST(Auth, MalformedHeaderIs401InvalidRequest) {
  for (const std::string value : {"Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Bearer a b",
                                  "Token sbt_abc", "Bearer sbt_\"quoted\""}) {
    HttpCall call;
    call.path = kPath;
    call.headers = {{"Authorization", value}};
    const HttpResult result = testServer().call(call);
    expectProblem(result, 401, kPath, "Authorization");
    EXPECT_EQ(result.header("WWW-Authenticate"),
              "Bearer realm=\"switchboard\", error=\"invalid_request\"")
        << value;
  }
}

TEST(Auth, UnknownTokenIs401InvalidToken) {
  HttpCall call;
  call.path = kPath;
  call.token = generateApiToken();
  const HttpResult result = testServer().call(call);
  expectProblem(result, 401, kPath, "Authorization");
  EXPECT_EQ(result.header("WWW-Authenticate"),
            "Bearer realm=\"switchboard\", error=\"invalid_token\"");
}

TEST(Auth, SchemeIsCaseInsensitiveAndValidTokenIsAccepted) {
  HttpCall call;
  call.path = kPath;
  call.headers = {{"Authorization", "bearer " + testServer().token("vic")}};
  EXPECT_EQ(testServer().call(call).status, 200);
}

TEST(Auth, EveryApiRouteRequiresAToken) {
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/api/v1/integrations/schemas"},
           {"GET", "/api/v1/integrations/schemas/categories"},
           {"GET", "/api/v1/integrations/schemas/github"},
           {"GET", "/api/v1/projects"},
           {"POST", "/api/v1/projects"},
           {"GET", "/api/v1/projects/x"},
           {"GET", "/api/v1/projects/x/members"},
           {"GET", "/api/v1/projects/x/members/vic"},
           {"PUT", "/api/v1/projects/x/members/vic"},
           {"DELETE", "/api/v1/projects/x/members/vic"}}) {
    HttpCall call;
    call.method = method;
    call.path = path;
    EXPECT_EQ(testServer().call(call).status, 401) << method << " " << path;
  }
}

}  // namespace
}  // namespace sb::testing
