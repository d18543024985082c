// Contract tests for the vercel plugin's actions (plugins/vercel/vercel_actions.cpp)
// against the Vercel fake: redeploys of production and preview, polling,
// every error mapping, params checks, navigation and on_list_for.
#include <string>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "contract_support.hpp"

namespace sb::test {
namespace {

constexpr const char* kToken = "vercel_contractToken0123456789secret";
const std::string kSecrets = std::string("{\"token\":\"") + kToken + "\"}";
const std::string kDemo = R"({"projectId":"prj_demo"})";
const std::string kFastPolls = R"({"deployPollIntervalMs":0})";

std::string query(const fakes::FakeRequest& request, const std::string& name) {
  auto it = request.query.find(name);
  return it == request.query.end() ? std::string("<absent>") : it->second;
}

Poco::JSON::Object::Ptr jsonBody(const fakes::FakeRequest& request) {
  Poco::JSON::Parser parser;
  return parser.parse(request.body).extract<Poco::JSON::Object::Ptr>();
}

std::vector<fakes::FakeRequest> creates(const Contract& c) {
  return requestsWhere(const_cast<Contract&>(c).fake().requests(),
                       [](const auto& r) { return r.method == "POST" && r.path == "/v13/deployments"; });
}

TEST(VercelActions, DeployRedeploysTheLatestProductionDeployment) {
  Contract c("vercel", 1u << 20, 10000, kFastPolls);
  ActionCall a = c.action("deploy", kDemo, kSecrets);
  ASSERT_TRUE(a.hostError.isOk()) << a.hostError.message();
  ASSERT_EQ(a.outcome.status, SB_OK) << a.outcome.reason;
  EXPECT_EQ(field(a.result, "deploymentId"), "dpl_new1");
  EXPECT_EQ(field(a.result, "url"), "https://demo-web-new1-acme.vercel.app");
  EXPECT_EQ(field(a.result, "target"), "production");
  EXPECT_EQ(field(a.result, "readyState"), "READY");

  const auto all = c.fake().requests();
  const fakes::FakeRequest list = requestTo(all, "/v6/deployments");
  EXPECT_EQ(query(list, "target"), "production");
  EXPECT_EQ(query(list, "limit"), "1");
  EXPECT_EQ(query(list, "projectId"), "prj_demo");
  const auto posted = creates(c);
  ASSERT_EQ(posted.size(), 1u);
  EXPECT_EQ(posted[0].header("authorization"), std::string("Bearer ") + kToken);
  EXPECT_EQ(posted[0].header("content-type"), "application/json");
  EXPECT_EQ(query(posted[0], "teamId"), "<absent>");
  auto body = jsonBody(posted[0]);
  EXPECT_EQ(field(body, "name"), "demo-web");
  EXPECT_EQ(field(body, "deploymentId"), "dpl_1000");  // the newest production deployment
  EXPECT_EQ(field(body, "target"), "production");
  // QUEUED -> BUILDING -> READY: two reads of the new deployment.
  EXPECT_EQ(requestsWhere(all, [](const auto& r) { return r.path == "/v13/deployments/dpl_new1"; }).size(), 2u);

  EXPECT_TRUE(a.hasStep("find-latest", StepState::Succeeded));
  EXPECT_TRUE(a.hasStep("create-deployment", StepState::Succeeded));
  EXPECT_TRUE(a.hasStep("wait-ready", StepState::Succeeded));
  EXPECT_EQ(a.steps.back().done, 3u);
  EXPECT_EQ(a.steps.back().total, 3u);

  // The fake keeps the new deployment: status now sees it as production.
  StatusCall after = c.status(kDemo, kSecrets);
  ASSERT_EQ(after.status, SB_OK) << after.output;
  EXPECT_EQ(field(after.document, "resource.url"), "https://demo-web-new1-acme.vercel.app");
}

TEST(VercelActions, DeployPreviewRedeploysTheLatestPreviewWithoutTarget) {
  Contract c("vercel", 1u << 20, 10000, kFastPolls);
  ActionCall a = c.action("deploy-preview", R"({"projectId":"prj_demo","teamId":"team_demo"})", kSecrets);
  ASSERT_EQ(a.outcome.status, SB_OK) << a.outcome.reason << a.hostError.message();
  EXPECT_TRUE(a.result->isNull("target"));  // a preview
  EXPECT_EQ(field(a.result, "readyState"), "READY");
  const auto all = c.fake().requests();
  EXPECT_EQ(query(requestTo(all, "/v6/deployments"), "target"), "preview");
  const auto posted = creates(c);
  ASSERT_EQ(posted.size(), 1u);
  EXPECT_EQ(query(posted[0], "teamId"), "team_demo");
  auto body = jsonBody(posted[0]);
  EXPECT_EQ(field(body, "deploymentId"), "dpl_1001");
  EXPECT_FALSE(body->has("target"));
  for (const auto& read : requestsWhere(all, [](const auto& r) { return r.path == "/v13/deployments/dpl_new1"; })) {
    EXPECT_EQ(query(read, "teamId"), "team_demo");
  }
}

TEST(VercelActions, WaitForReadyFalseReturnsTheQueuedDeployment) {
  Contract c("vercel", 1u << 20, 10000, kFastPolls);
  ActionCall a = c.action("deploy", kDemo, kSecrets, R"({"waitForReady":false})");
  ASSERT_EQ(a.outcome.status, SB_OK) << a.outcome.reason;
  EXPECT_EQ(field(a.result, "readyState"), "QUEUED");
  EXPECT_TRUE(a.hasStep("wait-ready", StepState::Skipped));
  EXPECT_TRUE(requestsWhere(c.fake().requests(), [](const auto& r) { return r.path.rfind("/v13/deployments/", 0) == 0; })
                  .empty());
}

TEST(VercelActions, PollingIsBoundedByTheSetting) {
  Contract c("vercel", 1u << 20, 10000, R"({"deployPollIntervalMs":0,"deployMaxPolls":1})");
  ActionCall a = c.action("deploy", kDemo, kSecrets);
  ASSERT_EQ(a.outcome.status, SB_OK) << a.outcome.reason;
  EXPECT_EQ(field(a.result, "readyState"), "BUILDING");
  EXPECT_TRUE(a.hasStep("wait-ready", StepState::Skipped));
}

TEST(VercelActions, AFailedBuildIsReportedInTheResultAndTheStep) {
  Contract c("vercel", 1u << 20, 10000, kFastPolls);
  c.fake().setMode("build_fails");
  ActionCall a = c.action("deploy", kDemo, kSecrets);
  ASSERT_EQ(a.outcome.status, SB_OK) << a.outcome.reason;
  EXPECT_EQ(field(a.result, "readyState"), "ERROR");
  EXPECT_TRUE(a.hasStep("wait-ready", StepState::Failed));
}

TEST(VercelActions, ErrorMappings) {
  struct Case {
    std::string mode;
    sb_status status;
    std::string failedStep;
  };
  const std::vector<Case> cases{
      {"unauthorized", SB_ERR_UNAUTHORIZED, "find-latest"},
      {"rate_limited", SB_ERR_RATE_LIMITED, "find-latest"},
      {"not_found", SB_ERR_NOT_FOUND, "find-latest"},
      {"empty", SB_ERR_NOT_FOUND, "find-latest"},
      {"server_error", SB_ERR_UNAVAILABLE, "find-latest"},
      {"malformed", SB_ERR_UNAVAILABLE, "find-latest"},
      {"create_rate_limited", SB_ERR_RATE_LIMITED, "create-deployment"},
      {"create_server_error", SB_ERR_UNAVAILABLE, "create-deployment"},
  };
  for (const Case& test : cases) {
    Contract c("vercel", 1u << 20, 10000, kFastPolls);
    c.fake().setMode(test.mode);
    ActionCall a = c.action("deploy", kDemo, kSecrets);
    ASSERT_TRUE(a.hostError.isOk()) << test.mode << ": " << a.hostError.message();
    EXPECT_EQ(a.outcome.status, test.status) << test.mode << ": " << a.outcome.reason;
    EXPECT_TRUE(a.hasStep(test.failedStep, StepState::Failed)) << test.mode;
    EXPECT_EQ(a.outcome.reason.find(kToken), std::string::npos) << test.mode;
    if (test.status == SB_ERR_RATE_LIMITED) {
      ASSERT_TRUE(a.outcome.retryAfterSeconds.has_value()) << test.mode;
      EXPECT_LE(*a.outcome.retryAfterSeconds, 60) << test.mode;
      EXPECT_GE(*a.outcome.retryAfterSeconds, 55) << test.mode;  // X-RateLimit-Reset is now + 60 s
    }
    if (test.failedStep == "find-latest") {
      EXPECT_TRUE(creates(c).empty()) << test.mode;
    }
  }
}

TEST(VercelActions, RetryAfterHeaderWins) {
  Contract c("vercel", 1u << 20, 10000, kFastPolls);
  c.fake().setMode("rate_limited_retry_after");
  ActionCall a = c.action("deploy-preview", kDemo, kSecrets);
  EXPECT_EQ(a.outcome.status, SB_ERR_RATE_LIMITED);
  ASSERT_TRUE(a.outcome.retryAfterSeconds.has_value());
  EXPECT_EQ(*a.outcome.retryAfterSeconds, 30);
}

TEST(VercelActions, AHungProviderIsATimeout) {
  Contract c("vercel", 1u << 20, 10000, kFastPolls);
  c.fake().setMode("hang");
  ActionCall a = c.action("deploy", kDemo, kSecrets, "{}", 300);
  EXPECT_EQ(a.outcome.status, SB_ERR_TIMEOUT) << a.outcome.reason;
}

TEST(VercelActions, BadParamsAndSettingsAreInvalidArgumentsWithoutARequest) {
  Contract c("vercel", 1u << 20, 10000, kFastPolls);
  const std::vector<std::pair<std::string, std::string>> cases{
      {R"({"waitForReady":"yes"})", "params.waitForReady must be true or false"},
      {R"({"force":true})", "params.force is not a parameter of this action"},
      {R"([1])", "params must be a JSON object"},
  };
  for (const auto& [params, reason] : cases) {
    ActionCall a = c.action("deploy", kDemo, kSecrets, params);
    EXPECT_EQ(a.outcome.status, SB_ERR_INVALID_ARGUMENT) << params;
    EXPECT_EQ(a.outcome.reason, reason) << params;
  }
  EXPECT_EQ(c.action("deploy", "{}", kSecrets).outcome.reason, "settings.projectId is required");
  EXPECT_EQ(c.action("deploy", kDemo, "{}").outcome.reason, "secrets.token is required");
  EXPECT_EQ(c.action("redeploy-everything", kDemo, kSecrets).outcome.status, SB_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(c.fake().requestCount(), 0u);
}

TEST(VercelActions, LinkAndConnectAreNavigationWithoutARequest) {
  Contract c("vercel");
  for (const auto& [id, url] : std::vector<std::pair<std::string, std::string>>{
           {"link", "https://vercel.com/dashboard"}, {"connect", "https://vercel.com/account/tokens"}}) {
    ActionCall a = c.action(id, kDemo, kSecrets);
    ASSERT_EQ(a.outcome.status, SB_OK) << id << ": " << a.outcome.reason;
    EXPECT_EQ(field(a.result, "url"), url);
    ASSERT_EQ(a.steps.size(), 1u) << id;
    EXPECT_EQ(a.steps[0].state, StepState::Succeeded);
  }
  EXPECT_EQ(c.fake().requestCount(), 0u);
}

TEST(VercelActions, ListsKindsAndNeedsATokenToDeploy) {
  Contract c("vercel");
  Result<std::vector<PluginAction>> withToken = c.actionsFor(kDemo, R"(["token"])");
  ASSERT_TRUE(withToken.isOk()) << withToken.status().message();
  ASSERT_EQ(withToken->size(), 4u);
  EXPECT_EQ((*withToken)[0].id, "deploy");
  EXPECT_EQ((*withToken)[0].kind, ActionKind::DeployProduction);
  EXPECT_EQ((*withToken)[1].kind, ActionKind::DeployPreview);
  EXPECT_EQ((*withToken)[2].kind, ActionKind::Connect);
  EXPECT_EQ((*withToken)[3].kind, ActionKind::Connect);
  for (const PluginAction& action : *withToken) EXPECT_TRUE(action.enabled) << action.id;

  Result<std::vector<PluginAction>> without = c.actionsFor(kDemo, "[]");
  ASSERT_TRUE(without.isOk()) << without.status().message();
  EXPECT_FALSE((*without)[0].enabled);
  EXPECT_EQ((*without)[0].reason, "Add a Vercel token first");
  EXPECT_FALSE((*without)[1].enabled);
  EXPECT_TRUE((*without)[2].enabled);
  EXPECT_TRUE((*without)[3].enabled);

  StatusCall r = c.status(kDemo, kSecrets);
  ASSERT_EQ(r.status, SB_OK);
  EXPECT_NE(r.output.find(R"("id":"deploy","label":"Deploy","minRole":"admin","kind":"deploy-production")"),
            std::string::npos)
      << r.output;
}

}  // namespace
}  // namespace sb::test
