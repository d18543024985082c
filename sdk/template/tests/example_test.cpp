// The example plugin on the SDK's fake host: its descriptor, the request it
// sends, and every mapping of a reply, each document checked with the very
// validator the server runs (switchboard::statusDocumentProblem).
#include <gtest/gtest.h>

#include <switchboard/conformance.hpp>
#include <switchboard/fake_host.hpp>

#include "example_plugin.hpp"

using switchboard::testing::FakeHost;
using switchboard::testing::PluginHarness;

namespace {

constexpr std::int64_t kNow = 1'800'000'000'000;  // 2027-01-15T08:00:00Z
constexpr const char* kRequest =
    R"({"projectId":"p1","key":"example","baseUrl":"","settings":{"project":"web"},"secrets":{"token":"t0"}})";
constexpr const char* kUrl = "https://api.example.com/v1/projects/web/health";

switchboard::Outcome statusOf(FakeHost& host, const char* request = kRequest) {
  PluginHarness plugin(switchboard::descriptorFor<ExamplePlugin>(), host);
  EXPECT_EQ(plugin.init("{}").status, SB_OK);
  auto outcome = plugin.status(request);
  if (outcome.status == SB_OK) {
    EXPECT_EQ(switchboard::statusDocumentProblem(outcome.output), "") << outcome.output;
  }
  return outcome;
}

TEST(Example, DescriptorIsConformant) {
  const sb_plugin* plugin = switchboard::descriptorFor<ExamplePlugin>();
  EXPECT_TRUE(switchboard::descriptorProblems(plugin).empty());
  EXPECT_EQ(switchboard::capabilityNames(*plugin), std::vector<std::string>{"status"});
}

TEST(Example, HealthyProjectIsConnected) {
  FakeHost host;
  host.setNowMs(kNow);
  host.respond("GET", kUrl, 200, R"({"state":"ok","name":"web","url":"https://example.com/p/web","checkedAt":"2027-01-15T07:57:00Z"})");
  const auto outcome = statusOf(host);
  ASSERT_EQ(outcome.status, SB_OK) << outcome.output;
  EXPECT_NE(outcome.output.find(R"("status":"connected","summary":"Healthy, checked 3m ago")"), std::string::npos)
      << outcome.output;
  ASSERT_EQ(host.requests().size(), 1u);
  EXPECT_EQ(host.requests()[0].url, kUrl);
}

TEST(Example, BaseUrlReplacesTheRoot) {
  FakeHost host;
  host.respond("GET", "http://127.0.0.1:8080/v1/projects/web/health", 200, R"({"state":"degraded"})");
  const auto outcome = statusOf(
      host, R"({"baseUrl":"http://127.0.0.1:8080/","settings":{"project":"web"},"secrets":{"token":"t0"}})");
  ASSERT_EQ(outcome.status, SB_OK) << outcome.output;
  EXPECT_NE(outcome.output.find(R"("status":"warning")"), std::string::npos);
}

TEST(Example, EachReplyMapsAsDocumented) {
  FakeHost revoked;
  revoked.respond("GET", kUrl, 401, R"({"error":"bad token"})");
  EXPECT_NE(statusOf(revoked).output.find(R"("configuredReason":"revoked")"), std::string::npos);
  FakeHost limited;
  limited.respond("GET", kUrl, 429, "", {{"Retry-After", "30"}});
  EXPECT_NE(statusOf(limited).output.find(R"("code":"rate_limited","retryAfter":30)"), std::string::npos);
  FakeHost down;
  down.respond("GET", kUrl, 503, "");
  EXPECT_EQ(statusOf(down).status, SB_ERR_UNAVAILABLE);
  FakeHost garbled;
  garbled.respond("GET", kUrl, 200, "{\"state\":");
  EXPECT_EQ(statusOf(garbled).status, SB_ERR_UNAVAILABLE);
  FakeHost shapeless;
  shapeless.respond("GET", kUrl, 200, R"({"state":7})");
  EXPECT_EQ(statusOf(shapeless).output, "Example Cloud sent an unexpected reply: no \"state\" string");
  FakeHost slow;
  slow.failRequest("GET", kUrl, SB_ERR_TIMEOUT, "deadline passed");
  EXPECT_EQ(statusOf(slow).status, SB_ERR_TIMEOUT);
}

TEST(Example, RefusesAnIncompleteRequest) {
  FakeHost host;
  const auto outcome = statusOf(host, R"({"settings":{},"secrets":{"token":"t"}})");
  EXPECT_EQ(outcome.status, SB_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(outcome.output, "settings.project is required");
  EXPECT_TRUE(host.requests().empty());
}

}  // namespace
