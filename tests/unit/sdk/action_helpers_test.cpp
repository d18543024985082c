// The SDK's action helpers (switchboard/actions.hpp) and the bearer-token
// send with one refresh (switchboard/provider.hpp, sendWithBearer), on the
// fake host alone: no bundled plugin needed.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <switchboard/actions.hpp>
#include <switchboard/fake_host.hpp>
#include <switchboard/provider.hpp>

namespace {

using namespace switchboard;
using namespace switchboard::actions;
using switchboard::testing::FakeCall;
using switchboard::testing::FakeHost;

constexpr const char* kUrl = "https://api.example.com/things";

TEST(ActionRequest, ReadsTheLinkAndTheAllowedParams) {
  Outcome failure;
  auto request = parseActionRequest(
      R"({"projectId":"p1","key":"k","baseUrl":"http://fake","settings":{"id":"x"},"secrets":{"token":"t"},)"
      R"("params":{"wait":false,"since":"2026-01-01T00:00:00Z"}})",
      {"wait", "since"}, failure);
  ASSERT_TRUE(request) << failure.output;
  EXPECT_EQ(request->link.projectId, "p1");
  EXPECT_EQ(request->link.setting("id"), "x");
  EXPECT_EQ(request->link.secret("token"), "t");
  EXPECT_EQ(request->link.baseUrl, "http://fake");
  EXPECT_EQ(boolParam(*request, "wait", true, failure), std::optional<bool>(false));
  EXPECT_EQ(stringParam(*request, "since", failure), std::optional<std::string>("2026-01-01T00:00:00Z"));
  EXPECT_TRUE(failure.isOk());
}

TEST(ActionRequest, AbsentOrNullParamsAreEmpty) {
  for (const char* text : {R"({"settings":{}})", R"({"params":null})"}) {
    Outcome failure;
    auto request = parseActionRequest(text, {"wait"}, failure);
    ASSERT_TRUE(request) << text << ": " << failure.output;
    EXPECT_TRUE(request->params.empty());
    EXPECT_EQ(boolParam(*request, "wait", true, failure), std::optional<bool>(true)) << "the fallback";
    EXPECT_EQ(stringParam(*request, "since", failure), std::nullopt);
    EXPECT_TRUE(failure.isOk()) << "absent is no failure";
  }
}

TEST(ActionRequest, RefusesWhatIsNotARequestOrNotAParam) {
  struct Case {
    const char* text;
    const char* reason;
  };
  for (const Case& c : {Case{"[1]", "the action request is not a JSON object"},
                        Case{"{", "the action request is not a JSON object"},
                        Case{R"({"params":[]})", "params must be a JSON object"},
                        Case{R"({"params":{"other":1}})", "params.other is not a parameter of this action"}}) {
    Outcome failure;
    EXPECT_FALSE(parseActionRequest(c.text, {"wait"}, failure)) << c.text;
    EXPECT_EQ(failure.status, SB_ERR_INVALID_ARGUMENT) << c.text;
    EXPECT_EQ(failure.output, c.reason) << c.text;
  }
}

TEST(ActionRequest, AParamOfTheWrongTypeIsNamed) {
  Outcome failure;
  auto request = parseActionRequest(R"({"params":{"wait":"yes","since":3}})", {"wait", "since"}, failure);
  ASSERT_TRUE(request);
  EXPECT_EQ(boolParam(*request, "wait", true, failure), std::nullopt);
  EXPECT_EQ(failure.output, "params.wait must be true or false");
  EXPECT_EQ(stringParam(*request, "since", failure), std::nullopt);
  EXPECT_EQ(failure.output, "params.since must be a string");
  EXPECT_EQ(failure.status, SB_ERR_INVALID_ARGUMENT);
}

std::vector<Action> someActions() {
  return {{"deploy", "Deploy", "admin", "deploy-production", true, ""},
          {"push", "Push", "editor", "push", false, "available with sync"},
          {"connect", "Reconnect", "admin", "connect", true, ""}};
}

TEST(ActionList, ActionsJsonKeepsTheOrderAndWritesEnabledOnlyWhenFalse) {
  EXPECT_EQ(actionsJson(someActions()),
            R"([{"id":"deploy","label":"Deploy","minRole":"admin","kind":"deploy-production"},)"
            R"({"id":"push","label":"Push","minRole":"editor","kind":"push","enabled":false,"reason":"available with sync"},)"
            R"({"id":"connect","label":"Reconnect","minRole":"admin","kind":"connect"}])");
  EXPECT_EQ(actionsJson({}), "[]");
}

TEST(ActionList, WithoutTheSecretProviderCallsAreDisabled) {
  Outcome listed = listForContext(someActions(), R"({"projectId":"p","key":"k","settings":{},"secretNames":[]})",
                                  "token", "Add a token first", {"connect"});
  ASSERT_TRUE(listed.isOk()) << listed.output;
  EXPECT_EQ(listed.output,
            R"([{"id":"deploy","label":"Deploy","minRole":"admin","kind":"deploy-production","enabled":false,)"
            R"("reason":"Add a token first"},)"
            R"({"id":"push","label":"Push","minRole":"editor","kind":"push","enabled":false,"reason":"available with sync"},)"
            R"({"id":"connect","label":"Reconnect","minRole":"admin","kind":"connect"}])")
      << "a lasting reason is kept; connect stays enabled";
  Outcome withToken = listForContext(someActions(), R"({"secretNames":["token"]})", "token", "x", {});
  EXPECT_EQ(withToken.output, actionsJson(someActions()));
}

TEST(ActionList, TheContextIsChecked) {
  Outcome failure;
  auto context = parseActionContext(R"({"projectId":"p","key":"k","settings":{"a":"b"},"secretNames":["token"]})", failure);
  ASSERT_TRUE(context);
  EXPECT_EQ(context->projectId, "p");
  EXPECT_EQ(context->settings.value("a", ""), "b");
  EXPECT_TRUE(context->hasSecret("token"));
  EXPECT_FALSE(context->hasSecret("other"));
  Outcome bad = listForContext(someActions(), R"({"secretNames":[1]})", "token", "x", {});
  EXPECT_EQ(bad.status, SB_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(bad.output, "secretNames must hold strings");
  EXPECT_EQ(listForContext(someActions(), "nope", "token", "x", {}).output, "the action list context is not a JSON object");
}

TEST(ActionOutcomes, NavigateNotYetAndUnknown) {
  FakeHost host;
  FakeCall fake;
  Call call(host.api(), fake.raw());
  Outcome opened = navigate(call, "Opening the dashboard", "https://example.com/a?b=\"c\"");
  EXPECT_EQ(opened.status, SB_OK);
  EXPECT_EQ(opened.output, R"({"url":"https://example.com/a?b=\"c\""})");
  Outcome later = notYet(call, "push", "available with sync");
  EXPECT_EQ(later.status, SB_ERR_NOT_SUPPORTED);
  EXPECT_EQ(later.output, "push is available with sync");
  const auto steps = fake.steps();
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_TRUE(steps[0].has("step", "open-url") && steps[0].has("state", "succeeded"));
  EXPECT_TRUE(steps[1].has("step", "push") && steps[1].has("state", "skipped") &&
              steps[1].has("detail", "available with sync"));
  Outcome unknown = unknownAction("explode");
  EXPECT_EQ(unknown.status, SB_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(unknown.output, "unknown action \"explode\"");
}

TEST(ActionOutcomes, ProviderRefusals) {
  EXPECT_EQ(providerRefusal("Acme", 401, -1).status, SB_ERR_UNAUTHORIZED);
  EXPECT_EQ(providerRefusal("Acme", 401, -1).output, "Acme rejected the credentials (HTTP 401)");
  EXPECT_EQ(providerRefusal("Acme", 403, -1).status, SB_ERR_UNAUTHORIZED);
  EXPECT_EQ(providerRefusal("Acme", 403, -1, false).status, SB_ERR_NOT_FOUND);
  EXPECT_EQ(providerRefusal("Acme", 404, -1).status, SB_ERR_NOT_FOUND);
  const Outcome limited = providerRefusal("Acme", 429, 42);
  EXPECT_EQ(limited.status, SB_ERR_RATE_LIMITED);
  EXPECT_EQ(limited.output, R"({"reason":"Acme asked us to wait before the next request","retryAfter":42})");
  EXPECT_EQ(providerRefusal("Acme", 429, -1).output, R"({"reason":"Acme asked us to wait before the next request"})");
  EXPECT_EQ(providerRefusal("Acme", 502, -1).status, SB_ERR_UNAVAILABLE);
  EXPECT_EQ(providerRefusal("Acme", 502, -1).output, "Acme answered HTTP 502");
}

TEST(ActionOutcomes, FailStepReportsTheReason) {
  FakeHost host;
  FakeCall fake;
  Call call(host.api(), fake.raw());
  Outcome outcome = failStep(call, ProgressStep{"create", "Creating", StepState::Running, 1, 3, {}},
                             Outcome::failure(SB_ERR_UNAVAILABLE, std::string(600, 'x')));
  EXPECT_EQ(outcome.status, SB_ERR_UNAVAILABLE);
  ASSERT_EQ(fake.steps().size(), 1u);
  EXPECT_TRUE(fake.steps()[0].has("state", "failed"));
  EXPECT_TRUE(fake.steps()[0].has("detail", std::string(400, 'x'))) << "the detail is cut to 400 bytes";
}

TEST(ReplyMappings, TransportStatusAndBody) {
  FakeHost host;
  host.failRequest("GET", kUrl, SB_ERR_TIMEOUT, "deadline");
  HttpRequest request;
  request.url = kUrl;
  HttpResult timedOut = Host(host.api()).send(request);
  EXPECT_EQ(provider::transportFailure("Acme", timedOut).status, SB_ERR_TIMEOUT);
  EXPECT_EQ(provider::transportFailure("Acme", timedOut).output,
            "Acme could not be reached: HTTP GET https://api.example.com/things failed: deadline");
  timedOut.status = SB_ERR_INTERNAL;
  EXPECT_EQ(provider::transportFailure("Acme", timedOut).status, SB_ERR_UNAVAILABLE);
  Outcome failure;
  EXPECT_EQ(provider::parseReplyBody("Acme", R"({"a":1})", failure)->value("a", 0), 1);
  EXPECT_FALSE(provider::parseReplyBody("Acme", "{", failure));
  EXPECT_EQ(failure.status, SB_ERR_UNAVAILABLE);
  EXPECT_EQ(failure.output.rfind("Acme sent malformed JSON: invalid JSON at byte 1", 0), 0u) << failure.output;
}

// One GET of kUrl through sendWithBearer in `fake`'s call.
HttpResult sendOnce(FakeHost& host, FakeCall& fake, std::string_view linkToken) {
  HttpRequest request;
  request.url = kUrl;
  return provider::sendWithBearer(Host(host.api()), Call(host.api(), fake.raw()), request, linkToken);
}

std::string authorization(const switchboard::testing::RecordedRequest& request) {
  for (const auto& [name, value] : request.headers) {
    if (name == "Authorization") return value;
  }
  return "<none>";
}

TEST(BearerSend, WithoutAConnectionTheLinkTokenGoesAndA401Stands) {
  FakeHost host;
  host.respond("GET", kUrl, 401, "{}");
  FakeCall fake;
  HttpResult result = sendOnce(host, fake, "link-token");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.response.status(), 401);
  ASSERT_EQ(host.requests().size(), 1u);
  EXPECT_EQ(authorization(host.requests()[0]), "Bearer link-token");
  EXPECT_EQ(fake.refreshes(), 0) << "no connection: nothing to refresh";
  EXPECT_EQ(provider::bearerToken(Call(host.api(), fake.raw()), "link-token"), "link-token");
}

TEST(BearerSend, AConnectionTokenRefusedIsRefreshedOnceAndTheRequestSentAgain) {
  FakeHost host;
  host.respond("GET", kUrl, 401, "{}");
  host.respond("GET", kUrl, 200, R"({"ok":true})");
  FakeCall fake;
  fake.useConnection("old-token", "new-token");
  HttpResult result = sendOnce(host, fake, "link-token");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.response.status(), 200);
  const auto sent = host.requests();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(authorization(sent[0]), "Bearer old-token") << "the connection's token wins over the link's";
  EXPECT_EQ(authorization(sent[1]), "Bearer new-token");
  EXPECT_EQ(fake.refreshes(), 1);
  EXPECT_EQ(provider::bearerToken(Call(host.api(), fake.raw()), "link-token"), "new-token")
      << "later requests use the new token";
}

TEST(BearerSend, ARevokedGrantLeavesThe401AndDoesNotRetry) {
  FakeHost host;
  host.respond("GET", kUrl, 401, "{}");
  FakeCall fake;
  fake.useConnection("old-token", "", SB_ERR_UNAUTHORIZED);
  HttpResult result = sendOnce(host, fake, "");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.response.status(), 401);
  EXPECT_EQ(host.requests().size(), 1u);
  EXPECT_EQ(fake.refreshes(), 1);
}

TEST(BearerSend, ASecond401AfterTheRefreshStands) {
  FakeHost host;
  host.respond("GET", kUrl, 401, "{}");
  FakeCall fake;
  fake.useConnection("old-token", "new-token");
  HttpResult result = sendOnce(host, fake, "");
  EXPECT_EQ(result.response.status(), 401);
  EXPECT_EQ(host.requests().size(), 2u) << "one retry, no more";
  EXPECT_EQ(fake.refreshes(), 1);
}

}  // namespace
