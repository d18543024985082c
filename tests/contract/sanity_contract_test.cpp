// Contract tests for the sanity plugin against the fake Sanity API
// (tests/fakes/sanity_fake.cpp): every status mapping of the adapter, the
// requests it sends, and that the token never leaks into any output.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timestamp.h>
#include <Poco/URI.h>
#include <gtest/gtest.h>

#include "contract_support.hpp"

namespace sb::test {
namespace {

const std::string kToken = "sanity-contract-token";
const std::string kSettings = R"({"projectId":"abc123de","dataset":"production"})";
const std::string kSecrets = R"({"token":"sanity-contract-token"})";

std::int64_t wallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Poco::JSON::Object::Ptr action(const StatusCall& call, const std::string& id) {
  Poco::JSON::Array::Ptr actions = call.document->getArray("actions");
  for (std::size_t i = 0; actions && i < actions->size(); ++i) {
    Poco::JSON::Object::Ptr item = actions->getObject(static_cast<unsigned>(i));
    if (item->getValue<std::string>("id") == id) return item;
  }
  return nullptr;
}

StatusCall statusInMode(Contract& c, const std::string& mode) {
  c.fake().setMode(mode);
  return c.status(kSettings, kSecrets);
}

// One fake and one loaded plugin for the suite: starting and stopping a fake
// costs a quarter of a second. Each test starts from mode "ok", no latency and
// no recorded requests. Tests that stop the fake, need another body cap or
// measure latency build their own Contract.
class SanityContract : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { shared_ = std::make_unique<Contract>("sanity"); }
  static void TearDownTestSuite() { shared_.reset(); }
  void SetUp() override {
    shared_->fake().setBehaviour(fakes::Behaviour{});
    shared_->fake().clearRequests();
  }
  static Contract& contract() { return *shared_; }

 private:
  static inline std::unique_ptr<Contract> shared_;
};

TEST_F(SanityContract, ActiveWebhookIsConnectedWithTodaysChanges) {
  Contract& c = contract();
  StatusCall r = c.status(kSettings, kSecrets);
  ASSERT_EQ(r.status, SB_OK) << r.output;
  ASSERT_FALSE(r.document.isNull()) << r.output;
  EXPECT_EQ(field(r.document, "status"), "connected");
  EXPECT_EQ(field(r.document, "summary"), "5 docs updated today · Live sync");
  EXPECT_EQ(field(r.document, "problem"), "");
  EXPECT_EQ(field(r.document, "configuredReason"), "");
  EXPECT_EQ(field(r.document, "resource.label"), "abc123de/production");
  EXPECT_EQ(field(r.document, "resource.url"), "https://www.sanity.io/manage/project/abc123de");
  EXPECT_EQ(field(r.document, "resource.private"), "true");
  EXPECT_EQ(field(r.document, "resource.genericLabel"), "Private dataset");
}

TEST_F(SanityContract, OffersSyncStudioAndReconnectActions) {
  Contract& c = contract();
  StatusCall r = c.status(kSettings, kSecrets);
  ASSERT_EQ(r.status, SB_OK) << r.output;
  const std::vector<std::vector<std::string>> expected{
      {"sync", "Sync content", "editor"}, {"open-studio", "Open Studio", "viewer"}, {"connect", "Reconnect", "admin"}};
  ASSERT_EQ(r.document->getArray("actions")->size(), expected.size());
  for (const auto& want : expected) {
    Poco::JSON::Object::Ptr item = action(r, want[0]);
    ASSERT_FALSE(item.isNull()) << want[0];
    EXPECT_EQ(field(item, "label"), want[1]);
    EXPECT_EQ(field(item, "minRole"), want[2]);
    EXPECT_EQ(field(item, "enabled"), "") << "enabled is only written when false";
  }
}

TEST_F(SanityContract, NoWebhookIsWarning) {
  Contract& c = contract();
  StatusCall r = statusInMode(c, "no_webhook");
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "status"), "warning");
  EXPECT_EQ(field(r.document, "summary"), "5 docs updated today · No webhook");
}

TEST_F(SanityContract, DisabledWebhookIsWarning) {
  Contract& c = contract();
  StatusCall r = statusInMode(c, "webhook_disabled");
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "status"), "warning");
  EXPECT_EQ(field(r.document, "summary"), "5 docs updated today · Webhook disabled");
}

TEST_F(SanityContract, UnreadableWebhooksAreWarningWithHint) {
  Contract& c = contract();
  StatusCall r = statusInMode(c, "hooks_forbidden");
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "status"), "warning");
  EXPECT_EQ(field(r.document, "summary"), "5 docs updated today · Webhook status unknown");
  EXPECT_EQ(field(r.document, "problem.code"), "unknown");
  EXPECT_NE(field(r.document, "problem.hint").find("webhooks"), std::string::npos);
}

TEST_F(SanityContract, RejectedTokenIsRevokedAndDisablesSync) {
  Contract& c = contract();
  StatusCall r = statusInMode(c, "unauthorized");
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "status"), "error");
  EXPECT_EQ(field(r.document, "configuredReason"), "revoked");
  EXPECT_EQ(field(r.document, "problem.code"), "oauth_revoked");
  EXPECT_NE(field(r.document, "problem.hint").find("Reconnect"), std::string::npos);
  Poco::JSON::Object::Ptr sync = action(r, "sync");
  ASSERT_FALSE(sync.isNull());
  EXPECT_EQ(field(sync, "enabled"), "false");
  EXPECT_FALSE(field(sync, "reason").empty());
  EXPECT_EQ(field(action(r, "connect"), "enabled"), "") << "reconnecting stays possible";
}

TEST_F(SanityContract, WrongTokenIsRevoked) {
  Contract& c = contract();
  StatusCall r = c.status(kSettings, R"({"token":"someone-elses-token"})");
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "configuredReason"), "revoked");
  EXPECT_EQ(field(r.document, "problem.code"), "oauth_revoked");
}

TEST_F(SanityContract, RateLimitCarriesRetryAfter) {
  Contract& c = contract();
  StatusCall r = statusInMode(c, "rate_limited");
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "status"), "warning");
  EXPECT_EQ(field(r.document, "problem.code"), "rate_limited");
  EXPECT_EQ(field(r.document, "problem.retryAfter"), "17");
}

TEST_F(SanityContract, RateLimitFallsBackToRatelimitReset) {
  Contract& c = contract();
  StatusCall r = statusInMode(c, "rate_limited_reset");
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "problem.code"), "rate_limited");
  EXPECT_EQ(field(r.document, "problem.retryAfter"), "9");
}

TEST_F(SanityContract, UnknownDatasetIsErrorWithHint) {
  Contract& c = contract();
  StatusCall r = statusInMode(c, "not_found");
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "status"), "error");
  EXPECT_EQ(field(r.document, "summary"), "Project or dataset not found");
  EXPECT_EQ(field(r.document, "problem.code"), "unknown");
  EXPECT_NE(field(r.document, "problem.hint").find("dataset"), std::string::npos);
}

TEST_F(SanityContract, UnknownProjectOnWebhooksIsErrorWithHint) {
  Contract& c = contract();
  // The fake's data host serves any project id; its webhooks API knows only abc123de.
  StatusCall r = c.status(R"({"projectId":"zz999zz","dataset":"production"})", kSecrets);
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "status"), "error");
  EXPECT_EQ(field(r.document, "problem.code"), "unknown");
}

TEST_F(SanityContract, ServerErrorIsUnavailable) {
  Contract& c = contract();
  StatusCall r = statusInMode(c, "server_error");
  EXPECT_EQ(r.status, SB_ERR_UNAVAILABLE);
  EXPECT_NE(r.output.find("500"), std::string::npos) << r.output;
}

TEST_F(SanityContract, MalformedJsonIsUnavailable) {
  Contract& c = contract();
  StatusCall r = statusInMode(c, "malformed");
  EXPECT_EQ(r.status, SB_ERR_UNAVAILABLE);
  EXPECT_NE(r.output.find("malformed"), std::string::npos) << r.output;
}

TEST_F(SanityContract, NonNumericResultIsUnavailable) {
  Contract& c = contract();
  StatusCall r = statusInMode(c, "wrong_shape");
  EXPECT_EQ(r.status, SB_ERR_UNAVAILABLE);
  EXPECT_NE(r.output.find("result"), std::string::npos) << r.output;
}

TEST(SanityTransport, OversizedBodyIsUnavailable) {
  Contract c("sanity", 64 * 1024);
  StatusCall r = statusInMode(c, "oversized");
  EXPECT_EQ(r.status, SB_ERR_UNAVAILABLE) << r.output;
}

TEST_F(SanityContract, HungProviderTimesOut) {
  Contract& c = contract();
  c.fake().setMode("hang");
  StatusCall r = c.status(kSettings, kSecrets, 300);
  EXPECT_EQ(r.status, SB_ERR_TIMEOUT) << r.output;
}

TEST(SanityTransport, RefusedConnectionIsUnavailable) {
  Contract c("sanity");
  c.fake().stop();
  StatusCall r = c.status(kSettings, kSecrets);
  EXPECT_EQ(r.status, SB_ERR_UNAVAILABLE) << r.output;
}

TEST_F(SanityContract, BadSettingsAreInvalidArgumentsAndSendNothing) {
  Contract& c = contract();
  const std::vector<std::pair<std::string, std::string>> cases{
      {R"({"dataset":"production"})", "projectId"},
      {R"({"projectId":"abc123de"})", "dataset"},
      {R"({"projectId":"evil.example.com/x","dataset":"production"})", "projectId"},
      {R"({"projectId":"abc123de","dataset":"../admin"})", "dataset"},
      {R"({"projectId":"abc123de","dataset":"production","apiVersion":"latest"})", "apiVersion"}};
  for (const auto& [settings, named] : cases) {
    StatusCall r = c.status(settings, kSecrets);
    EXPECT_EQ(r.status, SB_ERR_INVALID_ARGUMENT) << settings;
    EXPECT_NE(r.output.find(named), std::string::npos) << r.output;
  }
  StatusCall noToken = c.status(kSettings, "{}");
  EXPECT_EQ(noToken.status, SB_ERR_INVALID_ARGUMENT);
  EXPECT_NE(noToken.output.find("token"), std::string::npos) << noToken.output;
  EXPECT_EQ(c.fake().requestCount(), 0u);
}

TEST_F(SanityContract, QueriesRecentChangesThenWebhooksWithBearerToken) {
  Contract& c = contract();
  const std::int64_t before = wallClockMs();
  ASSERT_EQ(c.status(kSettings, kSecrets).status, SB_OK);
  const std::int64_t after = wallClockMs();
  const auto requests = c.fake().requests();
  ASSERT_EQ(requests.size(), 2u);
  // Both go out at once, so they may arrive in either order.
  std::vector<fakes::FakeRequest> sent{requestTo(requests, "/v2025-02-19/data/query/"),
                                       requestTo(requests, "/v2021-10-04/hooks/")};

  EXPECT_EQ(sent[0].method, "GET");
  EXPECT_EQ(sent[0].path, "/v2025-02-19/data/query/production");
  EXPECT_EQ(sent[0].query["query"], "count(*[_updatedAt > $since])");
  EXPECT_EQ(sent[0].header("authorization"), "Bearer " + kToken);
  // $since is a JSON string holding the ISO time 24 h before the call (second precision).
  Poco::JSON::Parser parser;
  auto wrapped = parser.parse("[" + sent[0].query["$since"] + "]").extract<Poco::JSON::Array::Ptr>();
  const std::string since = wrapped->getElement<std::string>(0);
  int tzd = 0;
  Poco::DateTime parsed = Poco::DateTimeParser::parse(Poco::DateTimeFormat::ISO8601_FORMAT, since, tzd);
  const std::int64_t sinceMs = parsed.timestamp().epochMicroseconds() / 1000;
  const std::int64_t day = 24LL * 3600 * 1000;
  EXPECT_GE(sinceMs, before - day - 1000);
  EXPECT_LE(sinceMs, after - day);

  EXPECT_EQ(sent[1].method, "GET");
  EXPECT_EQ(sent[1].path, "/v2021-10-04/hooks/projects/abc123de");
  EXPECT_EQ(sent[1].header("authorization"), "Bearer " + kToken);
}

TEST_F(SanityContract, UsesTheConfiguredApiVersion) {
  Contract& c = contract();
  for (const std::string version : {"2024-01-01", "v2023-06-30"}) {
    c.fake().clearRequests();
    StatusCall r = c.status(R"({"projectId":"abc123de","dataset":"production","apiVersion":")" + version + "\"}",
                            kSecrets);
    ASSERT_EQ(r.status, SB_OK) << r.output;
    const std::string expected = version.front() == 'v' ? version : "v" + version;
    EXPECT_EQ(requestTo(c.fake().requests(), "/" + expected + "/data/").path, "/" + expected + "/data/query/production");
  }
}

TEST(SanitySecrets, TokenNeverAppearsInAnyOutput) {
  Contract c("sanity");
  for (const std::string mode : {"ok", "no_webhook", "webhook_disabled", "hooks_forbidden", "unauthorized",
                                 "rate_limited", "not_found", "server_error", "malformed", "wrong_shape"}) {
    StatusCall r = statusInMode(c, mode);
    EXPECT_EQ(r.output.find(kToken), std::string::npos) << mode << ": " << r.output;
  }
  c.fake().stop();
  StatusCall refused = c.status(kSettings, kSecrets);
  EXPECT_EQ(refused.output.find(kToken), std::string::npos) << refused.output;
}

// The fake itself must evaluate $since, or the adapter's count proves nothing.
TEST(SanityFake, CountsDocumentsUpdatedAfterSince) {
  fakes::FakeServer fake(fakes::makeFake("sanity"));
  fake.start();
  auto count = [&](int hoursAgo) {
    const std::string since =
        "\"" + Poco::DateTimeFormatter::format(Poco::Timestamp((wallClockMs() - hoursAgo * 3600000LL) * 1000),
                                               Poco::DateTimeFormat::ISO8601_FORMAT) + "\"";
    Poco::URI uri("/v2025-02-19/data/query/production");
    uri.addQueryParameter("query", "count(*[_updatedAt > $since])");
    uri.addQueryParameter("$since", since);
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(fake.port()));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, uri.getPathAndQuery());
    request.set("Authorization", "Bearer " + kToken);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
    Poco::JSON::Parser parser;
    return parser.parse(body).extract<Poco::JSON::Object::Ptr>()->getValue<int>("result");
  };
  EXPECT_EQ(count(2), 1);
  EXPECT_EQ(count(24), 5);
  EXPECT_EQ(count(100), 7);
  EXPECT_EQ(count(1000), 8);
}

}  // namespace
}  // namespace sb::test
