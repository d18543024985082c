// The Netlify test plugin on the SDK's fake host: each mapping of a reply.
#include <gtest/gtest.h>

#include <switchboard/conformance.hpp>
#include <switchboard/fake_host.hpp>

#include "netlify_plugin.hpp"

using switchboard::testing::FakeHost;
using switchboard::testing::PluginHarness;

namespace {

constexpr const char* kRequest =
    R"({"projectId":"p1","key":"netlify","baseUrl":"http://fake/api/v1","settings":{"siteId":"site_demo"},"secrets":{"token":"nf-token"}})";
constexpr const char* kUrl = "http://fake/api/v1/sites/site_demo/deploys?per_page=1";

std::string statusOf(FakeHost& host) {
  PluginHarness plugin(switchboard::descriptorFor<NetlifyPlugin>(), host);
  EXPECT_EQ(plugin.init("{}").status, SB_OK);
  auto outcome = plugin.status(kRequest);
  if (outcome.status == SB_OK) {
    EXPECT_EQ(switchboard::statusDocumentProblem(outcome.output), "") << outcome.output;
  }
  return (outcome.status == SB_OK ? "" : "failed: ") + outcome.output;
}

TEST(Netlify, DescriptorIsConformant) {
  EXPECT_TRUE(switchboard::descriptorProblems(switchboard::descriptorFor<NetlifyPlugin>()).empty());
}

TEST(Netlify, ReadyDeployIsConnected) {
  FakeHost host;
  host.setNowMs(1'800'000'000'000);
  host.respond("GET", kUrl, 200,
               R"([{"id":"d1","state":"ready","name":"demo-docs","ssl_url":"https://demo-docs.netlify.app","created_at":"2027-01-15T07:58:00.000Z"}])");
  const std::string document = statusOf(host);
  EXPECT_NE(document.find(R"("status":"connected","summary":"Deploy ready 2m ago")"), std::string::npos) << document;
  ASSERT_EQ(host.requests().size(), 1u);
  EXPECT_EQ(host.requests()[0].url, kUrl);
}

TEST(Netlify, MapsRevokedRateLimitedAndFailures) {
  FakeHost revoked;
  revoked.respond("GET", kUrl, 401, R"({"code":401,"message":"Access Denied"})");
  EXPECT_NE(statusOf(revoked).find(R"("configuredReason":"revoked")"), std::string::npos);
  FakeHost limited;
  limited.respond("GET", kUrl, 429, "{}", {{"Retry-After", "42"}});
  EXPECT_NE(statusOf(limited).find(R"("retryAfter":42)"), std::string::npos);
  FakeHost broken;
  broken.respond("GET", kUrl, 500, R"({"code":500,"message":"Internal Server Error"})");
  EXPECT_EQ(statusOf(broken), "failed: Netlify answered HTTP 500");
  FakeHost garbled;
  garbled.respond("GET", kUrl, 200, "[{");
  EXPECT_EQ(statusOf(garbled).rfind("failed: Netlify sent malformed JSON", 0), 0u);
}

}  // namespace
