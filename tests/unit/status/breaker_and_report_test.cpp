// CircuitBreaker transitions and the checks on plugin status documents.
#include <gtest/gtest.h>

#include "status/circuit_breaker.hpp"
#include "status/provider_report.hpp"

namespace sb::status {
namespace {

TEST(CircuitBreaker, OpensAfterThresholdConsecutiveFailures) {
  const BreakerPolicy policy{3, 1000};
  CircuitBreaker breaker;
  breaker.recordFailure(policy, 10);
  breaker.recordFailure(policy, 20);
  EXPECT_EQ(breaker.state(), BreakerState::Closed);
  EXPECT_TRUE(breaker.allowCall(policy, 25));
  breaker.recordFailure(policy, 30);
  EXPECT_EQ(breaker.state(), BreakerState::Open);
  EXPECT_EQ(breaker.openedAtMs(), 30);
  EXPECT_EQ(breaker.probeAtMs(policy), 1030);
  EXPECT_FALSE(breaker.allowCall(policy, 1029));
  EXPECT_EQ(breaker.state(), BreakerState::Open);
}

TEST(CircuitBreaker, SuccessResetsTheFailureCount) {
  const BreakerPolicy policy{2, 1000};
  CircuitBreaker breaker;
  breaker.recordFailure(policy, 1);
  breaker.recordSuccess();
  breaker.recordFailure(policy, 2);
  EXPECT_EQ(breaker.state(), BreakerState::Closed);
  EXPECT_EQ(breaker.consecutiveFailures(), 1);
}

TEST(CircuitBreaker, HalfOpenProbeClosesOnSuccessAndReopensOnFailure) {
  const BreakerPolicy policy{1, 500};
  CircuitBreaker breaker;
  breaker.recordFailure(policy, 100);
  ASSERT_EQ(breaker.state(), BreakerState::Open);
  EXPECT_TRUE(breaker.allowCall(policy, 600));
  EXPECT_EQ(breaker.state(), BreakerState::HalfOpen);
  breaker.recordFailure(policy, 650);
  EXPECT_EQ(breaker.state(), BreakerState::Open);
  EXPECT_EQ(breaker.openedAtMs(), 650);
  EXPECT_TRUE(breaker.allowCall(policy, 1150));
  breaker.recordSuccess();
  EXPECT_EQ(breaker.state(), BreakerState::Closed);
  EXPECT_EQ(breaker.consecutiveFailures(), 0);
}

TEST(CircuitBreaker, StateNamesRoundTrip) {
  for (auto state : {BreakerState::Closed, BreakerState::Open, BreakerState::HalfOpen}) {
    EXPECT_EQ(parseBreakerState(toString(state)), state);
  }
  EXPECT_FALSE(parseBreakerState("ajar").has_value());
}

TEST(ProviderReport, ParsesAFullDocument) {
  auto report = parseProviderReport(R"({"status":"warning","summary":"Linked to main · Last push 9d ago",
    "configuredReason":"revoked","problem":{"code":"rate_limited","hint":"wait","retryAfter":42},
    "resource":{"label":"acme/web","url":"https://github.com/acme/web","private":true,"genericLabel":"Private repo"},
    "environments":[{"name":"production","status":"connected","summary":"Live","url":"https://x","lastDeployAt":"2026-11-23T10:00:00Z"}],
    "actions":[{"id":"push","label":"Push","minRole":"editor","kind":"push"},{"id":"connect","label":"Reconnect","minRole":"admin","enabled":false,"reason":"no"},{"id":"peek","label":"Peek","minRole":"viewer","kind":"check"},{"id":"old","label":"Old","minRole":"editor"}]})");
  ASSERT_TRUE(report) << report.status().message();
  EXPECT_EQ(report->status, "warning");
  EXPECT_TRUE(report->revoked);
  EXPECT_EQ(report->problemCode, "rate_limited");
  EXPECT_EQ(report->retryAfterSeconds, 42);
  ASSERT_TRUE(report->resource.has_value());
  EXPECT_EQ(report->resource->genericLabel, "Private repo");
  ASSERT_EQ(report->environments.size(), 1u);
  EXPECT_EQ(report->environments[0].lastDeployAt, "2026-11-23T10:00:00Z");
  ASSERT_EQ(report->actions.size(), 4u);
  EXPECT_EQ(report->actions[0].minRole, Role::Editor);
  EXPECT_EQ(report->actions[0].kind, "push");
  // The host's permission table decides: viewers run nothing, and an action
  // without a kind (a plugin before ABI 1.2) counts as configure (admin).
  EXPECT_EQ(report->actions[2].minRole, Role::Editor);
  EXPECT_EQ(report->actions[3].minRole, Role::Admin);
  EXPECT_FALSE(report->actions[1].enabled);
}

TEST(ProviderReport, RefusesOffContractDocumentsNamingTheKey) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"[1,2]", ""},
      {"not json", ""},
      {R"({"summary":"x"})", "status"},
      {R"({"status":"great"})", "status"},
      {R"({"status":"connected","summary":7})", "summary"},
      {R"({"status":"connected","configuredReason":"hidden_by_policy"})", "configuredReason"},
      {R"({"status":"connected","problem":{"code":"sad"}})", "problem.code"},
      {R"({"status":"connected","problem":{"code":"unknown","retryAfter":-1}})", "problem.retryAfter"},
      {R"({"status":"connected","problem":{"code":"unknown","retryAfter":"soon"}})", "problem.retryAfter"},
      {R"({"status":"connected","actions":[{"id":"a","label":"A","minRole":"god"}]})", "actions[0].minRole"},
      {R"({"status":"connected","actions":[{"id":"a","minRole":"admin"}]})", "actions[0].label"},
      {R"({"status":"connected","actions":{}})", "actions"},
      {R"({"status":"connected","environments":[{"name":"p","status":"fine"}]})", "environments[0].status"},
      {R"({"status":"connected","resource":{"url":"u"}})", "resource.label"},
      {"{\"status\":\"connected\",\"summary\":\"" + std::string(2000, 'x') + "\"}", "summary"},
  };
  for (const auto& [json, field] : cases) {
    auto report = parseProviderReport(json);
    ASSERT_FALSE(report) << json;
    EXPECT_EQ(report.status().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(report.status().field(), field) << json << " -> " << report.status().message();
  }
}

}  // namespace
}  // namespace sb::status
