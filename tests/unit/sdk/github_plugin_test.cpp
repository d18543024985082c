// The github plugin on the SDK's fake host: which credential it sends (the
// connection's token from Call::accessToken, ABI 1.3, else secrets.token),
// one refresh and one retry after a 401 on a connection token, and none on a
// link's own token; plus the SHA-256 its ETag cache keys with.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "switchboard/fake_host.hpp"
#include "switchboard/provider.hpp"

#include "loaded_library.hpp"
#include "sha256.hpp"

namespace {

using switchboard::Outcome;
using switchboard::testing::FakeCall;
using switchboard::testing::FakeHost;
using switchboard::testing::LoadedLibrary;
using switchboard::testing::PluginHarness;

constexpr std::int64_t kNow = 1'800'000'000'000;  // 2027-01-15T08:00:00Z
constexpr const char* kRepo = "https://api.github.com/repos/acme/web";
constexpr const char* kBranch = "https://api.github.com/repos/acme/web/branches/main";
constexpr const char* kRepoBody = R"({"private":false,"html_url":"https://github.com/acme/web","default_branch":"main"})";
constexpr const char* kBranchBody =
    R"({"name":"main","commit":{"sha":"c1","commit":{"committer":{"date":"2027-01-15T06:00:00Z"},"tree":{"sha":"t1"}}}})";

std::string statusRequest(const std::string& secrets) {
  return R"({"projectId":"p","key":"github","baseUrl":"","settings":{"repository":"acme/web"},"secrets":)" + secrets +
         "}";
}

std::string authorization(const switchboard::testing::RecordedRequest& request) {
  for (const auto& [name, value] : request.headers) {
    if (name == "Authorization") return value;
  }
  return "<none>";
}

class GithubPlugin : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(library_.descriptor(), nullptr) << library_.error();
    host_.setNowMs(kNow);
    ASSERT_EQ(harness_.init("{}").status, SB_OK);
  }

  std::vector<std::string> authorizations() const {
    std::vector<std::string> out;
    for (const auto& request : host_.requests()) out.push_back(authorization(request));
    return out;
  }
  // The status of a connection link whose token GitHub refuses, when the
  // host's refresh answers `refreshOutcome`.
  Outcome statusAfterA401(FakeCall& call, sb_status refreshOutcome) {
    host_.respond("GET", kRepo, 401, R"({"message":"Bad credentials"})");
    call.useConnection("old-token", "", refreshOutcome);
    return harness_.status(statusRequest("{}"), &call);
  }
  static switchboard::provider::Json document(const Outcome& outcome) {
    return switchboard::provider::parseJson(outcome.output).value_or(nullptr);
  }

  LoadedLibrary library_{SB_PLUGIN_GITHUB};
  FakeHost host_;
  PluginHarness harness_{library_.descriptor(), host_};
};

TEST_F(GithubPlugin, AnExpiredConnectionTokenIsRefreshedOnceAndTheRequestRetried) {
  host_.respond("GET", kRepo, 401, R"({"message":"Bad credentials"})");
  host_.respond("GET", kRepo, 200, kRepoBody);
  host_.respond("GET", kBranch, 200, kBranchBody);
  FakeCall call;
  call.useConnection("old-token", "new-token");
  const Outcome status = harness_.status(statusRequest("{}"), &call);  // no secrets.token: the connection stands in
  ASSERT_EQ(status.status, SB_OK) << status.output;
  EXPECT_EQ(document(status)["status"], "connected") << status.output;
  EXPECT_EQ(call.refreshes(), 1);
  EXPECT_EQ(authorizations(), (std::vector<std::string>{"Bearer old-token", "Bearer new-token", "Bearer new-token"}));
}

TEST_F(GithubPlugin, TheConnectionTokenWinsOverTheLinkToken) {
  host_.respond("GET", kRepo, 200, kRepoBody);
  host_.respond("GET", kBranch, 200, kBranchBody);
  FakeCall call;
  call.useConnection("conn-token");
  ASSERT_EQ(harness_.status(statusRequest(R"({"token":"pat"})"), &call).status, SB_OK);
  EXPECT_EQ(authorizations(), (std::vector<std::string>{"Bearer conn-token", "Bearer conn-token"}));
  EXPECT_EQ(call.refreshes(), 0);
}

TEST_F(GithubPlugin, ARevokedGrantIsReportedRevokedWithoutASecondRequest) {
  FakeCall call;
  const Outcome status = statusAfterA401(call, SB_ERR_UNAUTHORIZED);
  ASSERT_EQ(status.status, SB_OK) << status.output;
  EXPECT_EQ(document(status)["configuredReason"], "revoked") << status.output;
  EXPECT_EQ(call.refreshes(), 1);
  EXPECT_EQ(host_.requests().size(), 1u);
}

TEST_F(GithubPlugin, AFailedRefreshIsAFailureNotARevocation) {
  FakeCall call;
  EXPECT_EQ(statusAfterA401(call, SB_ERR_UNAVAILABLE).status, SB_ERR_UNAVAILABLE);
  EXPECT_EQ(host_.requests().size(), 1u);
}

TEST_F(GithubPlugin, ALinkTokenIsNeverRefreshed) {
  host_.respond("GET", kRepo, 401, R"({"message":"Bad credentials"})");
  FakeCall call;
  const Outcome status = harness_.status(statusRequest(R"({"token":"pat"})"), &call);
  ASSERT_EQ(status.status, SB_OK) << status.output;
  EXPECT_EQ(document(status)["configuredReason"], "revoked");
  EXPECT_EQ(call.refreshes(), 0);
  EXPECT_EQ(authorizations(), std::vector<std::string>{"Bearer pat"});
}

TEST_F(GithubPlugin, WithNeitherAConnectionNorATokenNothingIsSent) {
  FakeCall call;
  const Outcome status = harness_.status(statusRequest("{}"), &call);
  EXPECT_EQ(status.status, SB_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(status.output, "secrets.token is required");
  EXPECT_TRUE(host_.requests().empty());
}

TEST_F(GithubPlugin, SyncRetriesWithTheRefreshedTokenToo) {
  const std::string sha(40, 'a');
  const std::string blob = std::string(kRepo) + "/git/blobs/" + sha;
  host_.respond("GET", blob, 401, R"({"message":"Bad credentials"})");
  host_.respond("GET", blob, 200, R"({"content":"aGVs\nbG8=\n","encoding":"base64"})");
  FakeCall call;
  call.useConnection("old-token", "new-token");
  const std::string request = R"({"projectId":"p","key":"github","baseUrl":"","settings":{"repository":"acme/web"},)"
                              R"("secrets":{},"path":"a.txt","sha":")" + sha + "\"}";
  const Outcome read = harness_.read(request, &call);
  ASSERT_EQ(read.status, SB_OK) << read.output;
  EXPECT_EQ(read.output, "hello");
  EXPECT_EQ(authorizations(), (std::vector<std::string>{"Bearer old-token", "Bearer new-token"}));
}

TEST(GithubEtagKey, Sha256MatchesTheFips180Vectors) {
  using switchboard::github::sha256Hex;
  EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // 56 bytes: the length no longer fits the first block.
  EXPECT_EQ(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256Hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

}  // namespace
