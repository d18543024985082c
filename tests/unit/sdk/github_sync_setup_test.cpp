// The GitHub plugin's sync set-up hooks (ABI 1.4) on the fake host, through
// the built github.so's descriptor: the documented requests (headers,
// per_page, sha), Link pagination kept below the API root, permissions, and
// every failure mapping (401 revoked, 403/404 no access, the primary and
// secondary rate limits, a connection's token refreshed once). Never a token
// in an output.
#include <gtest/gtest.h>

#include <string>

#include "switchboard/fake_host.hpp"
#include "loaded_library.hpp"

using switchboard::Outcome;
using switchboard::testing::FakeCall;
using switchboard::testing::FakeHost;
using switchboard::testing::Headers;
using switchboard::testing::LoadedLibrary;
using switchboard::testing::PluginHarness;

namespace {

const std::string kRoot = "https://api.github.com";
const std::string kRepo = kRoot + "/repos/acme/web";

std::string request(const std::string& settings = R"("repository":"acme/web")", const std::string& params = "{}",
                    const std::string& token = "s3cret-token") {
  return R"({"projectId":"p","key":"github","baseUrl":"","settings":{)" + settings + R"(},"secrets":{"token":")" +
         token + R"("},"params":)" + params + "}";
}

std::string headerOf(const switchboard::testing::RecordedRequest& recorded, const std::string& name) {
  for (const auto& [key, value] : recorded.headers) {
    if (key == name) return value;
  }
  return {};
}

class GithubSyncSetup : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(library_.descriptor(), nullptr) << library_.error();
    ASSERT_EQ(harness_.init().status, SB_OK);
    host_.setNowMs(1'700'000'000'000);
  }
  void TearDown() override {
    harness_.destroy();
    EXPECT_EQ(host_.openResponses(), 0u);
    for (const auto& recorded : host_.requests()) EXPECT_EQ(recorded.url.find("s3cret"), std::string::npos);
  }
  static void expectNoSecret(const Outcome& outcome) {
    EXPECT_EQ(outcome.output.find("s3cret"), std::string::npos) << outcome.output;
  }

  LoadedLibrary library_{SB_PLUGIN_GITHUB};
  FakeHost host_;
  PluginHarness harness_{library_.descriptor(), host_};
};

TEST_F(GithubSyncSetup, ValidateReportsThePermissionsAndSendsTheDocumentedHeaders) {
  host_.respond("GET", kRepo, 200,
                R"({"full_name":"acme/web","private":true,"default_branch":"main",)"
                R"("permissions":{"admin":false,"push":false,"pull":true}})");
  const Outcome outcome = harness_.validateSource(request());
  ASSERT_EQ(outcome.status, SB_OK) << outcome.output;
  EXPECT_EQ(outcome.output,
            R"({"canRead":true,"canWrite":false,"defaultBranch":"main","private":true,"resource":"acme/web"})");
  ASSERT_EQ(host_.requests().size(), 1u);
  const auto sent = host_.requests()[0];
  EXPECT_EQ(headerOf(sent, "Authorization"), "Bearer s3cret-token");
  EXPECT_EQ(headerOf(sent, "Accept"), "application/vnd.github+json");
  EXPECT_EQ(headerOf(sent, "X-GitHub-Api-Version"), "2022-11-28");
}

TEST_F(GithubSyncSetup, ValidateChecksTheLinkedBranch) {
  host_.respond("GET", kRepo, 200, R"({"full_name":"acme/web","permissions":{"push":true,"pull":true}})");
  host_.respond("GET", kRepo + "/branches/gone", 404, R"({"message":"Branch not found"})");
  const Outcome outcome = harness_.validateSource(request(R"("repository":"acme/web","branch":"gone")"));
  EXPECT_EQ(outcome.status, SB_ERR_NOT_FOUND);
  EXPECT_EQ(outcome.output, "branch gone of acme/web was not found, or the token has no access to it");
}

TEST_F(GithubSyncSetup, ARejectedTokenIsUnauthorized) {
  host_.respond("GET", kRepo, 401, R"({"message":"Bad credentials"})");
  const Outcome outcome = harness_.validateSource(request());
  EXPECT_EQ(outcome.status, SB_ERR_UNAUTHORIZED);
  EXPECT_EQ(outcome.output, "GitHub rejected the token: it is invalid, expired or revoked");
  expectNoSecret(outcome);
}

TEST_F(GithubSyncSetup, ForbiddenAndNotFoundAreNoAccess) {
  host_.respond("GET", kRepo, 403, R"({"message":"Resource not accessible by personal access token"})");
  Outcome outcome = harness_.validateSource(request());
  EXPECT_EQ(outcome.status, SB_ERR_NOT_FOUND);
  EXPECT_NE(outcome.output.find("may not read repository acme/web"), std::string::npos) << outcome.output;
  host_.respond("GET", kRepo + "/branches?per_page=100", 404, R"({"message":"Not Found"})");
  outcome = harness_.listBranches(request());
  EXPECT_EQ(outcome.status, SB_ERR_NOT_FOUND);
}

TEST_F(GithubSyncSetup, ThePrimaryRateLimitWaitsUntilTheReset) {
  host_.respond("GET", kRepo, 403, R"({"message":"API rate limit exceeded"})",
                Headers{{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", "1700000090"}});
  const Outcome outcome = harness_.validateSource(request());
  EXPECT_EQ(outcome.status, SB_ERR_RATE_LIMITED);
  EXPECT_NE(outcome.output.find("\"retryAfter\":90"), std::string::npos) << outcome.output;
}

TEST_F(GithubSyncSetup, ASecondaryRateLimitUsesRetryAfter) {
  host_.respond("GET", kRepo + "/commits?per_page=20", 429, R"({"message":"secondary rate limit"})",
                Headers{{"retry-after", "30"}});
  const Outcome outcome = harness_.listCommits(request());
  EXPECT_EQ(outcome.status, SB_ERR_RATE_LIMITED);
  EXPECT_NE(outcome.output.find("\"retryAfter\":30"), std::string::npos) << outcome.output;
}

TEST_F(GithubSyncSetup, RepositoriesFollowTheLinkHeader) {
  host_.respond("GET", kRoot + "/user/repos?per_page=100&sort=full_name", 200,
                R"([{"full_name":"acme/site","private":false,"default_branch":"main"}])",
                Headers{{"link", "<" + kRoot + "/user/repos?per_page=100&sort=full_name&page=2>; rel=\"next\", <" +
                                     kRoot + "/user/repos?per_page=100&sort=full_name&page=2>; rel=\"last\""}});
  host_.respond("GET", kRoot + "/user/repos?per_page=100&sort=full_name&page=2", 200,
                R"([{"full_name":"acme/web","private":true,"default_branch":"trunk"}])",
                Headers{{"link", "<" + kRoot + "/user/repos?per_page=100&sort=full_name&page=1>; rel=\"prev\""}});
  const Outcome outcome = harness_.listRepositories(request(""));
  ASSERT_EQ(outcome.status, SB_OK) << outcome.output;
  EXPECT_EQ(outcome.output,
            R"({"repositories":[{"defaultBranch":"main","name":"acme/site","private":false},)"
            R"({"defaultBranch":"trunk","name":"acme/web","private":true}],"truncated":false})");
  EXPECT_EQ(host_.requests().size(), 2u);
}

TEST_F(GithubSyncSetup, ALimitStopsThePagingAndSaysTruncated) {
  host_.respond("GET", kRoot + "/user/repos?per_page=1&sort=full_name", 200, R"([{"full_name":"acme/site"}])",
                Headers{{"link", "<" + kRoot + "/user/repos?per_page=1&page=2>; rel=\"next\""}});
  const Outcome outcome = harness_.listRepositories(request("", R"({"limit":1})"));
  ASSERT_EQ(outcome.status, SB_OK) << outcome.output;
  EXPECT_EQ(outcome.output, R"({"repositories":[{"name":"acme/site"}],"truncated":true})");
  EXPECT_EQ(host_.requests().size(), 1u);
}

TEST_F(GithubSyncSetup, ANextPageOutsideTheApiRootIsNotFollowed) {
  host_.respond("GET", kRepo + "/branches?per_page=100", 200, R"([{"name":"main","commit":{"sha":"abc"}}])",
                Headers{{"link", "<https://collector.example/steal?page=2>; rel=\"next\""}});
  const Outcome outcome = harness_.listBranches(request());
  EXPECT_EQ(outcome.status, SB_ERR_UNAVAILABLE);
  EXPECT_NE(outcome.output.find("is not below https://api.github.com"), std::string::npos) << outcome.output;
  EXPECT_EQ(host_.requests().size(), 1u);
}

TEST_F(GithubSyncSetup, BranchesListNameHeadAndProtection) {
  host_.respond("GET", kRepo + "/branches?per_page=100", 200,
                R"([{"name":"develop","commit":{"sha":"d1"},"protected":false},)"
                R"({"name":"main","commit":{"sha":"m1"},"protected":true}])");
  const Outcome outcome = harness_.listBranches(request());
  ASSERT_EQ(outcome.status, SB_OK) << outcome.output;
  EXPECT_EQ(outcome.output, R"({"branches":[{"head":"d1","name":"develop","protected":false},)"
                            R"({"head":"m1","name":"main","protected":true}],"truncated":false})");
}

TEST_F(GithubSyncSetup, CommitsOfTheLinkedBranchWithTheirSubjectLine) {
  host_.respond("GET", kRepo + "/commits?per_page=2&sha=develop", 200,
                R"([{"sha":"c2","commit":{"message":"Fix the build\n\nLong text","author":{"name":"Mona",)"
                R"("date":"2026-12-01T10:00:00Z"}}},{"sha":"c1","commit":{"message":"Start"}}])");
  const Outcome outcome =
      harness_.listCommits(request(R"("repository":"acme/web","branch":"develop")", R"({"limit":2})"));
  ASSERT_EQ(outcome.status, SB_OK) << outcome.output;
  EXPECT_EQ(outcome.output, R"({"branch":"develop","commits":[{"author":"Mona","date":"2026-12-01T10:00:00Z",)"
                            R"("message":"Fix the build","sha":"c2"},{"message":"Start","sha":"c1"}]})");
}

TEST_F(GithubSyncSetup, BadParamsAndSettingsAreInvalidArguments) {
  EXPECT_EQ(harness_.listCommits(request(R"("repository":"acme/web")", R"({"limit":101})")).status,
            SB_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(harness_.listBranches(request(R"("repository":"acme/web")", R"({"limit":"5"})")).status,
            SB_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(harness_.validateSource(request(R"("repository":"../etc")")).status, SB_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(harness_.validateSource(request(R"("repository":"acme/web")", "{}", "")).status,
            SB_ERR_INVALID_ARGUMENT);
  EXPECT_TRUE(host_.requests().empty());
}

TEST_F(GithubSyncSetup, AConnectionTokenIsRefreshedOnceAfterA401) {
  host_.respond("GET", kRepo, 401, R"({"message":"Bad credentials"})");
  host_.respond("GET", kRepo, 200, R"({"full_name":"acme/web","permissions":{"push":true,"pull":true}})");
  FakeCall call;
  call.useConnection("old-token", "new-token");
  const Outcome outcome = harness_.validateSource(request(R"("repository":"acme/web")", "{}", ""), &call);
  ASSERT_EQ(outcome.status, SB_OK) << outcome.output;
  EXPECT_EQ(call.refreshes(), 1);
  ASSERT_EQ(host_.requests().size(), 2u);
  EXPECT_EQ(headerOf(host_.requests()[0], "Authorization"), "Bearer old-token");
  EXPECT_EQ(headerOf(host_.requests()[1], "Authorization"), "Bearer new-token");
}

TEST_F(GithubSyncSetup, ARevokedConnectionStaysUnauthorized) {
  host_.respond("GET", kRepo, 401, R"({"message":"Bad credentials"})");
  FakeCall call;
  call.useConnection("old-token", {}, SB_ERR_UNAUTHORIZED);
  const Outcome outcome = harness_.validateSource(request(R"("repository":"acme/web")", "{}", ""), &call);
  EXPECT_EQ(outcome.status, SB_ERR_UNAUTHORIZED);
  EXPECT_EQ(host_.requests().size(), 1u);
}

}  // namespace
