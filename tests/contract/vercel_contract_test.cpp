// Contract tests for the vercel plugin (plugins/vercel) against the Vercel
// fake (tests/fakes/vercel_fake.cpp): every mapping of the status adapter.
#include <cstdint>
#include <string>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Array.h>
#include <Poco/Timestamp.h>
#include <gtest/gtest.h>

#include "contract_support.hpp"
#include "plugins/host_services.hpp"
#include "plugins/plugin_loader.hpp"

namespace sb::test {
namespace {

constexpr const char* kToken = "vercel_contractToken0123456789secret";
const std::string kSecrets = std::string("{\"token\":\"") + kToken + "\"}";
const std::string kDemo = R"({"projectId":"prj_demo"})";
constexpr std::int64_t kHourMs = 60 * 60 * 1000;
constexpr std::int64_t kDayMs = 24 * kHourMs;

// Every answer, document or failure reason, is checked for the token.
StatusCall status(Contract& contract, const std::string& settings, int deadlineMs = 2000) {
  StatusCall call = contract.status(settings, kSecrets, deadlineMs);
  EXPECT_EQ(call.output.find(kToken), std::string::npos) << call.output;
  return call;
}

Poco::JSON::Object::Ptr byKey(const StatusCall& call, const std::string& list, const std::string& key,
                              const std::string& value) {
  if (call.document.isNull()) return nullptr;
  Poco::JSON::Array::Ptr items = call.document->getArray(list);
  if (items.isNull()) return nullptr;
  for (std::size_t i = 0; i < items->size(); ++i) {
    Poco::JSON::Object::Ptr item = items->getObject(static_cast<unsigned>(i));
    if (!item.isNull() && item->has(key) && item->getValue<std::string>(key) == value) return item;
  }
  return nullptr;
}

std::size_t count(const StatusCall& call, const std::string& list) {
  if (call.document.isNull() || call.document->getArray(list).isNull()) return 0;
  return call.document->getArray(list)->size();
}

std::int64_t epochMs(const std::string& iso8601Text) {
  int tzd = 0;
  return Poco::DateTimeParser::parse(Poco::DateTimeFormat::ISO8601_FORMAT, iso8601Text, tzd).timestamp().epochMicroseconds() /
         1000;
}

std::string query(const fakes::FakeRequest& request, const std::string& name) {
  auto it = request.query.find(name);
  return it == request.query.end() ? std::string("<absent>") : it->second;
}

TEST(VercelContract, LiveProductionAndPreview) {
  Contract c("vercel");
  StatusCall r = status(c, kDemo);
  ASSERT_EQ(r.status, SB_OK) << r.output;
  ASSERT_FALSE(r.document.isNull());
  EXPECT_EQ(field(r.document, "status"), "connected");
  EXPECT_EQ(field(r.document, "summary"), "25 deployments this week \xC2\xB7 Live");
  EXPECT_EQ(field(r.document, "problem"), "");
  EXPECT_EQ(field(r.document, "resource.label"), "demo-web");
  EXPECT_EQ(field(r.document, "resource.url"), "https://demo-web-1000-acme.vercel.app");
  EXPECT_EQ(field(r.document, "resource.private"), "true");
  EXPECT_EQ(field(r.document, "resource.genericLabel"), "Private project");

  ASSERT_EQ(count(r, "environments"), 2u);
  auto production = byKey(r, "environments", "name", "production");
  auto preview = byKey(r, "environments", "name", "preview");
  ASSERT_FALSE(production.isNull());
  ASSERT_FALSE(preview.isNull());
  EXPECT_EQ(field(production, "status"), "connected");
  EXPECT_EQ(field(production, "summary"), "Live");
  EXPECT_EQ(field(production, "url"), "https://demo-web-1000-acme.vercel.app");
  EXPECT_EQ(field(preview, "status"), "connected");
  EXPECT_EQ(field(preview, "url"), "https://demo-web-1001-acme.vercel.app");

  // One page holds the week; the latest production deployment is asked for
  // alongside. The fake's deployments are 5 h apart, the newest a production.
  ASSERT_EQ(c.fake().requests().size(), 2u);
  EXPECT_EQ(epochMs(field(production, "lastDeployAt")) - epochMs(field(preview, "lastDeployAt")), 5 * kHourMs);

  const std::vector<std::pair<std::string, std::string>> actions{
      {"deploy", "admin"}, {"deploy-preview", "editor"}, {"link", "admin"}, {"connect", "admin"}};
  for (const auto& [id, role] : actions) {
    auto item = byKey(r, "actions", "id", id);
    ASSERT_FALSE(item.isNull()) << id;
    EXPECT_EQ(field(item, "minRole"), role) << id;
    EXPECT_EQ(field(item, "enabled"), "") << id;
  }
  EXPECT_EQ(field(byKey(r, "actions", "id", "deploy"), "label"), "Deploy");
  EXPECT_EQ(field(byKey(r, "actions", "id", "deploy-preview"), "label"), "Deploy preview");
  EXPECT_EQ(field(byKey(r, "actions", "id", "link"), "label"), "Link project");
  EXPECT_EQ(field(byKey(r, "actions", "id", "connect"), "label"), "Reconnect");
}

TEST(VercelContract, FollowsPaginationWithinTheWeek) {
  Contract c("vercel");
  c.fake().setMode("busy_week");
  StatusCall r = status(c, kDemo);
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "summary"), "130 deployments this week \xC2\xB7 Live");
  const auto all = c.fake().requests();
  ASSERT_EQ(all.size(), 3u);
  // The week's pages, in order; the third request is the latest production
  // deployment, asked for at the same time (QuietWeekLooksUp... checks it).
  const auto requests = requestsWhere(all, [](const auto& r) { return query(r, "target") == "<absent>"; });
  ASSERT_EQ(requests.size(), 2u);
  for (const auto& request : requests) {
    EXPECT_EQ(request.method, "GET");
    EXPECT_EQ(request.path, "/v6/deployments");
    EXPECT_EQ(request.header("authorization"), std::string("Bearer ") + kToken);
    EXPECT_EQ(request.header("user-agent"), "switchboard");
    EXPECT_EQ(query(request, "projectId"), "prj_demo");
    EXPECT_EQ(query(request, "limit"), "100");
    EXPECT_EQ(query(request, "teamId"), "<absent>");
    EXPECT_EQ(query(request, "target"), "<absent>");
  }
  EXPECT_EQ(query(requests[0], "until"), "<absent>");
  // Both pages share the same lower bound, a week before the first request.
  EXPECT_EQ(query(requests[0], "since"), query(requests[1], "since"));
  const std::int64_t since = std::stoll(query(requests[0], "since"));
  const std::int64_t until = std::stoll(query(requests[1], "until"));
  // until is the 100th deployment: 99 x 75 min + 2 min before the fake
  // started, which was at most a few seconds before the plugin's clock put
  // `since` a week back.
  const std::int64_t fakeStart = until + 99 * 75 * 60 * 1000 + 2 * 60 * 1000;
  EXPECT_GE(since + 7 * kDayMs, fakeStart);
  EXPECT_LE(since + 7 * kDayMs - fakeStart, 60 * 1000);
}

TEST(VercelContract, TeamIdIsForwarded) {
  Contract c("vercel");
  StatusCall r = status(c, R"({"projectId":"prj_demo","teamId":"team_demo"})");
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "status"), "connected");
  const auto requests = c.fake().requests();
  ASSERT_FALSE(requests.empty());
  for (const auto& request : requests) EXPECT_EQ(query(request, "teamId"), "team_demo");
}

TEST(VercelContract, BuildingProductionIsWarning) {
  Contract c("vercel");
  c.fake().setMode("building");
  StatusCall r = status(c, kDemo);
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "status"), "warning");
  EXPECT_EQ(field(r.document, "summary"), "25 deployments this week \xC2\xB7 Building");
  auto production = byKey(r, "environments", "name", "production");
  ASSERT_FALSE(production.isNull());
  EXPECT_EQ(field(production, "status"), "warning");
  EXPECT_EQ(field(production, "summary"), "Building");
  EXPECT_EQ(field(byKey(r, "environments", "name", "preview"), "status"), "connected");
}

TEST(VercelContract, FailedProductionIsError) {
  Contract c("vercel");
  c.fake().setMode("deploy_error");
  StatusCall r = status(c, kDemo);
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "status"), "error");
  EXPECT_EQ(field(r.document, "summary"), "25 deployments this week \xC2\xB7 Failing");
  auto production = byKey(r, "environments", "name", "production");
  ASSERT_FALSE(production.isNull());
  EXPECT_EQ(field(production, "status"), "error");
  EXPECT_EQ(field(production, "summary"), "Failed");
  EXPECT_EQ(field(r.document, "problem"), "");
}

TEST(VercelContract, QuietWeekLooksUpTheLiveProductionDeployment) {
  Contract c("vercel");
  c.fake().setMode("quiet_week");
  StatusCall r = status(c, kDemo);
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "status"), "connected");
  EXPECT_EQ(field(r.document, "summary"), "0 deployments this week \xC2\xB7 Live");
  ASSERT_EQ(count(r, "environments"), 1u);
  auto production = byKey(r, "environments", "name", "production");
  ASSERT_FALSE(production.isNull());
  EXPECT_EQ(field(production, "url"), "https://demo-web-0900-acme.vercel.app");
  // Asked for at the same time as the week's list, so in either order.
  const auto requests = c.fake().requests();
  ASSERT_EQ(requests.size(), 2u);
  const auto latest =
      requestsWhere(requests, [](const auto& r) { return query(r, "target") == "production"; });
  ASSERT_EQ(latest.size(), 1u);
  EXPECT_EQ(latest[0].path, "/v6/deployments");
  EXPECT_EQ(query(latest[0], "limit"), "1");
  EXPECT_EQ(query(latest[0], "since"), "<absent>");
  EXPECT_EQ(query(latest[0], "projectId"), "prj_demo");
}

TEST(VercelContract, NoDeploymentsIsWarning) {
  Contract c("vercel");
  c.fake().setMode("empty");
  StatusCall r = status(c, kDemo);
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "status"), "warning");
  EXPECT_EQ(field(r.document, "summary"), "No deployments yet");
  EXPECT_EQ(count(r, "environments"), 0u);
  EXPECT_EQ(field(r.document, "resource.label"), "prj_demo");
  EXPECT_EQ(field(r.document, "resource.url"), "");
}

void expectRevoked(const StatusCall& r) {
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "status"), "error");
  EXPECT_EQ(field(r.document, "configuredReason"), "revoked");
  EXPECT_EQ(field(r.document, "problem.code"), "oauth_revoked");
  EXPECT_FALSE(field(r.document, "problem.hint").empty());
  for (const std::string id : {"deploy", "deploy-preview", "link"}) {
    auto item = byKey(r, "actions", "id", id);
    ASSERT_FALSE(item.isNull()) << id;
    EXPECT_EQ(field(item, "enabled"), "false") << id;
    EXPECT_FALSE(field(item, "reason").empty()) << id;
  }
  EXPECT_EQ(field(byKey(r, "actions", "id", "connect"), "enabled"), "");
}

TEST(VercelContract, ForbiddenTokenIsRevokedAndDisablesDeploys) {
  Contract c("vercel");
  c.fake().setMode("unauthorized");
  expectRevoked(status(c, kDemo));
}

TEST(VercelContract, RevokedTokenAndForeignTeamAreRevoked) {
  Contract c("vercel");
  expectRevoked(c.status(kDemo, R"({"token":"revoked"})"));
  expectRevoked(status(c, R"({"projectId":"prj_demo","teamId":"team_other"})"));
}

TEST(VercelContract, RateLimitWaitsUntilReset) {
  Contract c("vercel");
  c.fake().setMode("rate_limited");
  StatusCall r = status(c, kDemo);
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "status"), "warning");
  EXPECT_EQ(field(r.document, "summary"), "Rate limited by Vercel");
  EXPECT_EQ(field(r.document, "problem.code"), "rate_limited");
  // The fake resets 60 s after its reply; whole seconds may have ticked since.
  const int retryAfter = std::stoi(field(r.document, "problem.retryAfter"));
  EXPECT_GE(retryAfter, 58);
  EXPECT_LE(retryAfter, 60);
}

TEST(VercelContract, RateLimitWithRetryAfter) {
  Contract c("vercel");
  c.fake().setMode("rate_limited_retry_after");
  StatusCall r = status(c, kDemo);
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "problem.code"), "rate_limited");
  EXPECT_EQ(field(r.document, "problem.retryAfter"), "30");
}

TEST(VercelContract, MissingProjectIsError) {
  Contract c("vercel");
  c.fake().setMode("not_found");
  StatusCall r = status(c, kDemo);
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "status"), "error");
  EXPECT_EQ(field(r.document, "problem.code"), "unknown");
  EXPECT_EQ(field(r.document, "problem.hint"), "Project not found, or the token cannot see it");
  c.fake().setMode("ok");
  StatusCall unknown = status(c, R"({"projectId":"prj_missing"})");
  ASSERT_EQ(unknown.status, SB_OK) << unknown.output;
  EXPECT_EQ(field(unknown.document, "problem.hint"), "Project not found, or the token cannot see it");
}

TEST(VercelContract, ServerErrorIsUnavailable) {
  Contract c("vercel");
  c.fake().setMode("server_error");
  StatusCall r = status(c, kDemo);
  EXPECT_EQ(r.status, SB_ERR_UNAVAILABLE);
  EXPECT_NE(r.output.find("500"), std::string::npos) << r.output;
}

TEST(VercelContract, MalformedJsonIsUnavailable) {
  Contract c("vercel");
  c.fake().setMode("malformed");
  StatusCall r = status(c, kDemo);
  EXPECT_EQ(r.status, SB_ERR_UNAVAILABLE);
  EXPECT_NE(r.output.find("malformed JSON"), std::string::npos) << r.output;
}

TEST(VercelContract, OversizedBodyIsUnavailable) {
  Contract c("vercel", 64 * 1024);
  c.fake().setMode("oversized");
  StatusCall r = status(c, kDemo);
  EXPECT_EQ(r.status, SB_ERR_UNAVAILABLE) << r.output;
}

TEST(VercelContract, HungProviderTimesOut) {
  Contract c("vercel");
  c.fake().setMode("hang");
  StatusCall r = status(c, kDemo, 300);
  EXPECT_EQ(r.status, SB_ERR_TIMEOUT) << r.output;
}

TEST(VercelContract, UnreachableProviderIsUnavailable) {
  Contract c("vercel");
  c.fake().stop();
  StatusCall r = status(c, kDemo);
  EXPECT_EQ(r.status, SB_ERR_UNAVAILABLE) << r.output;
}

TEST(VercelContract, BadSettingsAreInvalidArgument) {
  Contract c("vercel");
  for (const std::string settings : {R"({})", R"({"projectId":""})", R"({"projectId":7})"}) {
    StatusCall r = status(c, settings);
    EXPECT_EQ(r.status, SB_ERR_INVALID_ARGUMENT) << settings;
    EXPECT_NE(r.output.find("settings.projectId"), std::string::npos) << r.output;
  }
  StatusCall noToken = c.status(kDemo, "{}");
  EXPECT_EQ(noToken.status, SB_ERR_INVALID_ARGUMENT);
  EXPECT_NE(noToken.output.find("secrets.token"), std::string::npos) << noToken.output;
  EXPECT_EQ(c.fake().requestCount(), 0u);
}

// Contract loads plugins with "{}"; this one needs its own init settings.
Result<std::shared_ptr<LoadedPlugin>> loadVercel(const fakes::FakeServer& fake, const std::string& settings) {
  Result<OpenedPlugin> opened = openPlugin(std::string(SWITCHBOARD_BUNDLED_PLUGIN_DIR) + "/vercel.so");
  if (!opened) return opened.status();
  return LoadedPlugin::initialise(std::move(opened).value(), fakeProviderServices("vercel", fake), settings);
}

TEST(VercelContract, DeploymentsApiVersionComesFromInitSettings) {
  fakes::FakeServer fake(fakes::makeVercelFake());
  fake.start();
  auto plugin = loadVercel(fake, R"({"deploymentsApiVersion":"v7"})");
  ASSERT_TRUE(plugin) << plugin.status().message();
  PluginCall call;
  call.deadlineMs = systemNowMs() + 2000;
  const std::string request = R"({"projectId":"p","key":"vercel","baseUrl":")" + fake.baseUrl() +
                              R"(","settings":{"projectId":"prj_demo"},"secrets":{"token":"t"}})";
  HookOutcome outcome = plugin.value()->invoke(PluginHook::Status, request, call);
  EXPECT_EQ(outcome.status, SB_OK) << outcome.output;
  const auto requests = fake.requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_EQ(requests[0].path, "/v7/deployments");

  for (const std::string bad : {R"({"deploymentsApiVersion":"6"})", R"({"deploymentsApiVersion":"v6/../x"})",
                                R"({"deploymentsApiVersion":6})"}) {
    auto refused = loadVercel(fake, bad);
    ASSERT_FALSE(refused) << bad;
    EXPECT_NE(refused.status().message().find("deploymentsApiVersion"), std::string::npos)
        << refused.status().message();
  }
  fake.stop();
}

}  // namespace
}  // namespace sb::test
