// host_http_send against a local Poco HTTPServer on 127.0.0.1:0, called
// through the sb_host_api table exactly as a plugin would call it.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include <Poco/Event.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include "plugins/host_objects.hpp"
#include "plugins/host_services.hpp"
#include "plugins/http_client_service.hpp"
#include "plugins/loaded_plugin.hpp"
#include "test_plugin_paths.hpp"

namespace sb {
namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

// /api/echo echoes method, path, one header and the body; /api/slow answers
// late; /api/health is 200; /api/big sends 10000 bytes; anything else is a 404 with a body.
Poco::Event& releaseSlowHandlers() {
  static Poco::Event event(Poco::Event::EVENT_MANUALRESET);
  return event;
}

// Requests that reached the fake provider: a refused request must not.
std::atomic<int>& requestsReceived() {
  static std::atomic<int> count{0};
  return count;
}

// What an operator writes for a provider fake on loopback: plain http to 127.0.0.1.
EgressPolicy loopbackFakeEgress() {
  EgressConfig egress;
  egress.allowHttp = true;
  egress.allow = {"127.0.0.1"};
  return EgressPolicy(egress);
}

class FakeProviderHandler : public Poco::Net::HTTPRequestHandler {
 public:
  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    ++requestsReceived();
    std::string body;
    Poco::StreamCopier::copyToString(request.stream(), body);
    const std::string uri = request.getURI();
    if (uri.rfind("/api/echo", 0) == 0) {
      response.set("X-Reply", "yes");
      response.setContentType("text/plain");
      response.send() << request.getMethod() << " " << uri << " " << request.get("X-Test", "-")
                      << " " << body;
    } else if (uri == "/api/health") {
      response.send() << "healthy";
    } else if (uri == "/api/slow") {
      // Wakes early at tear-down so no handler outlives the server.
      releaseSlowHandlers().tryWait(1200);
      response.send() << "late";
    } else if (uri == "/api/big") {
      response.send() << std::string(10000, 'x');
    } else {
      response.setStatus(Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
      response.send() << "nope";
    }
  }
};

class FakeProviderFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    return new FakeProviderHandler;
  }
};

class HttpHostService : public ::testing::Test {
 protected:
  void SetUp() override {
    releaseSlowHandlers().reset();
    requestsReceived() = 0;
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    port_ = socket.address().port();
    server_ = std::make_unique<Poco::Net::HTTPServer>(new FakeProviderFactory, socket,
                                                      new Poco::Net::HTTPServerParams);
    server_->start();
    base_ = "http://127.0.0.1:" + std::to_string(port_);
  }
  void TearDown() override {
    releaseSlowHandlers().set();
    server_->stopAll(true);
    // Connection threads are pooled, not joined: wait until they are done.
    for (int i = 0; i < 500 && server_->currentConnections() > 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  std::unique_ptr<PluginHostServices> services(std::size_t maxResponseBytes = 1 << 20,
                                               EgressPolicy egress = loopbackFakeEgress()) {
    HostServiceSettings settings;
    settings.pluginId = "test";
    settings.baseUrl = base_ + "/api/";
    settings.maxResponseBytes = maxResponseBytes;
    settings.egress = std::move(egress);
    return std::make_unique<PluginHostServices>(settings);
  }
  std::unique_ptr<PluginHostServices> services(EgressConfig egress) {
    return services(1 << 20, EgressPolicy(egress));
  }
  std::string localhostUrl(const std::string& path) const {
    return "http://localhost:" + std::to_string(port_) + path;
  }

  static sb_http_request request(const std::string& method, const std::string& url) {
    sb_http_request r{};
    r.struct_size = sizeof r;
    methodText_ = method;
    urlText_ = url;
    r.method = {methodText_.data(), methodText_.size()};
    r.url = {urlText_.data(), urlText_.size()};
    return r;
  }

  sb_status send(const PluginHostServices& host, const sb_http_request& r, sb_call* call = nullptr) {
    errorText_[0] = '\0';
    response_.reset();
    sb_http_response* raw = nullptr;
    const sb_http_request copy = r;
    sb_status status = host.api()->host_http_send(host.api()->host_ctx, call, &copy, &raw,
                                                  errorText_, sizeof errorText_);
    error_.bytes = errorText_;
    response_.reset(raw);
    return status;
  }

  static std::string str(sb_str s) { return s.data ? std::string(s.data, s.len) : std::string(); }

  static inline std::string methodText_;
  static inline std::string urlText_;
  Poco::UInt16 port_ = 0;
  std::string base_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  sb_output error_{4096};  // the last reason, as the plugin received it
  char errorText_[512] = {};
  std::unique_ptr<sb_http_response> response_;
};

TEST_F(HttpHostService, RelativeUrlResolvesAgainstBaseUrlWithHeadersAndBody) {
  auto host = services();
  const sb_host_api* api = host->api();
  sb_http_request r = request("post", "/echo/path?q=1");
  const sb_header headers[] = {{{"X-Test", 6}, {"hello", 5}}};
  r.headers = headers;
  r.header_count = 1;
  r.body = {"payload", 7};
  ASSERT_EQ(send(*host, r), SB_OK) << error_.bytes;
  EXPECT_EQ(api->host_http_response_status(response_.get()), 200);
  EXPECT_EQ(str(api->host_http_response_body(response_.get())), "POST /api/echo/path?q=1 hello payload");
  EXPECT_EQ(str(api->host_http_response_header(response_.get(), {"x-reply", 7})), "yes");
  EXPECT_EQ(str(api->host_http_response_header(response_.get(), {"X-REPLY", 7})), "yes");
  const sb_str absent = api->host_http_response_header(response_.get(), {"x-absent", 8});
  EXPECT_EQ(absent.data, nullptr);
  EXPECT_EQ(absent.len, 0u);
}

TEST_F(HttpHostService, AbsoluteUrlIsUsedAsIs) {
  auto host = services();
  ASSERT_EQ(send(*host, request("GET", base_ + "/api/echo")), SB_OK) << error_.bytes;
  EXPECT_EQ(str(host->api()->host_http_response_body(response_.get())), "GET /api/echo - ");
}

TEST_F(HttpHostService, NonSuccessStatusIsOk) {
  auto host = services();
  ASSERT_EQ(send(*host, request("GET", "/missing")), SB_OK) << error_.bytes;
  EXPECT_EQ(host->api()->host_http_response_status(response_.get()), 404);
  EXPECT_EQ(str(host->api()->host_http_response_body(response_.get())), "nope");
}

TEST_F(HttpHostService, RequestTimeoutIsSbErrTimeout) {
  auto host = services();
  sb_http_request r = request("GET", "/slow");
  r.timeout_ms = 200;
  EXPECT_EQ(send(*host, r), SB_ERR_TIMEOUT);
  EXPECT_EQ(error_.bytes, "GET " + base_ + "/api/slow timed out after 200 ms");
  EXPECT_EQ(response_, nullptr);
}

TEST_F(HttpHostService, CallDeadlineBoundsTheRequest) {
  auto host = services();
  sb_call call;
  call.deadlineMs = systemNowMs() + 200;
  EXPECT_EQ(send(*host, request("GET", "/slow"), &call), SB_ERR_TIMEOUT);
  EXPECT_NE(error_.bytes.find("timed out after"), std::string::npos) << error_.bytes;

  call.deadlineMs = systemNowMs() - 1;
  EXPECT_EQ(send(*host, request("GET", "/echo"), &call), SB_ERR_TIMEOUT);
  EXPECT_EQ(error_.bytes, "call deadline passed before the request was sent");
}

TEST_F(HttpHostService, OversizeBodyIsAnErrorNotTruncation) {
  auto host = services(1000);
  EXPECT_EQ(send(*host, request("GET", "/big")), SB_ERR_UNAVAILABLE);
  EXPECT_EQ(error_.bytes, "response body from " + base_ + "/api/big exceeds the limit of 1000 bytes");
  EXPECT_EQ(response_, nullptr);
}

TEST_F(HttpHostService, OnlyHttpAndHttpsAreAllowed) {
  auto host = services();
  EXPECT_EQ(send(*host, request("GET", "ftp://127.0.0.1/file")), SB_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(error_.bytes, "unsupported URL scheme \"ftp\": only http and https");
}

TEST_F(HttpHostService, ConnectionRefusedIsUnavailable) {
  Poco::UInt16 closedPort = 0;
  {
    Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
    closedPort = probe.address().port();
  }
  auto host = services();
  EXPECT_EQ(send(*host, request("GET", "http://127.0.0.1:" + std::to_string(closedPort) + "/x")),
            SB_ERR_UNAVAILABLE);
  EXPECT_EQ(error_.bytes.rfind("GET http://127.0.0.1:" + std::to_string(closedPort) + "/x failed: ", 0),
            0u)
      << error_.bytes;
}

TEST_F(HttpHostService, TlsFailureIsUnavailable) {
  // A peer that accepts and hangs up mid-handshake: TLS must fail cleanly.
  Poco::Net::ServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0));
  std::thread hangUp([&listener] { listener.acceptConnection().close(); });
  auto host = services();
  const std::string url = "https://127.0.0.1:" + std::to_string(listener.address().port()) + "/x";
  sb_http_request r = request("GET", url);
  r.timeout_ms = 5000;
  EXPECT_EQ(send(*host, r), SB_ERR_UNAVAILABLE);
  EXPECT_EQ(error_.bytes.rfind("GET " + url + " failed: ", 0), 0u) << error_.bytes;
  hangUp.join();
}

TEST_F(HttpHostService, NetworkDisabledRefusesEveryRequest) {
  HostServiceSettings settings;
  settings.baseUrl = base_;
  settings.networkDisabled = true;
  PluginHostServices host(settings);
  EXPECT_EQ(send(host, request("GET", "/api/echo")), SB_ERR_UNAVAILABLE);
  EXPECT_EQ(error_.bytes, "network disabled during plugin check");
}

TEST_F(HttpHostService, HeaderInjectionIsRefused) {
  auto host = services();
  sb_http_request r = request("GET", "/echo");
  const sb_header headers[] = {{{"X-Test", 6}, {"a\r\nX-Evil: 1", 13}}};
  r.headers = headers;
  r.header_count = 1;
  EXPECT_EQ(send(*host, r), SB_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(error_.bytes, "invalid request header #0 \"X-Test\"");
}

TEST_F(HttpHostService, PluginReachesItsProviderThroughTheHost) {
  Result<OpenedPlugin> opened = openPlugin(test::testPluginPath("good_status"));
  ASSERT_TRUE(opened.isOk()) << opened.status().message();
  HostServiceSettings settings;
  settings.baseUrl = base_ + "/api";
  settings.egress = loopbackFakeEgress();
  auto plugin = LoadedPlugin::initialise(std::move(opened).value(), settings, "{}");
  ASSERT_TRUE(plugin.isOk()) << plugin.status().message();
  Result<std::string> status = (*plugin)->callStatus("{}");
  ASSERT_TRUE(status.isOk()) << status.status().message();
  EXPECT_EQ(*status, R"({"status":"connected","summary":"ok"})");

  PluginCall expired;
  expired.deadlineMs = systemNowMs() - 1;
  Result<std::string> late = (*plugin)->callStatus("{}", expired);
  ASSERT_FALSE(late.isOk());
  EXPECT_EQ(late.status().code(), ErrorCode::Timeout);
  EXPECT_EQ(late.status().message(), "plugin good-status on_status failed with SB_ERR_TIMEOUT: "
                                     "call deadline passed before the request was sent");
}

// ---- the egress policy, end to end on loopback only -------------------------
// Nothing here leaves 127.0.0.1: the addresses the policy must refuse off
// loopback (metadata, private, link-local) are tested against the classifier
// in egress_policy_test.cpp, with no connection made.

TEST_F(HttpHostService, LoopbackIsRefusedUnlessTheAllowListNamesIt) {
  EgressConfig httpOnly;
  httpOnly.allowHttp = true;
  auto refusing = services(httpOnly);
  EXPECT_EQ(send(*refusing, request("GET", "/echo")), SB_ERR_UNAVAILABLE);
  EXPECT_EQ(error_.bytes, "GET " + base_ + "/api/echo: egress policy refused 127.0.0.1, a loopback address "
                          "(rule: loopback); an operator may allow the host or its network for this plugin in "
                          "plugins.enabled[].egress.allow");
  EXPECT_EQ(response_, nullptr);
  EXPECT_EQ(requestsReceived(), 0);

  EgressConfig byNetwork = httpOnly;
  byNetwork.allow = {"127.0.0.0/8"};
  ASSERT_EQ(send(*services(byNetwork), request("GET", "/echo")), SB_OK) << error_.bytes;
  EXPECT_EQ(requestsReceived(), 1);
}

TEST_F(HttpHostService, ANameThatResolvesToLoopbackIsRefused) {
  EgressConfig httpOnly;
  httpOnly.allowHttp = true;
  EXPECT_EQ(send(*services(httpOnly), request("GET", localhostUrl("/api/echo"))), SB_ERR_UNAVAILABLE);
  EXPECT_NE(error_.bytes.find("egress policy refused \"localhost\", which resolves to "), std::string::npos)
      << error_.bytes;
  EXPECT_NE(error_.bytes.find("a loopback address (rule: loopback)"), std::string::npos) << error_.bytes;
  EXPECT_EQ(requestsReceived(), 0);
}

TEST_F(HttpHostService, AnAllowListedNameIsReachedAtTheAddressThatWasChecked) {
  EgressConfig byName;
  byName.allowHttp = true;
  byName.allow = {"LocalHost"};  // names compare case-insensitively
  // localhost may resolve to ::1 first, where nothing listens: the client
  // moves on to the next checked address, 127.0.0.1, and sends the name.
  ASSERT_EQ(send(*services(byName), request("GET", localhostUrl("/api/echo"))), SB_OK) << error_.bytes;
  EXPECT_EQ(requestsReceived(), 1);
}

TEST_F(HttpHostService, PlainHttpNeedsTheOperatorsConsent) {
  EgressConfig httpsOnly;
  httpsOnly.allow = {"127.0.0.1"};
  EXPECT_EQ(send(*services(httpsOnly), request("GET", "/echo")), SB_ERR_UNAVAILABLE);
  EXPECT_EQ(error_.bytes, "GET " + base_ + "/api/echo: egress policy refused a plain http:// request "
                          "(rule: https-only); an operator may allow http for this plugin with "
                          "plugins.enabled[].egress.allow_http");
  EXPECT_EQ(requestsReceived(), 0);
}

TEST_F(HttpHostService, ARefusalIsRecordedOnTheCallOnce) {
  auto host = services(EgressConfig{});  // the default: https to public addresses only
  sb_call call;
  EXPECT_EQ(send(*host, request("GET", "/echo"), &call), SB_ERR_UNAVAILABLE);
  const std::string first = call.egressRefusal();
  EXPECT_NE(first.find("(rule: https-only)"), std::string::npos) << first;
  EXPECT_EQ(send(*host, request("GET", localhostUrl("/x")), &call), SB_ERR_UNAVAILABLE);
  EXPECT_EQ(call.egressRefusal(), first);
  EXPECT_EQ(requestsReceived(), 0);
}

// The plugin turns the host's error into its own failure; the host still
// reports it as an egress refusal, which the status service shows operators.
TEST_F(HttpHostService, APluginCallWhoseRequestWasRefusedFailsAsEgress) {
  Result<OpenedPlugin> opened = openPlugin(test::testPluginPath("good_status"));
  ASSERT_TRUE(opened.isOk()) << opened.status().message();
  HostServiceSettings settings;
  settings.baseUrl = base_ + "/api";
  auto plugin = LoadedPlugin::initialise(std::move(opened).value(), settings, "{}");
  ASSERT_TRUE(plugin.isOk()) << plugin.status().message();
  PluginCall call;
  call.deadlineMs = systemNowMs() + 2000;
  Result<std::string> status = (*plugin)->callStatus("{}", call);
  ASSERT_FALSE(status.isOk());
  EXPECT_EQ(status.status().code(), ErrorCode::PermissionDenied);
  EXPECT_EQ(status.status().field(), kEgressRefusalField);
  EXPECT_EQ(status.status().message().rfind("plugin good-status on_status failed: egress policy refused", 0), 0u)
      << status.status().message();
  EXPECT_EQ(requestsReceived(), 0);
}

TEST(PluginUrlResolution, JoinsBasePathAndRelativePath) {
  EXPECT_EQ(*resolvePluginUrl("https://ghe.example/api/v3/", "/repos/o/r"),
            "https://ghe.example/api/v3/repos/o/r");
  EXPECT_EQ(*resolvePluginUrl("https://api.example", "v1/x?y=1"), "https://api.example/v1/x?y=1");
  EXPECT_EQ(resolvePluginUrl("", "/x").status().message(),
            "relative URL \"/x\" but the plugin has no base URL");
  EXPECT_FALSE(resolvePluginUrl("https://a", "").isOk());
  // The base is the whole root, version prefix included: a path is appended to it, never resolved against it.
  EXPECT_EQ(*resolvePluginUrl("http://127.0.0.1:9/api/v1", "/sites/s1/deploys"),
            "http://127.0.0.1:9/api/v1/sites/s1/deploys");
  // Absolute URLs are left alone, base_url or not.
  EXPECT_EQ(*resolvePluginUrl("http://127.0.0.1:9/api/v1", "https://api.netlify.com/api/v1/sites"),
            "https://api.netlify.com/api/v1/sites");
  EXPECT_EQ(*resolvePluginUrl("", "https://api.netlify.com/api/v1/sites"), "https://api.netlify.com/api/v1/sites");
}

TEST(HostServices, OutputCapClockProgressAndCancellation) {
  HostServiceSettings settings;
  settings.clock = [] { return int64_t{42}; };
  PluginHostServices host(settings);
  const sb_host_api* api = host.api();
  EXPECT_EQ(api->struct_size, sizeof(sb_host_api));
  EXPECT_EQ(api->host_now_ms(api->host_ctx), 42);

  sb_output out(4);
  api->host_output_write(&out, "abc", 3);
  EXPECT_FALSE(out.overflowed);
  api->host_output_write(&out, "de", 2);
  EXPECT_TRUE(out.overflowed);
  EXPECT_EQ(out.bytes, "abc");

  sb_call call;
  std::string progress;
  call.progress = [&](uint64_t done, uint64_t total, const std::string& message) {
    progress = std::to_string(done) + "/" + std::to_string(total) + " " + message;
  };
  call.clock = [] { return int64_t{1000}; };
  call.deadlineMs = 2000;
  call.cancelled = std::make_shared<std::atomic<bool>>(false);
  api->host_progress(&call, 3, 10, {"copying", 7});
  EXPECT_EQ(progress, "3/10 copying");
  EXPECT_EQ(api->host_call_deadline_ms(&call), 2000);
  EXPECT_EQ(api->host_call_cancelled(&call), 0);
  call.cancelled->store(true);
  EXPECT_EQ(api->host_call_cancelled(&call), 1);
  call.cancelled->store(false);
  call.deadlineMs = 500;
  EXPECT_EQ(api->host_call_cancelled(&call), 1);
  EXPECT_EQ(api->host_call_deadline_ms(nullptr), 0);
  EXPECT_EQ(api->host_call_cancelled(nullptr), 0);
}

}  // namespace
}  // namespace sb
