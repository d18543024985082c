#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "http/router.hpp"
#include "test_server.hpp"

namespace sb::testing {
namespace {

TEST(Protocol, UnknownPathIs404Problem) {
  HttpCall call;
  call.path = "/api/v1/nothing/here?x=1";
  call.token = testServer().token("vic");
  expectProblem(testServer().call(call), 404, "/api/v1/nothing/here");
  call.path = "/";
  expectProblem(testServer().call(call), 404, "/");
}

TEST(Protocol, WrongMethodIs405WithAllow) {
  HttpCall call;
  call.method = "DELETE";
  call.path = "/api/v1/projects";
  call.token = testServer().token("vic");
  const HttpResult result = testServer().call(call);
  expectProblem(result, 405, "/api/v1/projects");
  EXPECT_EQ(result.header("Allow"), "GET, POST, HEAD");
  call.method = "POST";
  call.path = "/api/v1/integrations/schemas/categories";
  const HttpResult literal = testServer().call(call);
  expectProblem(literal, 405, call.path);
  EXPECT_EQ(literal.header("Allow"), "GET, HEAD");
}

TEST(Protocol, HeadIsGetWithoutBody) {
  HttpCall call;
  call.method = "HEAD";
  call.path = "/healthz";
  const HttpResult result = testServer().call(call);
  EXPECT_EQ(result.status, 200);
  EXPECT_TRUE(result.body.empty());
  EXPECT_EQ(result.header("Content-Length"), "15");  // {"status":"ok"}
}

TEST(Protocol, RequestIdIsEchoedWhenValidAndGeneratedOtherwise) {
  HttpCall call;
  call.path = "/healthz";
  call.headers = {{"X-Request-Id", "client-id_1.2"}};
  EXPECT_EQ(testServer().call(call).header("X-Request-Id"), "client-id_1.2");

  const std::regex uuid("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  for (const std::string& bad : {std::string("has space"), std::string("semi;colon"),
                                std::string(129, 'a')}) {
    call.headers = {{"X-Request-Id", bad}};
    const std::string id = testServer().call(call).header("X-Request-Id");
    EXPECT_TRUE(std::regex_match(id, uuid)) << id;
  }
  call.headers.clear();
  const std::string first = testServer().call(call).header("X-Request-Id");
  const std::string second = testServer().call(call).header("X-Request-Id");
  EXPECT_TRUE(std::regex_match(first, uuid)) << first;
  EXPECT_NE(first, second);
  // Errors carry the same id in the body.
  HttpCall failing;
  failing.path = "/api/v1/plugins";
  failing.headers = {{"X-Request-Id", "trace-401"}};
  const HttpResult problem = testServer().call(failing);
  EXPECT_EQ(problem.json()->getValue<std::string>("requestId"), "trace-401");
}

TEST(Protocol, BodyOverLimitIs413ByContentLengthAndWhileChunked) {
  const std::string big =
      "{\"name\":\"" + std::string(TestServer::kMaxBodyBytes, 'x') + "\"}";
  HttpCall call;
  call.method = "POST";
  call.path = "/api/v1/projects";
  call.token = testServer().token("nora");
  call.keepAlive = true;
  call.body = big;
  const HttpResult declared = testServer().call(call);
  expectProblem(declared, 413, "/api/v1/projects");
  EXPECT_EQ(Poco::toLower(declared.header("Connection")), "close");
  call.chunked = true;
  expectProblem(testServer().call(call), 413, "/api/v1/projects");
  // A small chunked body is read normally.
  call.body = R"({"name":"chunked"})";
  EXPECT_EQ(testServer().call(call).status, 201);
}

// Routing and authentication run before the body is read: a request refused
// anyway is not made to upload its body, and since that body is left unread
// on the socket the connection is closed rather than reused.
TEST(Protocol, RefusedRequestsAreAnsweredBeforeTheirBodyIsRead) {
  HttpCall call;
  call.method = "POST";
  call.path = "/api/v1/projects";
  call.keepAlive = true;
  call.body = "{\"name\":\"" + std::string(TestServer::kMaxBodyBytes, 'x') + "\"}";
  const HttpResult anonymous = testServer().call(call);
  expectProblem(anonymous, 401, "/api/v1/projects");
  EXPECT_EQ(Poco::toLower(anonymous.header("Connection")), "close");
  call.path = "/api/v1/nowhere";
  call.token = testServer().token("nora");
  const HttpResult unknown = testServer().call(call);
  expectProblem(unknown, 404, "/api/v1/nowhere");
  EXPECT_EQ(Poco::toLower(unknown.header("Connection")), "close");
  // Without a body there is nothing left unread: the connection stays usable.
  HttpCall bodiless;
  bodiless.path = "/api/v1/projects";
  bodiless.keepAlive = true;
  const HttpResult refused = testServer().call(bodiless);
  expectProblem(refused, 401, "/api/v1/projects");
  EXPECT_NE(Poco::toLower(refused.header("Connection")), "close");
}

TEST(Protocol, AccessLogHasOneJsonLinePerRequestAndNoSecrets) {
  HttpCall call;
  call.path = "/api/v1/projects/unknown-project";
  call.token = testServer().token("vic");
  call.headers = {{"X-Request-Id", "access-log-check"}};
  testServer().call(call);
  std::ifstream log(testServer().accessLogPath());
  std::stringstream all;
  all << log.rdbuf();
  const std::string text = all.str();
  EXPECT_EQ(text.find(testServer().token("vic")), std::string::npos);
  EXPECT_EQ(text.find("Bearer"), std::string::npos);
  std::string line;
  std::istringstream lines(text);
  std::string found;
  while (std::getline(lines, line)) {
    if (line.find("\"access-log-check\"") != std::string::npos) found = line;
  }
  ASSERT_FALSE(found.empty()) << text;
  HttpResult parsed;
  parsed.body = found;
  const auto entry = parsed.json();
  EXPECT_EQ(entry->getValue<std::string>("method"), "GET");
  EXPECT_EQ(entry->getValue<std::string>("path"), "/api/v1/projects/unknown-project");
  EXPECT_EQ(entry->getValue<std::string>("route"), "/api/v1/projects/{id}");
  EXPECT_EQ(entry->getValue<int>("status"), 404);
  EXPECT_GT(entry->getValue<int>("bytes"), 0);
  EXPECT_GE(entry->getValue<double>("durationMs"), 0.0);
  EXPECT_EQ(entry->getValue<std::string>("userId").rfind("usr", 0), 0u);
  EXPECT_EQ(entry->getValue<std::string>("remote").rfind("127.0.0.1:", 0), 0u);
  EXPECT_FALSE(entry->getValue<std::string>("time").empty());
}

TEST(Protocol, ExceptionInAHandlerBecomesA500ProblemWithRequestId) {
  http::Router router;
  router.add("GET", "/boom", http::RouteAccess::Public,
             [](http::ApiRequest&) -> http::ApiReply { throw std::runtime_error("secret detail"); });
  auto server = startDedicatedServer(2, std::move(router));
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(server->port()));
  Poco::Net::HTTPRequest request("GET", "/boom", Poco::Net::HTTPMessage::HTTP_1_1);
  request.set("X-Request-Id", "boom-1");
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::string body;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
  server->stop();
  HttpResult result;
  result.status = static_cast<int>(response.getStatus());
  for (const auto& [name, value] : response) result.headers[Poco::toLower(name)] = value;
  result.body = body;
  expectProblem(result, 500, "/boom");
  EXPECT_EQ(result.json()->getValue<std::string>("requestId"), "boom-1");
  EXPECT_EQ(body.find("secret detail"), std::string::npos);
}

TEST(Protocol, MalformedRequestTargetIs400NotACrash) {
  HttpCall call;
  call.path = "/api/v1/projects/%zz";
  call.token = testServer().token("vic");
  expectProblem(testServer().call(call), 400, "/api/v1/projects/%zz");
  call.path = "/api/v1/integrations/schemas?category=%G1";
  expectProblem(testServer().call(call), 400, "/api/v1/integrations/schemas");
}

}  // namespace
}  // namespace sb::testing
