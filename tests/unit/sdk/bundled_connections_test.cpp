// vercel, sanity and supabase on a link that uses an OAuth connection (ABI
// 1.3), loaded as the host loads them and driven through the SDK's fake host:
// the connection's token is sent instead of secrets.token, and a 401 to it
// is followed by one refresh (Call::refreshAccessToken) and one retry with
// the new token; a refused refresh leaves the 401, reported as revoked.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "switchboard/fake_host.hpp"
#include "switchboard/json.hpp"
#include "switchboard/provider.hpp"
#include "switchboard/time.hpp"

#include "loaded_library.hpp"

namespace {

using switchboard::Outcome;
using switchboard::provider::urlEncode;
using switchboard::testing::FakeCall;
using switchboard::testing::FakeHost;
using switchboard::testing::LoadedLibrary;
using switchboard::testing::PluginHarness;
using switchboard::testing::RecordedRequest;

constexpr const char* kBase = "http://fake";
constexpr std::int64_t kDayMs = 24LL * 60 * 60 * 1000;

std::string authorization(const RecordedRequest& request) {
  for (const auto& [name, value] : request.headers) {
    if (name == "Authorization") return value;
  }
  return "<none>";
}

std::vector<std::string> tokensSentTo(const FakeHost& host, const std::string& url) {
  std::vector<std::string> tokens;
  for (const RecordedRequest& request : host.requests()) {
    if (request.url == url) tokens.push_back(authorization(request));
  }
  return tokens;
}

// The on_status request of a link on a connection: no secrets stored.
std::string statusRequest(const std::string& key, const std::string& settings) {
  return R"({"projectId":"p1","key":")" + key + R"(","baseUrl":")" + kBase + R"(","settings":)" + settings +
         R"(,"secrets":{}})";
}

// Loads `path`, runs on_status once with `call`, and checks nothing leaked.
Outcome statusOf(const std::string& path, FakeHost& host, FakeCall& call, const std::string& request) {
  LoadedLibrary library(path);
  const sb_plugin* plugin = library.descriptor();
  EXPECT_NE(plugin, nullptr) << library.error();
  if (plugin == nullptr) return Outcome::failure(SB_ERR_INTERNAL, "not loaded");
  Outcome outcome;
  {
    PluginHarness harness(plugin, host);
    EXPECT_EQ(harness.init("{}").status, SB_OK);
    outcome = harness.status(request, &call);
  }
  EXPECT_EQ(host.openResponses(), 0u);
  return outcome;
}

// ---- supabase: one request -------------------------------------------------------

const std::string kSupabaseHealth =
    std::string(kBase) + "/v1/projects/abcdef/health?services=" + urlEncode("db,auth,rest,realtime,storage");
const std::string kSupabaseLink = R"({"projectRef":"abcdef"})";

TEST(BundledConnections, SupabaseRefreshesOnceAfterA401AndRetries) {
  FakeHost host;
  host.respond("GET", kSupabaseHealth, 401, R"({"message":"expired"})");
  host.respond("GET", kSupabaseHealth, 200, R"([{"name":"db","healthy":true,"status":"ACTIVE_HEALTHY"}])");
  FakeCall call;
  call.useConnection("old-token", "new-token");
  const Outcome status = statusOf(SB_PLUGIN_SUPABASE, host, call, statusRequest("supabase", kSupabaseLink));
  ASSERT_EQ(status.status, SB_OK) << status.output;
  EXPECT_NE(status.output.find(R"("status":"connected")"), std::string::npos) << status.output;
  EXPECT_EQ(tokensSentTo(host, kSupabaseHealth), (std::vector<std::string>{"Bearer old-token", "Bearer new-token"}));
  EXPECT_EQ(call.refreshes(), 1);
}

TEST(BundledConnections, SupabaseReportsARevokedGrantAfterTheRefreshIsRefused) {
  FakeHost host;
  host.respond("GET", kSupabaseHealth, 401, "{}");
  FakeCall call;
  call.useConnection("old-token", "", SB_ERR_UNAUTHORIZED);
  const Outcome status = statusOf(SB_PLUGIN_SUPABASE, host, call, statusRequest("supabase", kSupabaseLink));
  ASSERT_EQ(status.status, SB_OK) << status.output;
  EXPECT_NE(status.output.find(R"("configuredReason":"revoked")"), std::string::npos) << status.output;
  EXPECT_EQ(tokensSentTo(host, kSupabaseHealth), std::vector<std::string>{"Bearer old-token"}) << "no retry";
  EXPECT_EQ(call.refreshes(), 1);
}

TEST(BundledConnections, WithoutAConnectionTheLinkSecretGoesAndA401IsNotRefreshed) {
  FakeHost host;
  host.respond("GET", kSupabaseHealth, 401, "{}");
  FakeCall call;
  const Outcome status = statusOf(
      SB_PLUGIN_SUPABASE, host, call,
      R"({"baseUrl":"http://fake","settings":{"projectRef":"abcdef"},"secrets":{"accessToken":"sbp_link"}})");
  ASSERT_EQ(status.status, SB_OK) << status.output;
  EXPECT_NE(status.output.find(R"("configuredReason":"revoked")"), std::string::npos) << status.output;
  EXPECT_EQ(tokensSentTo(host, kSupabaseHealth), std::vector<std::string>{"Bearer sbp_link"});
  EXPECT_EQ(call.refreshes(), 0);
}

// ---- sanity: the count and the webhooks at once ------------------------------------

TEST(BundledConnections, SanityRefreshesOnceAfterA401AndRetries) {
  FakeHost host;
  const std::string since = switchboard::time::formatIso8601(1'700'000'000'000 - kDayMs);
  const std::string query = std::string(kBase) + "/v2025-02-19/data/query/production?query=" +
                            urlEncode("count(*[_updatedAt > $since])") + "&$since=" + urlEncode("\"" + since + "\"");
  const std::string hooks = std::string(kBase) + "/v2021-10-04/hooks/projects/abc123";
  host.respond("GET", query, 401, R"({"error":"Unauthorized"})");
  host.respond("GET", query, 200, R"({"ms":3,"result":2})");
  host.respond("GET", hooks, 200, R"([{"id":"h1","dataset":"production","isDisabled":false}])");
  FakeCall call;
  call.useConnection("old-token", "new-token");
  const Outcome status = statusOf(SB_PLUGIN_SANITY, host, call,
                                  statusRequest("sanity", R"({"projectId":"abc123","dataset":"production"})"));
  ASSERT_EQ(status.status, SB_OK) << status.output;
  EXPECT_NE(status.output.find("2 docs updated today"), std::string::npos) << status.output;
  EXPECT_EQ(tokensSentTo(host, query), (std::vector<std::string>{"Bearer old-token", "Bearer new-token"}));
  EXPECT_EQ(tokensSentTo(host, hooks).size(), 1u);
  EXPECT_EQ(call.refreshes(), 1);
}

// ---- vercel: the week and the latest production deployment at once -------------------

TEST(BundledConnections, VercelRefreshesOnceAfterA401AndRetries) {
  FakeHost host;
  const std::int64_t now = 1'700'000'000'000;
  const std::string week = std::string(kBase) + "/v6/deployments?projectId=prj_1&limit=100&since=" +
                           std::to_string(now - 7 * kDayMs);
  const std::string production = std::string(kBase) + "/v6/deployments?projectId=prj_1&limit=1&target=production";
  host.respond("GET", week, 401, R"({"error":{"code":"forbidden","invalidToken":true}})");
  host.respond("GET", week, 200,
               R"({"deployments":[{"uid":"dpl_1","name":"web","url":"web.vercel.app","createdAt":)" +
                   std::to_string(now - 60'000) + R"(,"readyState":"READY","target":"production"}],"pagination":{}})");
  host.respond("GET", production, 200, R"({"deployments":[],"pagination":{}})");
  FakeCall call;
  call.useConnection("old-token", "new-token");
  const Outcome status = statusOf(SB_PLUGIN_VERCEL, host, call, statusRequest("vercel", R"({"projectId":"prj_1"})"));
  ASSERT_EQ(status.status, SB_OK) << status.output;
  EXPECT_NE(status.output.find(R"("status":"connected")"), std::string::npos) << status.output;
  EXPECT_EQ(tokensSentTo(host, week), (std::vector<std::string>{"Bearer old-token", "Bearer new-token"}));
  EXPECT_EQ(call.refreshes(), 1);
}

// ---- vercel: the account label from Sign in with Vercel's id_token --------------

TEST(BundledConnections, VercelNamesTheAccountFromTheIdToken) {
  // {"sub":"u_1","preferred_username":"octo-team"}, unsigned: the label is read, not trusted.
  const std::string idToken =
      "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9."
      "eyJzdWIiOiJ1XzEiLCJwcmVmZXJyZWRfdXNlcm5hbWUiOiJvY3RvLXRlYW0ifQ.c2ln";
  FakeHost host;
  LoadedLibrary library(SB_PLUGIN_VERCEL);
  ASSERT_NE(library.descriptor(), nullptr) << library.error();
  PluginHarness harness(library.descriptor(), host);
  ASSERT_EQ(harness.init("{}").status, SB_OK);
  const std::string reply =
      R"({"access_token":"at","token_type":"Bearer","expires_in":3600,"id_token":")" + idToken + "\"}";
  const Outcome out = harness.tokenResponse(R"({"status":200,"body":)" + switchboard::json::quote(reply) +
                                            R"(,"baseUrl":""})");
  ASSERT_EQ(out.status, SB_OK) << out.output;
  EXPECT_EQ(out.output, R"({"accessToken":"at","expiresIn":3600,"account":"octo-team"})");
  EXPECT_TRUE(host.requests().empty()) << "no request of its own";
}

}  // namespace
