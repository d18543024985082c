// Contract tests for the supabase plugin against the fake Management API
// (tests/fakes/supabase_fake.cpp): every status mapping of the adapter, the
// request it sends, the measured latency average, and that the access token
// never leaks into any output.
#include <regex>
#include <memory>
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include "../../plugins/supabase/latency_window.hpp"
#include "contract_support.hpp"

namespace sb::test {
namespace {

const std::string kToken = "sbp_contract_token";
const std::string kSettings = R"({"projectRef":"abcdefghijklmnopqrst"})";
const std::string kSecrets = R"({"accessToken":"sbp_contract_token"})";

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

// The "<N>ms avg" of a summary; -1 when absent.
long averageIn(const std::string& summary) {
  std::smatch match;
  static const std::regex pattern("· ([0-9]+)ms avg$");
  return std::regex_search(summary, match, pattern) ? std::stol(match[1].str()) : -1;
}

// One fake and one loaded plugin for the suite: starting and stopping a fake
// costs a quarter of a second. Each test starts from mode "ok", no latency and
// no recorded requests. Tests that stop the fake, need another body cap or
// measure latency build their own Contract.
class SupabaseContract : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { shared_ = std::make_unique<Contract>("supabase"); }
  static void TearDownTestSuite() { shared_.reset(); }
  void SetUp() override {
    shared_->fake().setBehaviour(fakes::Behaviour{});
    shared_->fake().clearRequests();
  }
  static Contract& contract() { return *shared_; }

 private:
  static inline std::unique_ptr<Contract> shared_;
};

TEST_F(SupabaseContract, AllServicesHealthyIsConnected) {
  Contract& c = contract();
  StatusCall r = c.status(kSettings, kSecrets);
  ASSERT_EQ(r.status, SB_OK) << r.output;
  ASSERT_FALSE(r.document.isNull()) << r.output;
  EXPECT_EQ(field(r.document, "status"), "connected");
  const std::string summary = field(r.document, "summary");
  EXPECT_EQ(summary.rfind("Database healthy · ", 0), 0u) << summary;
  EXPECT_GE(averageIn(summary), 0) << summary;
  EXPECT_EQ(field(r.document, "problem"), "");
  EXPECT_EQ(field(r.document, "resource.label"), "abcdefghijklmnopqrst");
  EXPECT_EQ(field(r.document, "resource.url"), "https://supabase.com/dashboard/project/abcdefghijklmnopqrst");
  EXPECT_EQ(field(r.document, "resource.private"), "true");
  EXPECT_EQ(field(r.document, "resource.genericLabel"), "Private project");
}

TEST_F(SupabaseContract, OffersTestReconnectAndConnectActions) {
  Contract& c = contract();
  StatusCall r = c.status(kSettings, kSecrets);
  ASSERT_EQ(r.status, SB_OK) << r.output;
  const std::vector<std::vector<std::string>> expected{{"test-connection", "Test connection", "editor"},
                                                       {"reconnect", "Reconnect", "admin"},
                                                       {"connect", "Connect", "admin"}};
  ASSERT_EQ(r.document->getArray("actions")->size(), expected.size());
  for (const auto& want : expected) {
    Poco::JSON::Object::Ptr item = action(r, want[0]);
    ASSERT_FALSE(item.isNull()) << want[0];
    EXPECT_EQ(field(item, "label"), want[1]);
    EXPECT_EQ(field(item, "minRole"), want[2]);
    EXPECT_EQ(field(item, "enabled"), "");
  }
}

TEST_F(SupabaseContract, ServiceComingUpIsWarning) {
  Contract& c = contract();
  StatusCall r = statusInMode(c, "coming_up");
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "status"), "warning");
  EXPECT_EQ(field(r.document, "summary").rfind("Storage coming up · ", 0), 0u) << field(r.document, "summary");
}

TEST_F(SupabaseContract, UnhealthyDatabaseIsError) {
  Contract& c = contract();
  StatusCall r = statusInMode(c, "db_unhealthy");
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "status"), "error");
  EXPECT_EQ(field(r.document, "summary"), "Database unhealthy");
}

TEST_F(SupabaseContract, OtherUnhealthyServiceIsNamedWarning) {
  Contract& c = contract();
  StatusCall r = statusInMode(c, "auth_unhealthy");
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "status"), "warning");
  EXPECT_EQ(field(r.document, "summary").rfind("Auth unhealthy · ", 0), 0u) << field(r.document, "summary");
}

TEST_F(SupabaseContract, RejectedTokenIsRevokedAndDisablesTestConnection) {
  Contract& c = contract();
  StatusCall r = statusInMode(c, "unauthorized");
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "status"), "error");
  EXPECT_EQ(field(r.document, "configuredReason"), "revoked");
  EXPECT_EQ(field(r.document, "problem.code"), "oauth_revoked");
  EXPECT_NE(field(r.document, "problem.hint").find("Reconnect"), std::string::npos);
  Poco::JSON::Object::Ptr test = action(r, "test-connection");
  ASSERT_FALSE(test.isNull());
  EXPECT_EQ(field(test, "enabled"), "false");
  EXPECT_FALSE(field(test, "reason").empty());
  EXPECT_EQ(field(action(r, "reconnect"), "enabled"), "");
}

TEST_F(SupabaseContract, WrongTokenIsRevoked) {
  Contract& c = contract();
  StatusCall r = c.status(kSettings, R"({"accessToken":"sbp_someone_else"})");
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "configuredReason"), "revoked");
}

TEST_F(SupabaseContract, RateLimitTakesRetryAfterFromResetHeader) {
  Contract& c = contract();
  StatusCall r = statusInMode(c, "rate_limited");
  ASSERT_EQ(r.status, SB_OK) << r.output;
  EXPECT_EQ(field(r.document, "status"), "warning");
  EXPECT_EQ(field(r.document, "problem.code"), "rate_limited");
  EXPECT_EQ(field(r.document, "problem.retryAfter"), "42");
}

TEST_F(SupabaseContract, UnknownProjectIsErrorWithHint) {
  Contract& c = contract();
  const StatusCall gone = statusInMode(c, "not_found");
  c.fake().setMode("ok");
  const StatusCall unknownRef = c.status(R"({"projectRef":"zzzzzzzzzzzzzzzzzzzz"})", kSecrets);
  for (const StatusCall* r : {&gone, &unknownRef}) {
    ASSERT_EQ(r->status, SB_OK) << r->output;
    EXPECT_EQ(field(r->document, "status"), "error");
    EXPECT_EQ(field(r->document, "summary"), "Project not found");
    EXPECT_EQ(field(r->document, "problem.code"), "unknown");
    EXPECT_FALSE(field(r->document, "problem.hint").empty());
  }
}

TEST_F(SupabaseContract, ServerErrorIsUnavailable) {
  Contract& c = contract();
  StatusCall r = statusInMode(c, "server_error");
  EXPECT_EQ(r.status, SB_ERR_UNAVAILABLE);
  EXPECT_NE(r.output.find("500"), std::string::npos) << r.output;
}

TEST_F(SupabaseContract, MalformedJsonIsUnavailable) {
  Contract& c = contract();
  StatusCall r = statusInMode(c, "malformed");
  EXPECT_EQ(r.status, SB_ERR_UNAVAILABLE);
  EXPECT_NE(r.output.find("malformed"), std::string::npos) << r.output;
}

TEST_F(SupabaseContract, ObjectInsteadOfListIsUnavailable) {
  Contract& c = contract();
  StatusCall r = statusInMode(c, "wrong_shape");
  EXPECT_EQ(r.status, SB_ERR_UNAVAILABLE);
  EXPECT_NE(r.output.find("not a list"), std::string::npos) << r.output;
}

TEST(SupabaseTransport, OversizedBodyIsUnavailable) {
  Contract c("supabase", 64 * 1024);
  StatusCall r = statusInMode(c, "oversized");
  EXPECT_EQ(r.status, SB_ERR_UNAVAILABLE) << r.output;
}

TEST_F(SupabaseContract, HungProviderTimesOut) {
  Contract& c = contract();
  c.fake().setMode("hang");
  StatusCall r = c.status(kSettings, kSecrets, 300);
  EXPECT_EQ(r.status, SB_ERR_TIMEOUT) << r.output;
}

TEST(SupabaseTransport, RefusedConnectionIsUnavailable) {
  Contract c("supabase");
  c.fake().stop();
  StatusCall r = c.status(kSettings, kSecrets);
  EXPECT_EQ(r.status, SB_ERR_UNAVAILABLE) << r.output;
}

TEST_F(SupabaseContract, BadSettingsAreInvalidArgumentsAndSendNothing) {
  Contract& c = contract();
  for (const char* settings : {"{}", R"({"projectRef":"abc/../../v1/orgs"})"}) {
    StatusCall r = c.status(settings, kSecrets);
    EXPECT_EQ(r.status, SB_ERR_INVALID_ARGUMENT) << settings;
    EXPECT_NE(r.output.find("projectRef"), std::string::npos) << r.output;
  }
  StatusCall noToken = c.status(kSettings, "{}");
  EXPECT_EQ(noToken.status, SB_ERR_INVALID_ARGUMENT);
  EXPECT_NE(noToken.output.find("accessToken"), std::string::npos) << noToken.output;
  EXPECT_EQ(c.fake().requestCount(), 0u);
}

TEST_F(SupabaseContract, AsksManagementApiHealthWithBearerToken) {
  Contract& c = contract();
  ASSERT_EQ(c.status(kSettings, kSecrets).status, SB_OK);
  auto sent = c.fake().requests();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].method, "GET");
  EXPECT_EQ(sent[0].path, "/v1/projects/abcdefghijklmnopqrst/health");
  EXPECT_EQ(sent[0].query["services"], "db,auth,rest,realtime,storage");
  EXPECT_EQ(sent[0].header("authorization"), "Bearer " + kToken);
}

TEST(SupabaseLatency, AverageComesFromMeasuredCalls) {
  Contract c("supabase");
  c.fake().setLatencyMs(30);
  StatusCall first = c.status(kSettings, kSecrets);
  ASSERT_EQ(first.status, SB_OK) << first.output;
  EXPECT_GE(averageIn(field(first.document, "summary")), 30) << field(first.document, "summary");
  c.fake().setLatencyMs(90);
  StatusCall second = c.status(kSettings, kSecrets);
  ASSERT_EQ(second.status, SB_OK) << second.output;
  // The mean of one call of at least 30 ms and one of at least 90 ms.
  EXPECT_GE(averageIn(field(second.document, "summary")), 60) << field(second.document, "summary");
}

TEST(SupabaseLatency, WindowKeepsTheLastTenSamplesPerProject) {
  switchboard::bundled::supabase::LatencyWindow window;
  EXPECT_EQ(window.recordAndAverage("a", 1000), 1000);
  for (int i = 0; i < 9; ++i) window.recordAndAverage("a", 10);
  EXPECT_EQ(window.recordAndAverage("b", 7), 7) << "projects do not share samples";
  EXPECT_EQ(window.recordAndAverage("a", 10), 10) << "the 1000 ms sample fell out of the window";
  EXPECT_EQ(window.recordAndAverage("a", 21), 11);
}

TEST(SupabaseLatency, WindowForgetsTheProjectMeasuredLongestAgo) {
  using switchboard::bundled::supabase::LatencyWindow;
  LatencyWindow window;
  window.recordAndAverage("first", 500);
  window.recordAndAverage("second", 500);
  for (std::size_t i = 2; i < LatencyWindow::kProjects; ++i) window.recordAndAverage("p" + std::to_string(i), 5);
  window.recordAndAverage("first", 500);  // measured again: now "second" is the oldest
  window.recordAndAverage("one-more", 5);
  EXPECT_EQ(window.projects(), LatencyWindow::kProjects);
  EXPECT_EQ(window.recordAndAverage("first", 500), 500) << "kept its samples";
  EXPECT_EQ(window.recordAndAverage("second", 7), 7) << "forgotten, so it starts over";
}

TEST(SupabaseSecrets, TokenNeverAppearsInAnyOutput) {
  Contract c("supabase");
  for (const std::string mode : {"ok", "coming_up", "db_unhealthy", "auth_unhealthy", "unauthorized", "rate_limited",
                                 "not_found", "server_error", "malformed", "wrong_shape"}) {
    StatusCall r = statusInMode(c, mode);
    EXPECT_EQ(r.output.find(kToken), std::string::npos) << mode << ": " << r.output;
  }
  c.fake().stop();
  StatusCall refused = c.status(kSettings, kSecrets);
  EXPECT_EQ(refused.output.find(kToken), std::string::npos) << refused.output;
}

// The fake follows the documented services parameter, or the adapter's request proves nothing.
TEST(SupabaseFake, ListsOnlyRequestedServicesAndRejectsUnknownNames) {
  fakes::FakeServer fake(fakes::makeFake("supabase"));
  fake.start();
  auto get = [&](const std::string& services, std::string& body) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(fake.port()));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET,
                                   "/v1/projects/abcdefghijklmnopqrst/health?services=" + services);
    request.set("Authorization", "Bearer " + kToken);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    body.clear();
    Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
    return static_cast<int>(response.getStatus());
  };
  std::string body;
  ASSERT_EQ(get("db,storage", body), 200) << body;
  Poco::JSON::Parser parser;
  auto list = parser.parse(body).extract<Poco::JSON::Array::Ptr>();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ(list->getObject(0)->getValue<std::string>("name"), "db");
  EXPECT_EQ(list->getObject(1)->getValue<std::string>("name"), "storage");
  EXPECT_EQ(get("db,graphql", body), 400);
  EXPECT_NE(body.find("graphql"), std::string::npos) << body;
  EXPECT_EQ(get("", body), 400);
}

}  // namespace
}  // namespace sb::test
