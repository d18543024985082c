// Poco serves a keep-alive connection on one worker for its whole life. With
// more connections than workers, the server must close busy connections while
// others wait, or the waiting ones starve. One worker makes that visible.
#include <gtest/gtest.h>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>

#include <chrono>
#include <thread>

#include "http/api_server.hpp"
#include "test_server.hpp"

namespace sb::http {
namespace {

TEST(KeepAliveFairness, AWaitingConnectionMakesTheBusyOneClose) {
  // One worker, and an idle timeout longer than the test: only fairness can free it.
  auto server = testing::startDedicatedServer(1);
  const auto port = static_cast<Poco::UInt16>(server->port());

  Poco::Net::HTTPClientSession busy("127.0.0.1", port);
  busy.setKeepAlive(true);
  busy.setTimeout(Poco::Timespan(10, 0));
  auto ask = [&busy] {
    Poco::Net::HTTPRequest request("GET", "/healthz", Poco::Net::HTTPMessage::HTTP_1_1);
    request.setKeepAlive(true);
    busy.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(busy.receiveResponse(response), body);
    EXPECT_EQ(response.getStatus(), 200);
    return response.getKeepAlive();
  };
  ASSERT_TRUE(ask()) << "with nobody waiting the connection stays open";

  // A second client connects while the only worker belongs to `busy`.
  Poco::Net::StreamSocket waiting(Poco::Net::SocketAddress("127.0.0.1", port));
  const std::string raw = "GET /healthz HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n";
  waiting.sendBytes(raw.data(), static_cast<int>(raw.size()));

  // As soon as the server has queued it, `busy` is told to close. The loop
  // only waits for the accept to land; it asserts no timing.
  bool closed = false;
  for (int i = 0; i < 250 && !closed; ++i) {
    closed = !ask();
    if (!closed) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(closed) << "the busy connection kept its worker while another waited";

  waiting.setReceiveTimeout(Poco::Timespan(10, 0));
  char buffer[64] = {};
  const int n = waiting.receiveBytes(buffer, sizeof buffer - 1);
  EXPECT_EQ(std::string(buffer, n > 0 ? static_cast<std::size_t>(n) : 0u).rfind("HTTP/1.1 200", 0), 0u);
  server->stop();
}

}  // namespace
}  // namespace sb::http
