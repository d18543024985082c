// Contract tests for the github, supabase and sanity plugins' actions
// (plugins/<provider>/<provider>_actions.cpp) against their fakes: results,
// error mappings, params checks, steps, navigation without requests and the
// kinds in on_list_for. Vercel's deploys have vercel_actions_contract_test.cpp.
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include "contract_support.hpp"

namespace sb::test {
namespace {

const std::string kGithubSecrets = R"({"token":"ghp_contractToken0123456789secret"})";
const std::string kGithubWeb = R"({"repository":"acme/web"})";
const std::string kSupabaseSettings = R"({"projectRef":"abcdefghijklmnopqrst"})";
const std::string kSupabaseSecrets = R"({"accessToken":"sbp_contract_token"})";
const std::string kSanitySettings = R"({"projectId":"abc123de","dataset":"production"})";
const std::string kSanitySecrets = R"({"token":"sanity-contract-token"})";

std::string query(const fakes::FakeRequest& request, const std::string& name) {
  auto it = request.query.find(name);
  return it == request.query.end() ? std::string("<absent>") : it->second;
}

// ---- GitHub -----------------------------------------------------------------

TEST(GithubActions, PushPullAndSyncRunInTheHostNotThePlugin) {
  Contract c("github");
  for (const std::string id : {"push", "pull", "sync"}) {
    ActionCall a = c.action(id, kGithubWeb, kGithubSecrets);
    ASSERT_TRUE(a.hostError.isOk()) << id << ": " << a.hostError.message();
    EXPECT_EQ(a.outcome.status, SB_ERR_NOT_SUPPORTED) << id;
    EXPECT_EQ(a.outcome.reason, id + " runs in the host's workspace sync, not in the plugin");
  }
  EXPECT_EQ(c.fake().requestCount(), 0u);
}

TEST(GithubActions, ConnectOpensTokenSettingsWithoutARequest) {
  Contract c("github");
  ActionCall a = c.action("connect", kGithubWeb, kGithubSecrets);
  ASSERT_EQ(a.outcome.status, SB_OK) << a.outcome.reason;
  EXPECT_EQ(field(a.result, "url"), "https://github.com/settings/personal-access-tokens");
  EXPECT_TRUE(a.hasStep("open-url", StepState::Succeeded));

  // GitHub Enterprise Server: the API lives under /api/v3 on the same host.
  // The action request's baseUrl is the fake's; the link's apiBaseUrl wins.
  ActionCall enterprise =
      c.action("connect", R"({"repository":"acme/web","apiBaseUrl":"https://ghe.example.com/api/v3"})", kGithubSecrets);
  ASSERT_EQ(enterprise.outcome.status, SB_OK);
  EXPECT_EQ(field(enterprise.result, "url"), "https://ghe.example.com/settings/tokens");
  EXPECT_EQ(c.fake().requestCount(), 0u);
}

TEST(GithubActions, ParamsAreCheckedAndUnknownActionsRefused) {
  Contract c("github");
  EXPECT_EQ(c.action("connect", kGithubWeb, kGithubSecrets, R"({"x":1})").outcome.reason,
            "params.x is not a parameter of this action");
  ActionCall unknown = c.action("merge", kGithubWeb, kGithubSecrets);
  EXPECT_EQ(unknown.outcome.status, SB_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(unknown.outcome.reason, "unknown action \"merge\"");
}

TEST(GithubActions, ListsKinds) {
  Contract c("github");
  auto listed = c.actionsFor(kGithubWeb, R"(["token"])");
  ASSERT_TRUE(listed.isOk()) << listed.status().message();
  ASSERT_EQ(listed->size(), 4u);
  EXPECT_EQ((*listed)[0].kind, ActionKind::Push);
  EXPECT_EQ((*listed)[1].kind, ActionKind::ContentSync);
  EXPECT_EQ((*listed)[2].kind, ActionKind::Push);
  EXPECT_EQ((*listed)[3].kind, ActionKind::Connect);
  for (const auto& item : *listed) EXPECT_TRUE(item.enabled) << item.id;
  auto context = c.actionsFor(kGithubWeb, "[]");
  ASSERT_TRUE(context.isOk());
  EXPECT_FALSE((*context)[0].enabled);
  EXPECT_EQ((*context)[0].reason, "Add a GitHub token first");
  EXPECT_TRUE((*context)[3].enabled);
}

// ---- Supabase ---------------------------------------------------------------

TEST(SupabaseActions, TestConnectionMeasuresTheHealthCheck) {
  Contract c("supabase");
  ActionCall a = c.action("test-connection", kSupabaseSettings, kSupabaseSecrets);
  ASSERT_TRUE(a.hostError.isOk()) << a.hostError.message();
  ASSERT_EQ(a.outcome.status, SB_OK) << a.outcome.reason;
  EXPECT_EQ(field(a.result, "healthy"), "true");
  EXPECT_FALSE(field(a.result, "latencyMs").empty());
  EXPECT_GE(a.result->getValue<int>("latencyMs"), 0);
  Poco::JSON::Array::Ptr services = a.result->getArray("services");
  ASSERT_FALSE(services.isNull());
  ASSERT_EQ(services->size(), 5u);
  EXPECT_EQ(field(services->getObject(0), "name"), "db");
  EXPECT_EQ(field(services->getObject(0), "status"), "ACTIVE_HEALTHY");
  EXPECT_EQ(field(services->getObject(0), "healthy"), "true");
  EXPECT_TRUE(a.hasStep("health-check", StepState::Running));
  EXPECT_TRUE(a.hasStep("health-check", StepState::Succeeded));

  const fakes::FakeRequest request = requestTo(c.fake().requests(), "/v1/projects/abcdefghijklmnopqrst/health");
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.header("authorization"), "Bearer sbp_contract_token");
  EXPECT_EQ(query(request, "services"), "db,auth,rest,realtime,storage");
}

TEST(SupabaseActions, HealthTogglesReachTheResult) {
  Contract c("supabase");
  c.fake().setMode("db_unhealthy");
  ActionCall a = c.action("test-connection", kSupabaseSettings, kSupabaseSecrets);
  ASSERT_EQ(a.outcome.status, SB_OK) << a.outcome.reason;
  EXPECT_EQ(field(a.result, "healthy"), "false");
  EXPECT_EQ(field(a.result->getArray("services")->getObject(0), "status"), "UNHEALTHY");
  c.fake().setMode("ok");
  EXPECT_EQ(field(c.action("test-connection", kSupabaseSettings, kSupabaseSecrets).result, "healthy"), "true");
}

TEST(SupabaseActions, ErrorMappings) {
  const std::vector<std::pair<std::string, sb_status>> cases{
      {"unauthorized", SB_ERR_UNAUTHORIZED}, {"rate_limited", SB_ERR_RATE_LIMITED},
      {"not_found", SB_ERR_NOT_FOUND},       {"server_error", SB_ERR_UNAVAILABLE},
      {"wrong_shape", SB_ERR_UNAVAILABLE},   {"malformed", SB_ERR_UNAVAILABLE},
  };
  for (const auto& [mode, status] : cases) {
    Contract c("supabase");
    c.fake().setMode(mode);
    ActionCall a = c.action("test-connection", kSupabaseSettings, kSupabaseSecrets);
    ASSERT_TRUE(a.hostError.isOk()) << mode;
    EXPECT_EQ(a.outcome.status, status) << mode << ": " << a.outcome.reason;
    EXPECT_TRUE(a.hasStep("health-check", StepState::Failed)) << mode;
    if (status == SB_ERR_RATE_LIMITED) {
      ASSERT_TRUE(a.outcome.retryAfterSeconds.has_value());
      EXPECT_EQ(*a.outcome.retryAfterSeconds, 42);  // X-RateLimit-Reset: 42 (seconds)
    }
  }
  Contract hung("supabase");
  hung.fake().setMode("hang");
  EXPECT_EQ(hung.action("test-connection", kSupabaseSettings, kSupabaseSecrets, "{}", 300).outcome.status,
            SB_ERR_TIMEOUT);
}

TEST(SupabaseActions, BadInputIsInvalidArgumentWithoutARequest) {
  Contract c("supabase");
  EXPECT_EQ(c.action("test-connection", kSupabaseSettings, kSupabaseSecrets, R"({"deep":true})").outcome.status,
            SB_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(c.action("test-connection", R"({"projectRef":"Not A Ref"})", kSupabaseSecrets).outcome.reason,
            "settings.projectRef must be a Supabase project ref ([a-z0-9])");
  EXPECT_EQ(c.action("test-connection", kSupabaseSettings, "{}").outcome.reason, "secrets.accessToken is required");
  EXPECT_EQ(c.fake().requestCount(), 0u);
}

TEST(SupabaseActions, ReconnectAndConnectAreNavigation) {
  Contract c("supabase");
  for (const std::string id : {"reconnect", "connect"}) {
    ActionCall a = c.action(id, kSupabaseSettings, kSupabaseSecrets);
    ASSERT_EQ(a.outcome.status, SB_OK) << id;
    EXPECT_EQ(field(a.result, "url"), "https://supabase.com/dashboard/account/tokens") << id;
    EXPECT_EQ(a.steps.size(), 1u) << id;
  }
  EXPECT_EQ(c.fake().requestCount(), 0u);
  auto listed = c.actionsFor(kSupabaseSettings, "[]");
  ASSERT_TRUE(listed.isOk()) << listed.status().message();
  EXPECT_EQ((*listed)[0].kind, ActionKind::Check);
  EXPECT_FALSE((*listed)[0].enabled);
  EXPECT_EQ((*listed)[0].reason, "Add a Supabase access token first");
  EXPECT_EQ((*listed)[1].kind, ActionKind::Connect);
  EXPECT_TRUE((*listed)[1].enabled);
}

// ---- Sanity -----------------------------------------------------------------

TEST(SanityActions, SyncReReadsTheDataset) {
  Contract c("sanity");
  ActionCall a = c.action("sync", kSanitySettings, kSanitySecrets);
  ASSERT_TRUE(a.hostError.isOk()) << a.hostError.message();
  ASSERT_EQ(a.outcome.status, SB_OK) << a.outcome.reason;
  EXPECT_EQ(field(a.result, "dataset"), "production");
  EXPECT_EQ(field(a.result, "documents"), "8");
  EXPECT_EQ(field(a.result, "updated"), "5");  // the fake's documents updated in the last day
  EXPECT_EQ(field(a.result, "queryMs"), "4");
  EXPECT_TRUE(a.hasStep("query-content", StepState::Succeeded));
  const fakes::FakeRequest request = requestTo(c.fake().requests(), "/v2025-02-19/data/query/production");
  EXPECT_EQ(request.header("authorization"), "Bearer sanity-contract-token");
  EXPECT_EQ(query(request, "query"), R"({"documents": count(*), "updated": count(*[_updatedAt > $since])})");
  EXPECT_EQ(query(request, "$since"), "\"" + field(a.result, "since") + "\"");
}

TEST(SanityActions, SyncSinceAParam) {
  Contract c("sanity");
  ActionCall a = c.action("sync", kSanitySettings, kSanitySecrets, R"({"since":"2000-01-01T00:00:00Z"})");
  ASSERT_EQ(a.outcome.status, SB_OK) << a.outcome.reason;
  EXPECT_EQ(field(a.result, "updated"), "8");
  EXPECT_EQ(field(a.result, "since"), "2000-01-01T00:00:00Z");
  EXPECT_EQ(c.action("sync", kSanitySettings, kSanitySecrets, R"({"since":"yesterday"})").outcome.reason,
            "params.since must be an ISO 8601 time");
  EXPECT_EQ(c.action("sync", kSanitySettings, kSanitySecrets, R"({"since":7})").outcome.reason,
            "params.since must be a string");
  EXPECT_EQ(c.fake().requestCount(), 1u);
}

TEST(SanityActions, ErrorMappings) {
  const std::vector<std::pair<std::string, sb_status>> cases{
      {"unauthorized", SB_ERR_UNAUTHORIZED}, {"rate_limited", SB_ERR_RATE_LIMITED},
      {"not_found", SB_ERR_NOT_FOUND},       {"server_error", SB_ERR_UNAVAILABLE},
      {"wrong_shape", SB_ERR_UNAVAILABLE},   {"malformed", SB_ERR_UNAVAILABLE},
  };
  for (const auto& [mode, status] : cases) {
    Contract c("sanity");
    c.fake().setMode(mode);
    ActionCall a = c.action("sync", kSanitySettings, kSanitySecrets);
    ASSERT_TRUE(a.hostError.isOk()) << mode;
    EXPECT_EQ(a.outcome.status, status) << mode << ": " << a.outcome.reason;
    EXPECT_TRUE(a.hasStep("query-content", StepState::Failed)) << mode;
    if (status == SB_ERR_RATE_LIMITED) {
      ASSERT_TRUE(a.outcome.retryAfterSeconds.has_value());
      EXPECT_EQ(*a.outcome.retryAfterSeconds, 17);  // retry-after: 17
    }
  }
  Contract reset("sanity");
  reset.fake().setMode("rate_limited_reset");
  ActionCall a = reset.action("sync", kSanitySettings, kSanitySecrets);
  ASSERT_TRUE(a.outcome.retryAfterSeconds.has_value());
  EXPECT_EQ(*a.outcome.retryAfterSeconds, 9);  // ratelimit-reset: 9 only
}

TEST(SanityActions, OpenStudioAndConnectAreNavigation) {
  Contract c("sanity");
  ActionCall manage = c.action("open-studio", kSanitySettings, kSanitySecrets);
  ASSERT_EQ(manage.outcome.status, SB_OK) << manage.outcome.reason;
  EXPECT_EQ(field(manage.result, "url"), "https://www.sanity.io/manage/project/abc123de");
  ActionCall studio = c.action(
      "open-studio", R"({"projectId":"abc123de","dataset":"production","studioUrl":"https://acme.sanity.studio"})",
      kSanitySecrets);
  EXPECT_EQ(field(studio.result, "url"), "https://acme.sanity.studio");
  ActionCall bad = c.action(
      "open-studio", R"j({"projectId":"abc123de","dataset":"production","studioUrl":"javascript:alert(1)"})j",
      kSanitySecrets);
  EXPECT_EQ(bad.outcome.status, SB_ERR_INVALID_ARGUMENT);
  ActionCall connect = c.action("connect", kSanitySettings, kSanitySecrets);
  EXPECT_EQ(field(connect.result, "url"), "https://www.sanity.io/manage/project/abc123de/api");
  EXPECT_TRUE(connect.hasStep("open-url", StepState::Succeeded));
  EXPECT_EQ(c.fake().requestCount(), 0u);

  auto listed = c.actionsFor(kSanitySettings, R"(["token"])");
  ASSERT_TRUE(listed.isOk()) << listed.status().message();
  EXPECT_EQ((*listed)[0].kind, ActionKind::ContentSync);
  EXPECT_EQ((*listed)[1].kind, ActionKind::Open);
  EXPECT_EQ((*listed)[2].kind, ActionKind::Connect);
}

}  // namespace
}  // namespace sb::test
