// Contract tests for the github plugin (plugins/github) against the GitHub
// fake (tests/fakes/github_fake.cpp): every mapping of the status adapter.
#include <algorithm>
#include <string>
#include <tuple>
#include <thread>
#include <vector>

#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include "contract_support.hpp"

namespace sb::test {
namespace {

constexpr const char* kToken = "ghp_contractToken0123456789secret";
const std::string kSecrets = std::string("{\"token\":\"") + kToken + "\"}";
const std::string kWeb = R"({"repository":"acme/web"})";

Poco::JSON::Object::Ptr action(const StatusCall& call, const std::string& id) {
  if (call.document.isNull()) return nullptr;
  Poco::JSON::Array::Ptr actions = call.document->getArray("actions");
  if (actions.isNull()) return nullptr;
  for (std::size_t i = 0; i < actions->size(); ++i) {
    Poco::JSON::Object::Ptr item = actions->getObject(static_cast<unsigned>(i));
    if (!item.isNull() && item->getValue<std::string>("id") == id) return item;
  }
  return nullptr;
}

// Every answer, document or failure reason, is checked for the token.
StatusCall status(Contract& contract, const std::string& settings, int deadlineMs = 2000) {
  StatusCall call = contract.status(settings, kSecrets, deadlineMs);
  EXPECT_EQ(call.output.find(kToken), std::string::npos) << call.output;
  return call;
}

TEST(GithubContract, PrivateRepoWithRecentPushIsConnected) {
  Contract c("github");
  StatusCall r = status(c, kWeb);
  ASSERT_EQ(r.status, SB_OK) << r.output;
  ASSERT_FALSE(r.document.isNull());
  EXPECT_EQ(field(r.document, "status"), "connected");
  EXPECT_EQ(field(r.document, "summary"), "Linked to main \xC2\xB7 Last push 2m ago");
  EXPECT_EQ(field(r.document, "resource.label"), "acme/web");
  EXPECT_EQ(field(r.document, "resource.url"), "https://github.com/acme/web");
  EXPECT_EQ(field(r.document, "resource.private"), "true");
  EXPECT_EQ(field(r.document, "resource.genericLabel"), "Private repo");
  EXPECT_EQ(field(r.document, "problem"), "");
  // push/pull/sync are run by the host's sync; the plugin declares them.
  const std::vector<std::tuple<std::string, std::string, std::string>> expected{
      {"push", "editor", "push"}, {"pull", "editor", "content-sync"}, {"sync", "editor", "push"},
      {"connect", "admin", "connect"}};
  for (const auto& [id, role, kind] : expected) {
    auto item = action(r, id);
    ASSERT_FALSE(item.isNull()) << id;
    EXPECT_EQ(field(item, "minRole"), role) << id;
    EXPECT_EQ(field(item, "kind"), kind) << id;
    EXPECT_EQ(field(item, "enabled"), "") << id;
    EXPECT_EQ(field(item, "reason"), "") << id;
  }
  EXPECT_EQ(field(action(r, "push"), "label"), "Push");
  EXPECT_EQ(field(action(r, "pull"), "label"), "Pull");
  EXPECT_EQ(field(action(r, "sync"), "label"), "Sync");
  EXPECT_EQ(field(action(r, "connect"), "label"), "Reconnect");
}

TEST(GithubContract, SendsDocumentedHeadersToBothEndpoints) {
  Contract c("github");
  ASSERT_EQ(status(c, kWeb).status, SB_OK);
  const auto requests = c.fake().requests();
  ASSERT_EQ(requests.size(), 2u);
  // The repository and the branch are asked for at once: in either order.
  std::vector<std::string> paths{requests[0].path, requests[1].path};
  std::sort(paths.begin(), paths.end());
  EXPECT_EQ(paths, (std::vector<std::string>{"/repos/acme/web", "/repos/acme/web/branches/main"}));
  for (const auto& request : requests) {
    EXPECT_EQ(request.method, "GET");
    EXPECT_EQ(request.header("accept"), "application/vnd.github+json");
    EXPECT_EQ(request.header("x-github-api-version"), "2022-11-28");
    EXPECT_EQ(request.header("authorization"), std::string("Bearer ") + kToken);
    EXPECT_EQ(request.header("user-agent"), "switchboard");
    EXPECT_EQ(request.header("if-none-match"), "");
  }
}

TEST(GithubContract, PublicRepoAndExplicitBranch) {
  Contract c("github");
  StatusCall r = status(c, R"({"repository":"acme/site","branch":"develop"})");
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "status"), "connected");
  EXPECT_EQ(field(r.document, "summary"), "Linked to develop \xC2\xB7 Last push 2m ago");
  EXPECT_EQ(field(r.document, "resource.private"), "false");
  EXPECT_EQ(field(r.document, "resource.url"), "https://github.com/acme/site");
  const auto requests = c.fake().requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requestTo(requests, "/repos/acme/site/branches/").path, "/repos/acme/site/branches/develop");
}

// Past 30 days a count of days stops meaning much: the date instead.
TEST(GithubContract, APushYearsAgoShowsItsDate) {
  Contract c("github");
  c.fake().setMode("ancient_push");
  StatusCall r = status(c, kWeb);
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "status"), "warning");
  EXPECT_EQ(field(r.document, "summary"), "Linked to main \xC2\xB7 Last push on 2011-01-26");
}

TEST(GithubContract, PushOlderThanAWeekIsWarning) {
  Contract c("github");
  c.fake().setMode("stale_push");
  StatusCall r = status(c, kWeb);
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "status"), "warning");
  EXPECT_EQ(field(r.document, "summary"), "Linked to main \xC2\xB7 Last push 9d ago");
  EXPECT_EQ(field(r.document, "problem"), "");
}

TEST(GithubContract, SecondCallRevalidatesWithEtagAndGets304) {
  Contract c("github");
  StatusCall first = status(c, kWeb);
  ASSERT_EQ(first.status, SB_OK) << first.output;
  c.fake().clearRequests();
  StatusCall second = status(c, kWeb);
  ASSERT_EQ(second.status, SB_OK) << second.output;
  EXPECT_EQ(second.output, first.output);
  const auto requests = c.fake().requests();
  ASSERT_EQ(requests.size(), 2u);
  for (const auto& request : requests) {
    EXPECT_FALSE(request.header("if-none-match").empty()) << request.path;
    EXPECT_EQ(request.header("if-none-match").front(), '"') << request.path;
  }
}

TEST(GithubContract, ConcurrentCallsShareTheCacheSafely) {
  Contract c("github");
  const StatusCall reference = status(c, kWeb);
  ASSERT_EQ(reference.status, SB_OK) << reference.output;
  std::vector<std::string> outputs(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    threads.emplace_back(
        [&, i] { outputs[i] = c.status(i % 2 == 0 ? kWeb : R"({"repository":"acme/site"})", kSecrets).output; });
  }
  for (auto& thread : threads) thread.join();
  for (std::size_t i = 0; i < outputs.size(); i += 2) EXPECT_EQ(outputs[i], reference.output);
  for (std::size_t i = 1; i < outputs.size(); i += 2) {
    EXPECT_NE(outputs[i].find("\"url\":\"https://github.com/acme/site\""), std::string::npos) << outputs[i];
  }
}

TEST(GithubContract, EtagCacheIsPerToken) {
  Contract c("github");
  ASSERT_EQ(status(c, kWeb).status, SB_OK);
  c.fake().clearRequests();
  StatusCall other = c.status(kWeb, R"({"token":"another-token"})");
  ASSERT_EQ(other.status, SB_OK) << other.output;
  for (const auto& request : c.fake().requests()) EXPECT_EQ(request.header("if-none-match"), "") << request.path;
}

TEST(GithubContract, UnauthorizedIsRevokedAndDisablesSourceActions) {
  Contract c("github");
  c.fake().setMode("unauthorized");
  StatusCall r = status(c, kWeb);
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "status"), "error");
  EXPECT_EQ(field(r.document, "configuredReason"), "revoked");
  EXPECT_EQ(field(r.document, "problem.code"), "oauth_revoked");
  EXPECT_EQ(field(r.document, "problem.hint"), "Reconnect GitHub: the token was revoked or has expired");
  EXPECT_EQ(field(r.document, "problem.retryAfter"), "");
  for (const std::string id : {"push", "pull", "sync"}) {
    auto item = action(r, id);
    ASSERT_FALSE(item.isNull()) << id;
    EXPECT_EQ(field(item, "enabled"), "false") << id;
    EXPECT_FALSE(field(item, "reason").empty()) << id;
  }
  EXPECT_EQ(field(action(r, "connect"), "enabled"), "");
}

TEST(GithubContract, RevokedTokenGets401FromTheFakeItself) {
  Contract c("github");
  StatusCall r = c.status(kWeb, R"({"token":"revoked"})");
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "problem.code"), "oauth_revoked");
  EXPECT_EQ(c.fake().requestCount(), 1u);
}

TEST(GithubContract, PrimaryRateLimitWaitsUntilReset) {
  Contract c("github");
  c.fake().setMode("rate_limited");
  StatusCall r = status(c, kWeb);
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "status"), "warning");
  EXPECT_EQ(field(r.document, "summary"), "Rate limited by GitHub");
  EXPECT_EQ(field(r.document, "problem.code"), "rate_limited");
  // The fake resets 60 s after its reply; whole seconds may have ticked since.
  const int retryAfter = std::stoi(field(r.document, "problem.retryAfter"));
  EXPECT_GE(retryAfter, 58);
  EXPECT_LE(retryAfter, 60);
  EXPECT_EQ(field(r.document, "configuredReason"), "");
}

TEST(GithubContract, SecondaryRateLimitUsesRetryAfter) {
  Contract c("github");
  c.fake().setMode("secondary_rate_limited");
  StatusCall r = status(c, kWeb);
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "status"), "warning");
  EXPECT_EQ(field(r.document, "summary"), "Rate limited by GitHub");
  EXPECT_EQ(field(r.document, "problem.code"), "rate_limited");
  EXPECT_EQ(field(r.document, "problem.retryAfter"), "30");
}

TEST(GithubContract, MissingRepositoryIsErrorWithHint) {
  Contract c("github");
  c.fake().setMode("not_found");
  StatusCall r = status(c, kWeb);
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "status"), "error");
  EXPECT_EQ(field(r.document, "problem.code"), "unknown");
  EXPECT_EQ(field(r.document, "problem.hint"), "Repository not found, or the token cannot see it");
  EXPECT_EQ(field(r.document, "resource.private"), "true");
}

TEST(GithubContract, UnknownRepositoryIs404InOkMode) {
  Contract c("github");
  StatusCall r = status(c, R"({"repository":"acme/secret"})");
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "problem.hint"), "Repository not found, or the token cannot see it");
}

TEST(GithubContract, MissingBranchIsWarning) {
  Contract c("github");
  StatusCall r = status(c, R"({"repository":"acme/web","branch":"release"})");
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "status"), "warning");
  EXPECT_EQ(field(r.document, "summary"), "Branch release not found");
  EXPECT_EQ(field(r.document, "resource.url"), "https://github.com/acme/web");
}

TEST(GithubContract, ServerErrorIsUnavailable) {
  Contract c("github");
  c.fake().setMode("server_error");
  StatusCall r = status(c, kWeb);
  EXPECT_EQ(r.status, SB_ERR_UNAVAILABLE);
  EXPECT_NE(r.output.find("502"), std::string::npos) << r.output;
}

TEST(GithubContract, MalformedJsonIsUnavailable) {
  Contract c("github");
  c.fake().setMode("malformed");
  StatusCall r = status(c, kWeb);
  EXPECT_EQ(r.status, SB_ERR_UNAVAILABLE);
  EXPECT_NE(r.output.find("malformed JSON"), std::string::npos) << r.output;
}

TEST(GithubContract, OversizedBodyIsUnavailable) {
  Contract c("github", 64 * 1024);
  c.fake().setMode("oversized");
  StatusCall r = status(c, kWeb);
  EXPECT_EQ(r.status, SB_ERR_UNAVAILABLE) << r.output;
}

TEST(GithubContract, HungProviderTimesOut) {
  Contract c("github");
  c.fake().setMode("hang");
  StatusCall r = status(c, kWeb, 300);
  EXPECT_EQ(r.status, SB_ERR_TIMEOUT) << r.output;
}

TEST(GithubContract, UnreachableProviderIsUnavailable) {
  Contract c("github");
  c.fake().stop();
  StatusCall r = status(c, kWeb);
  EXPECT_EQ(r.status, SB_ERR_UNAVAILABLE) << r.output;
}

TEST(GithubContract, BadSettingsAreInvalidArgument) {
  Contract c("github");
  for (const std::string settings : {R"({})", R"({"repository":"acme"})", R"({"repository":"acme/web/x"})",
                                     R"({"repository":"/web"})", R"({"repository":42})"}) {
    StatusCall r = status(c, settings);
    EXPECT_EQ(r.status, SB_ERR_INVALID_ARGUMENT) << settings;
    EXPECT_NE(r.output.find("settings.repository"), std::string::npos) << r.output;
  }
  StatusCall noToken = c.status(kWeb, "{}");
  EXPECT_EQ(noToken.status, SB_ERR_INVALID_ARGUMENT);
  EXPECT_NE(noToken.output.find("secrets.token"), std::string::npos) << noToken.output;
  EXPECT_EQ(c.fake().requestCount(), 0u);
}

}  // namespace
}  // namespace sb::test
