// switchboard::Host over the fake host: logging, clock, HTTP with an RAII
// response that is freed exactly once through host_http_response_free.
#include <gtest/gtest.h>

#include <cstddef>
#include <utility>

#include "switchboard/fake_host.hpp"
#include "switchboard/host.hpp"

using switchboard::Host;
using switchboard::HttpRequest;
using switchboard::HttpResponse;
using switchboard::testing::FakeCall;
using switchboard::testing::FakeHost;

TEST(HostWrapper, LogsWithLevelsAndReadsTheFakeClock) {
  FakeHost fake;
  const Host host(fake.api());
  host.warn("slow provider");
  host.log(SB_LOG_DEBUG, "detail");
  ASSERT_EQ(fake.logs().size(), 2u);
  EXPECT_EQ(fake.logs()[0].level, SB_LOG_WARN);
  EXPECT_EQ(fake.logs()[0].message, "slow provider");
  EXPECT_EQ(fake.logs()[1].level, SB_LOG_DEBUG);
  fake.setNowMs(5000);
  EXPECT_EQ(host.nowMs(), 5000);
  fake.advanceMs(250);
  EXPECT_EQ(host.nowMs(), 5250);
}

TEST(HostWrapper, SendsTheRequestAndReadsTheResponse) {
  FakeHost fake;
  fake.respond("POST", "/repos/o/r/git/blobs", 201, "{\"sha\":\"abc\"}", {{"ETag", "W/\"1\""}});
  const Host host(fake.api());
  HttpRequest request;
  request.method = "POST";
  request.url = "/repos/o/r/git/blobs";
  request.headers = {{"Accept", "application/vnd.github+json"}};
  request.body = "{\"content\":\"aGk=\"}";
  request.timeoutMs = 1500;
  FakeCall call;
  {
    const auto result = host.send(request, switchboard::Call(fake.api(), call.raw()));
    ASSERT_TRUE(result.ok()) << result.error;
    EXPECT_EQ(result.response.status(), 201);
    EXPECT_EQ(result.response.body(), "{\"sha\":\"abc\"}");
    EXPECT_EQ(result.response.header("etag"), "W/\"1\"");  // case-insensitive
    EXPECT_EQ(result.response.header("x-missing"), "");
    EXPECT_EQ(fake.openResponses(), 1u);
  }
  EXPECT_EQ(fake.openResponses(), 0u);
  EXPECT_EQ(fake.freedResponses(), 1u);
  const auto requests = fake.requests();  // a snapshot copy
  ASSERT_EQ(requests.size(), 1u);
  const auto& sent = requests[0];
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.url, "/repos/o/r/git/blobs");
  EXPECT_EQ(sent.body, "{\"content\":\"aGk=\"}");
  EXPECT_EQ(sent.timeoutMs, 1500u);
  EXPECT_TRUE(sent.withCall);
  ASSERT_EQ(sent.headers.size(), 1u);
  EXPECT_EQ(sent.headers[0].first, "Accept");
  EXPECT_EQ(sent.headers[0].second, "application/vnd.github+json");
}

TEST(HostWrapper, MovedResponsesAreFreedExactlyOnce) {
  FakeHost fake;
  fake.respond("GET", "https://api.example/a", 200, "a");
  const Host host(fake.api());
  HttpResponse kept;
  {
    auto result = host.send(HttpRequest{"GET", "https://api.example/a", {}, {}, 0});
    ASSERT_TRUE(result.ok());
    kept = std::move(result.response);
    EXPECT_FALSE(result.response);
  }
  EXPECT_EQ(fake.openResponses(), 1u);
  EXPECT_EQ(kept.body(), "a");
  HttpResponse other = std::move(kept);
  HttpResponse& alias = other;
  other = std::move(alias);  // self-move keeps the response
  EXPECT_EQ(other.status(), 200);
  other.reset();
  other.reset();
  EXPECT_EQ(fake.openResponses(), 0u);
  EXPECT_EQ(fake.freedResponses(), 1u);
}

TEST(HostWrapper, ScriptedRepliesAreUsedInOrderAndTheLastRepeats) {
  FakeHost fake;
  fake.respond("GET", "/x", 500, "first");
  fake.respond("GET", "/x", 200, "second");
  const Host host(fake.api());
  EXPECT_EQ(host.send(HttpRequest{"GET", "/x", {}, {}, 0}).response.status(), 500);
  EXPECT_EQ(host.send(HttpRequest{"GET", "/x", {}, {}, 0}).response.status(), 200);
  EXPECT_EQ(host.send(HttpRequest{"GET", "/x", {}, {}, 0}).response.body(), "second");
  EXPECT_EQ(fake.openResponses(), 0u);
  EXPECT_EQ(fake.requests().size(), 3u);
}

TEST(HostWrapper, TransportFailuresAllocateNothingAndCarryTheHostsReason) {
  FakeHost fake;
  fake.failRequest("GET", "/slow", SB_ERR_TIMEOUT, "deadline passed");
  const Host host(fake.api());
  const auto timedOut = host.send(HttpRequest{"GET", "/slow", {}, {}, 0});
  EXPECT_EQ(timedOut.status, SB_ERR_TIMEOUT);
  EXPECT_FALSE(timedOut.response);
  EXPECT_EQ(timedOut.error, "HTTP GET /slow failed: deadline passed");
  const auto unscripted = host.send(HttpRequest{"DELETE", "/nowhere", {}, {}, 0});
  EXPECT_EQ(unscripted.status, SB_ERR_UNAVAILABLE);
  EXPECT_EQ(unscripted.error, "HTTP DELETE /nowhere failed: fake host: no scripted response for DELETE /nowhere");
  EXPECT_EQ(fake.openResponses(), 0u);
  EXPECT_EQ(fake.freedResponses(), 0u);
  EXPECT_FALSE(fake.requests()[0].withCall);
}

TEST(HostWrapper, CallbacksPastAnOlderHostsStructSizeAreAbsent) {
  FakeHost fake;
  fake.mutableApi().struct_size = offsetof(sb_host_api, host_http_send);  // knows only output/log/clock
  const Host host(fake.api());
  const auto result = host.send(HttpRequest{"GET", "/x", {}, {}, 0});
  EXPECT_EQ(result.status, SB_ERR_NOT_SUPPORTED);
  EXPECT_EQ(result.error, "the host provides no HTTP client");
  EXPECT_TRUE(fake.requests().empty());
  host.info("still logs");
  EXPECT_TRUE(fake.logged("still logs"));
  FakeCall call;
  const switchboard::Call wrapped(fake.api(), call.raw());
  wrapped.progress(1, 1, "ignored");
  EXPECT_TRUE(call.progress().empty());
  EXPECT_EQ(wrapped.deadlineMs(), 0);
}

TEST(HostWrapper, CallExposesDeadlineAndCancellation) {
  FakeHost fake;
  FakeCall call(123456);
  const switchboard::Call wrapped(fake.api(), call.raw());
  EXPECT_EQ(wrapped.deadlineMs(), 123456);
  EXPECT_FALSE(wrapped.cancelled());
  call.cancel();
  EXPECT_TRUE(wrapped.cancelled());
  const switchboard::Call none(fake.api(), nullptr);
  EXPECT_EQ(none.deadlineMs(), 0);
  EXPECT_FALSE(none.cancelled());
}
