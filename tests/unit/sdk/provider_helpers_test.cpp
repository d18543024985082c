// The SDK's provider helpers (switchboard/provider.hpp, switchboard/time.hpp):
// the request, JSON edge cases of typed reads, each shared failure mapping
// through the fake host's HTTP client, times and human durations, and
// requests in parallel.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <switchboard/fake_host.hpp>
#include <switchboard/provider.hpp>

namespace {

using namespace switchboard;
using namespace switchboard::provider;
using switchboard::testing::FakeHost;

constexpr std::int64_t kNow = 1'800'000'000'000;  // 2027-01-15T08:00:00Z

TEST(ProviderRequest, ReadsSettingsSecretsBaseUrlAndTheAccessToken) {
  Outcome failure;
  auto request = parseStatusRequest(
      R"({"projectId":"p1","key":"netlify","baseUrl":"http://127.0.0.1:9/api/v1/","settings":{"siteId":"s1","n":3},)"
      R"("secrets":{"token":"t0"},"accessToken":"conn-token"})",
      failure);
  ASSERT_TRUE(request) << failure.output;
  EXPECT_EQ(request->projectId, "p1");
  EXPECT_EQ(request->key, "netlify");
  EXPECT_EQ(request->setting("siteId"), "s1");
  EXPECT_EQ(request->setting("n"), "") << "not a string: absent";
  EXPECT_EQ(request->setting("missing"), "");
  EXPECT_EQ(request->secret("token"), "t0");
  EXPECT_EQ(request->accessToken, std::optional<std::string>("conn-token"));
  EXPECT_EQ(request->credential("token"), "conn-token") << "the connection's token wins";
  EXPECT_EQ(request->apiRoot("https://api.netlify.com/api/v1"), "http://127.0.0.1:9/api/v1");
}

TEST(ProviderRequest, BaseUrlRules) {
  Outcome failure;
  auto bare = parseStatusRequest(R"({"settings":{},"secrets":{"token":"t"}})", failure);
  ASSERT_TRUE(bare);
  EXPECT_FALSE(bare->accessToken);
  EXPECT_EQ(bare->credential("token"), "t");
  // Unset: relative paths resolve against the plugin's default root, which includes the version prefix.
  EXPECT_EQ(bare->url("/sites/s1/deploys", "https://api.netlify.com/api/v1"),
            "https://api.netlify.com/api/v1/sites/s1/deploys");
  EXPECT_EQ(bare->url("sites", "https://api.netlify.com/api/v1/"), "https://api.netlify.com/api/v1/sites");
  // Set: it replaces the whole root, version prefix included.
  auto based = parseStatusRequest(R"({"baseUrl":"http://127.0.0.1:8080/api/v1","settings":{"api":"https://ghe/api/v3"}})", failure);
  ASSERT_TRUE(based);
  EXPECT_EQ(based->url("/sites", "https://api.netlify.com/api/v1"), "http://127.0.0.1:8080/api/v1/sites");
  // Absolute URLs are left alone.
  EXPECT_EQ(based->url("https://cdn.example.com/x?y=1", "https://api.netlify.com/api/v1"), "https://cdn.example.com/x?y=1");
  // A link's own setting beats the operator's base_url (GitHub Enterprise per project).
  EXPECT_EQ(based->url("/user", "https://api.github.com", "api"), "https://ghe/api/v3/user");
}

TEST(ProviderRequest, RefusesWhatIsNotARequest) {
  Outcome failure;
  EXPECT_FALSE(parseStatusRequest("{", failure));
  EXPECT_EQ(failure.status, SB_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(failure.output, "request: invalid JSON at byte 1: expected a string key");
  EXPECT_FALSE(parseStatusRequest("[]", failure));
  EXPECT_FALSE(parseStatusRequest(R"({"settings":"x"})", failure));
  EXPECT_EQ(failure.output, "request: settings must be an object");
  EXPECT_TRUE(parseStatusRequest(R"({"settings":null})", failure)) << "null is no settings";
}

TEST(ProviderJson, TypedReadsNeverThrow) {
  const Json doc = *parseJson(
      R"({"s":"x","i":42,"neg":-7,"big":18446744073709551615,"f":1.5,"b":true,"n":null,"o":{"k":"v"},"a":[1],)"
      R"("t":"2011-01-26T19:01:12Z","u":"\u00e9"})");
  EXPECT_EQ(stringAt(doc, "s"), std::optional<std::string>("x"));
  EXPECT_FALSE(stringAt(doc, "i"));
  EXPECT_EQ(int64At(doc, "i"), std::optional<std::int64_t>(42));
  EXPECT_EQ(int64At(doc, "neg"), std::optional<std::int64_t>(-7));
  EXPECT_FALSE(int64At(doc, "big")) << "past int64";
  EXPECT_FALSE(int64At(doc, "f")) << "not integral";
  EXPECT_FALSE(int64At(doc, "s"));
  EXPECT_EQ(numberAt(doc, "f"), std::optional<double>(1.5));
  EXPECT_EQ(boolAt(doc, "b"), std::optional<bool>(true));
  EXPECT_FALSE(boolAt(doc, "i"));
  EXPECT_TRUE(isNullAt(doc, "n"));
  EXPECT_FALSE(isNullAt(doc, "missing"));
  EXPECT_NE(objectAt(doc, "o"), nullptr);
  EXPECT_EQ(objectAt(doc, "a"), nullptr);
  EXPECT_NE(arrayAt(doc, "a"), nullptr);
  EXPECT_EQ(timeAt(doc, "t"), std::optional<std::int64_t>(1296068472000));
  EXPECT_EQ(stringAt(doc, "u"), std::optional<std::string>("\xc3\xa9"));
  const Json array = *parseJson("[1,2]");
  EXPECT_FALSE(stringAt(array, "s")) << "reads on a non-object are absent";
  EXPECT_FALSE(parseJson("{\"a\":1,}"));
  EXPECT_FALSE(parseJson(""));
  EXPECT_FALSE(parseJson("\"\xff\""));
}

TEST(ProviderReport, WritesTheDocumentWithActionsAlways) {
  StatusReport report;
  report.summary = "Deploy ready";
  report.actions = {{"open", "Open", "viewer", "open", true, ""}, {"connect", "Reconnect", "admin", "connect", true, ""}};
  report.markRevoked("Token revoked", "Reconnect Netlify", "Reconnect first");
  EXPECT_EQ(report.toJson(),
            R"({"status":"error","summary":"Token revoked","configuredReason":"revoked","problem":{"code":"oauth_revoked",)"
            R"("hint":"Reconnect Netlify"},"actions":[{"id":"open","label":"Open","minRole":"viewer","kind":"open",)"
            R"("enabled":false,"reason":"Reconnect first"},{"id":"connect","label":"Reconnect","minRole":"admin","kind":"connect"}]})");
  StatusReport limited;
  limited.markRateLimited("Rate limited", "", 42);
  EXPECT_EQ(limited.toJson(), R"({"status":"warning","summary":"Rate limited","problem":{"code":"rate_limited","retryAfter":42},"actions":[]})");
}

class Mapping : public ::testing::Test {
 protected:
  Reply exchange(int status, std::string body, switchboard::testing::Headers headers = {}) {
    host.respond("GET", "https://p.example/x", status, std::move(body), std::move(headers));
    return classify("Netlify", Host(host.api()).send({"GET", "https://p.example/x", {}, {}, 0}), kNow, 64);
  }
  FakeHost host;
};

TEST_F(Mapping, OkParsesTheBody) {
  Reply reply = exchange(200, R"({"id":"d1"})");
  ASSERT_EQ(reply.kind, ReplyKind::Ok);
  EXPECT_EQ(stringAt(reply.body, "id"), std::optional<std::string>("d1"));
}

TEST_F(Mapping, UnauthorizedIsRevoked) { EXPECT_EQ(exchange(401, R"({"code":401,"message":"Access Denied"})").kind, ReplyKind::Revoked); }

TEST_F(Mapping, TooManyRequestsCarriesRetryAfterInEitherForm) {
  Reply seconds = exchange(429, "{}", {{"Retry-After", "42"}});
  EXPECT_EQ(seconds.kind, ReplyKind::RateLimited);
  EXPECT_EQ(seconds.retryAfterSeconds, 42);
}

TEST(MappingDates, RetryAfterAsAnHttpDate) {
  FakeHost host;
  host.respond("GET", "https://p.example/x", 429, "", {{"Retry-After", "Fri, 15 Jan 2027 08:01:30 GMT"}});
  Reply reply = classify("Netlify", Host(host.api()).send({"GET", "https://p.example/x", {}, {}, 0}), kNow);
  EXPECT_EQ(reply.kind, ReplyKind::RateLimited);
  EXPECT_EQ(reply.retryAfterSeconds, 90);
  FakeHost none;
  none.respond("GET", "https://p.example/x", 429, "");
  EXPECT_EQ(classify("Netlify", Host(none.api()).send({"GET", "https://p.example/x", {}, {}, 0}), kNow).retryAfterSeconds, -1);
}

TEST_F(Mapping, ServerErrorsOversizedAndMalformedBodiesFail) {
  Reply five = exchange(503, "{}");
  EXPECT_EQ(five.kind, ReplyKind::Failed);
  EXPECT_EQ(five.failure.status, SB_ERR_UNAVAILABLE);
  EXPECT_EQ(five.failure.output, "Netlify answered HTTP 503");
}

TEST(MappingBodies, OversizedMalformedNotFoundAndTransport) {
  auto once = [](int status, std::string body) {
    FakeHost host;
    host.respond("GET", "https://p.example/x", status, std::move(body));
    return classify("Netlify", Host(host.api()).send({"GET", "https://p.example/x", {}, {}, 0}), kNow, 64);
  };
  Reply big = once(200, "[" + std::string(100, '1') + "]");
  EXPECT_EQ(big.kind, ReplyKind::Failed);
  EXPECT_EQ(big.failure.output, "Netlify sent 102 bytes, more than the 64 a status reply may have");
  Reply bad = once(200, "{\"a\":");
  EXPECT_EQ(bad.kind, ReplyKind::Failed);
  EXPECT_EQ(bad.failure.status, SB_ERR_UNAVAILABLE);
  EXPECT_EQ(bad.failure.output.rfind("Netlify sent malformed JSON: invalid JSON at byte", 0), 0u) << bad.failure.output;
  EXPECT_EQ(once(404, R"({"code":404,"message":"Not Found"})").kind, ReplyKind::NotFound);

  FakeHost host;
  host.failRequest("GET", "https://p.example/x", SB_ERR_TIMEOUT, "deadline passed");
  Reply slow = classify("Netlify", Host(host.api()).send({"GET", "https://p.example/x", {}, {}, 0}), kNow);
  EXPECT_EQ(slow.failure.status, SB_ERR_TIMEOUT);
  EXPECT_NE(slow.failure.output.find("Netlify could not be reached"), std::string::npos);
  FakeHost refusing;
  refusing.failRequest("GET", "https://p.example/x", SB_ERR_UNAUTHORIZED, "egress refused");
  EXPECT_EQ(classify("Netlify", Host(refusing.api()).send({"GET", "https://p.example/x", {}, {}, 0}), kNow).failure.status,
            SB_ERR_UNAVAILABLE);
}

TEST(Times, Iso8601AndEpochParsing) {
  using namespace switchboard::time;
  EXPECT_EQ(parseIso8601Ms("1970-01-01T00:00:00Z"), std::optional<std::int64_t>(0));
  EXPECT_EQ(parseIso8601Ms("2027-01-15T08:00:00Z"), std::optional<std::int64_t>(kNow));
  EXPECT_EQ(parseIso8601Ms("2027-01-15T08:00:00.5Z"), std::optional<std::int64_t>(kNow + 500));
  EXPECT_EQ(parseIso8601Ms("2027-01-15T08:00:00.123456Z"), std::optional<std::int64_t>(kNow + 123));
  EXPECT_EQ(parseIso8601Ms("2027-01-15T10:00:00+02:00"), std::optional<std::int64_t>(kNow));
  EXPECT_EQ(parseIso8601Ms("2027-01-15T02:30:00-0530"), std::optional<std::int64_t>(kNow));
  EXPECT_EQ(parseIso8601Ms("2027-01-15 08:00:00z"), std::optional<std::int64_t>(kNow));
  EXPECT_EQ(parseIso8601Ms("2024-02-29T00:00:00Z"), std::optional<std::int64_t>(1709164800000));
  for (const char* bad : {"", "2027-01-15", "2027-01-15T08:00:00", "2027-02-30T00:00:00Z", "2023-02-29T00:00:00Z",
                          "2027-01-15T24:00:00Z", "2027-13-01T00:00:00Z", "2027-01-15T08:00:00.Z", "2027-01-15T08:00:00Zjunk",
                          "27-01-15T08:00:00Z"}) {
    EXPECT_FALSE(parseIso8601Ms(bad)) << bad;
  }
  EXPECT_EQ(formatIso8601(kNow + 999), "2027-01-15T08:00:00Z");
  EXPECT_EQ(formatIso8601(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(parseEpochSeconds("1732356000"), std::optional<std::int64_t>(1732356000));
  EXPECT_EQ(parseEpochSeconds(" 17 "), std::optional<std::int64_t>(17));
  EXPECT_FALSE(parseEpochSeconds("-1"));
  EXPECT_FALSE(parseEpochSeconds("1e9"));
  EXPECT_FALSE(parseEpochSeconds("1234567890123"));
  EXPECT_EQ(parseRetryAfterSeconds("120", kNow), std::optional<std::int64_t>(120));
  EXPECT_EQ(parseRetryAfterSeconds("Fri, 15 Jan 2027 07:00:00 GMT", kNow), std::optional<std::int64_t>(0)) << "past";
  EXPECT_FALSE(parseRetryAfterSeconds("soon", kNow));
  EXPECT_FALSE(parseRetryAfterSeconds("Fri, 15 Foo 2027 07:00:00 GMT", kNow));
}

TEST(Times, HumanDurations) {
  using switchboard::time::relativeAge;
  constexpr std::int64_t kMinute = 60'000;
  EXPECT_EQ(relativeAge(kNow, kNow), "just now");
  EXPECT_EQ(relativeAge(kNow, kNow + 5 * kMinute), "just now") << "a clock ahead is no negative age";
  EXPECT_EQ(relativeAge(kNow, kNow - 59'999), "just now");
  EXPECT_EQ(relativeAge(kNow, kNow - 2 * kMinute), "2m ago");
  EXPECT_EQ(relativeAge(kNow, kNow - 3 * 60 * kMinute - 59 * kMinute), "3h ago");
  EXPECT_EQ(relativeAge(kNow, kNow - 5 * 24 * 60 * kMinute), "5d ago");
  EXPECT_EQ(relativeAge(kNow, kNow - 29 * 24 * 60 * kMinute), "29d ago");
  EXPECT_EQ(relativeAge(kNow, kNow - 30 * 24 * 60 * kMinute), "on 2026-12-16");
  EXPECT_EQ(relativeAge(kNow, *switchboard::time::parseIso8601Ms("2011-01-26T19:01:12Z")), "on 2011-01-26");
}

TEST(Parallel, RunsTasksAtOnceAndKeepsTheirOrder) {
  std::atomic<int> running{0};
  std::atomic<int> peak{0};
  std::vector<std::function<int()>> tasks;
  for (int i = 0; i < 3; ++i) {
    tasks.push_back([&, i] {
      peak = std::max(peak.load(), ++running);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      --running;
      return i * 10;
    });
  }
  EXPECT_EQ(inParallel(std::move(tasks)), (std::vector<int>{0, 10, 20}));
  EXPECT_EQ(peak.load(), 3) << "all three ran at the same time";
  auto [a, b] = bothAtOnce([] { return std::string("a"); }, [] { return 2; });
  EXPECT_EQ(a, "a");
  EXPECT_EQ(b, 2);
  std::vector<std::function<int()>> throwing{[] { return 1; }, []() -> int { throw std::runtime_error("boom"); }};
  EXPECT_THROW(inParallel(std::move(throwing)), std::runtime_error);
  EXPECT_TRUE(inParallel(std::vector<std::function<int()>>{}).empty());
}

TEST(Url, EncodesQueryValues) { EXPECT_EQ(urlEncode("a b/c~é"), "a%20b%2Fc~%C3%A9"); }

}  // namespace

#include <switchboard/conformance.hpp>

namespace {

// The conformance check and the host's loader share identifiers.hpp: a
// 65-byte id fails both, 64 bytes passes both.
TEST(Identifiers, CappedAt64BytesEverywhere) {
  using namespace switchboard::ids;
  EXPECT_TRUE(isPluginId(std::string(64, 'a')));
  EXPECT_FALSE(isPluginId(std::string(65, 'a')));
  EXPECT_TRUE(isSchemaId("9lives"));
  EXPECT_FALSE(isPluginId("9lives"));
  EXPECT_FALSE(isSchemaId(std::string(65, 'b')));
  EXPECT_TRUE(isFieldKey("apiBaseUrl"));
  EXPECT_FALSE(isFieldKey("api-base"));
  EXPECT_FALSE(isFieldKey("a" + std::string(64, 'B')));
  EXPECT_FALSE(switchboard::detail::isIdentifier(std::string(65, 'a'), false));
  EXPECT_FALSE(switchboard::detail::isFieldKey(std::string(65, 'a')));
}

}  // namespace

namespace {

// The one status-document validator (status_document.hpp) that the host,
// `plugin check` and authors' tests share.
TEST(StatusDocument, AcceptsTheContractAndNamesTheFieldItRefuses) {
  using switchboard::statusDocumentProblem;
  EXPECT_EQ(statusDocumentProblem(R"({"status":"connected"})"), "") << "actions is optional";
  EXPECT_EQ(statusDocumentProblem(
                R"({"status":"warning","summary":"s","problem":{"code":"rate_limited","retryAfter":42},)"
                R"("resource":{"label":"acme/web","private":true},"environments":[{"name":"p","status":"error"}],)"
                R"("actions":[{"id":"a","label":"A","minRole":"viewer","kind":"open","enabled":false,"reason":"r"}]})"),
            "");
  EXPECT_EQ(statusDocumentProblem("[]"), "status document is not a JSON object");
  EXPECT_EQ(statusDocumentProblem("{"), "status document is not a JSON object");
  EXPECT_EQ(statusDocumentProblem("{}"), "status document: status is required");
  EXPECT_EQ(statusDocumentProblem(R"({"status":"splendid"})"),
            "status document: status must be connected, warning, error or disconnected");
  EXPECT_EQ(statusDocumentProblem(R"({"status":"error","configuredReason":"disabled"})"),
            "status document: configuredReason may only be \"revoked\" in a plugin's document");
  EXPECT_EQ(statusDocumentProblem(R"({"status":"error","problem":{"code":"rate_limited","retryAfter":-1}})"),
            "status document: problem.retryAfter must be a non-negative integer (seconds)");
  EXPECT_EQ(statusDocumentProblem(R"({"status":"error","problem":{"code":"rate_limited","retryAfter":1.5}})"),
            "status document: problem.retryAfter must be a non-negative integer (seconds)");
  EXPECT_EQ(statusDocumentProblem(R"({"status":"error","actions":[{"id":"a","label":"A","minRole":"root"}]})"),
            "status document: actions[0].minRole must be owner, admin, editor or viewer");
  EXPECT_EQ(statusDocumentProblem(R"({"status":"error","actions":{}})"), "status document: actions must be an array");
  EXPECT_EQ(statusDocumentProblem(R"({"status":"error","resource":{"label":"x","private":"yes"}})"),
            "status document: resource.private must be a boolean");
  EXPECT_EQ(statusDocumentProblem(R"({"status":"error","summary":")" + std::string(1025, 'x') + "\"}"),
            "status document: summary is longer than 1024 bytes");
  std::string many = R"({"status":"error","environments":[)";
  for (int i = 0; i < 65; ++i) many += std::string(i ? "," : "") + R"({"name":"e","status":"error"})";
  EXPECT_EQ(statusDocumentProblem(many + "]}"), "status document: environments has more than 64 items");
  EXPECT_EQ(statusDocumentProblem(R"({"status":"error","environments":[{"name":"p"}]})"),
            "status document: environments[0].status is required");
}

}  // namespace
