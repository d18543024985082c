// Stopping the server (SIGTERM in `serve`) lets requests already being
// handled finish, so a rolling restart does not cut clients off mid-write.
#include <gtest/gtest.h>

#include <Poco/Data/Session.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <chrono>
#include <thread>

#include "http/api_server.hpp"
#include "test_server.hpp"

namespace sb::http {
namespace {

TEST(GracefulStop, ARequestInFlightCompletesWhileTheServerStops) {
  auto& shared = testing::testServer();
  auto server = testing::startDedicatedServer(2);
  const auto port = static_cast<Poco::UInt16>(server->port());

  // Another connection holds SQLite's write lock, so the request's write
  // waits inside the store (busy timeout): a request that is in flight.
  Poco::Data::Session blocker("SQLite", shared.databasePath());
  blocker << "BEGIN IMMEDIATE", Poco::Data::Keywords::now;

  int status = 0;
  std::string body;
  std::thread client([&] {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest request("POST", "/api/v1/projects", Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer " + shared.token("nora"));
    request.setContentType("application/json");
    const std::string payload = R"({"name":"made during shutdown"})";
    request.setContentLength(static_cast<std::streamsize>(payload.size()));
    try {
      session.sendRequest(request) << payload;
      Poco::Net::HTTPResponse response;
      Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
      status = response.getStatus();
    } catch (const std::exception& e) {
      body = e.what();
    }
  });
  // Give the request time to reach the store; the lock keeps it there.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  std::thread stopper([&] { server->stop(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  blocker << "ROLLBACK", Poco::Data::Keywords::now;
  client.join();
  stopper.join();
  EXPECT_EQ(status, 201) << body;
}

}  // namespace
}  // namespace sb::http
