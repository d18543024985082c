// The front end over real loopback sockets, with bytes no polite client
// sends: request smuggling attempts, pipelining, HTTP/1.0, 100-continue, and
// the limits (431, 505, two Authorization headers). Each refusal of a framing
// problem must also close the connection, so nothing hidden in the body runs.
#include <gtest/gtest.h>

#include <string>

#include "raw_client.hpp"
#include "test_server.hpp"

namespace sb::testing {
namespace {

std::string healthz(const std::string& extra = {}) {
  return "GET /healthz HTTP/1.1\r\nHost: test\r\n" + extra + "\r\n";
}

// Sends `bytes`, expects one response with `status`, then the server closing
// the connection without answering anything else that was sent.
void expectRefusedAndClosed(const std::string& bytes, int status) {
  RawClient client(testServer().port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send(bytes));
  auto response = client.readResponse();
  ASSERT_TRUE(response) << bytes;
  EXPECT_EQ(response->status, status) << bytes << "\n" << response->body;
  EXPECT_EQ(response->header("Content-Type"), "application/problem+json");
  EXPECT_EQ(response->header("Connection"), "close") << bytes;
  EXPECT_TRUE(client.waitForClose()) << "the connection stayed open after: " << bytes;
  EXPECT_EQ(client.received().find("HTTP/1.1"), std::string::npos)
      << "a second response came back: " << client.received();
}

// A request hidden in the body: if the server used the wrong framing it
// would answer this one too.
const std::string kSmuggled = "GET /api/v1/projects HTTP/1.1\r\nHost: test\r\n\r\n";

TEST(FrontEnd, ContentLengthWithTransferEncodingIs400AndCloses) {
  expectRefusedAndClosed("POST /healthz HTTP/1.1\r\nHost: test\r\nContent-Length: 4\r\n"
                         "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + kSmuggled, 400);
  expectRefusedAndClosed("POST /healthz HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n"
                         "Content-Length: 4\r\n\r\n0\r\n\r\n" + kSmuggled, 400);
}

TEST(FrontEnd, TwoContentLengthsAre400AndClose) {
  expectRefusedAndClosed("POST /healthz HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n"
                         "Content-Length: " + std::to_string(kSmuggled.size()) + "\r\n\r\n" + kSmuggled, 400);
}

TEST(FrontEnd, TransferCodingsOtherThanAFinalChunkedAreRefused) {
  expectRefusedAndClosed("POST /healthz HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: xchunked\r\n\r\n" + kSmuggled, 400);
  expectRefusedAndClosed("POST /healthz HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked, identity\r\n\r\n" +
                         kSmuggled, 400);
  expectRefusedAndClosed("POST /healthz HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
                         501);
}

TEST(FrontEnd, MalformedFieldLinesAre400AndClose) {
  expectRefusedAndClosed("POST /healthz HTTP/1.1\r\nHost: test\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n", 400);
  expectRefusedAndClosed("GET /healthz HTTP/1.1\r\nHost: test\r\nX-Folded: a\r\n b\r\n\r\n", 400);
  expectRefusedAndClosed("GET /healthz HTTP/1.1\nHost: test\n\n", 400);
  expectRefusedAndClosed("GET /healthz HTTP/1.1\r\nHost: test\r\nBad Name: x\r\n\r\n", 400);
  expectRefusedAndClosed(std::string("GET /healthz HTTP/1.1\r\nHost: test\r\nX-A: a\0b\r\n\r\n", 47), 400);
}

TEST(FrontEnd, HostMustBeThereOnceOnHttp11) {
  expectRefusedAndClosed("GET /healthz HTTP/1.1\r\n\r\n", 400);
  expectRefusedAndClosed("GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);
}

TEST(FrontEnd, TwoAuthorizationHeadersAre400) {
  expectRefusedAndClosed("GET /api/v1/projects HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer " +
                         testServer().token("vic") + "\r\nAuthorization: Bearer " + testServer().token("root") +
                         "\r\n\r\n", 400);
}

TEST(FrontEnd, OtherHttpVersionsAre505InAnHttp11StatusLine) {
  RawClient client(testServer().port());
  ASSERT_TRUE(client.send("GET /healthz HTTP/2.0\r\nHost: test\r\n\r\n"));
  auto response = client.readResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->statusLine, "HTTP/1.1 505 HTTP Version Not Supported") << response->body;
  EXPECT_TRUE(client.waitForClose());
}

TEST(FrontEnd, TooManyOrTooLargeHeadersAre431) {
  std::string many;
  for (int i = 0; i < 101; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
  expectRefusedAndClosed(healthz(many), 431);
  expectRefusedAndClosed(healthz("X-Big: " + std::string(17000, 'a') + "\r\n"), 431);
  // Up to the limits is fine.
  RawClient client(testServer().port());
  std::string hundred;
  for (int i = 0; i < 99; ++i) hundred += "X-H" + std::to_string(i) + ": v\r\n";
  ASSERT_TRUE(client.send(healthz(hundred)));
  auto response = client.readResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}

TEST(FrontEnd, PipelinedRequestsAreAnsweredInOrder) {
  RawClient client(testServer().port());
  std::string batch;
  for (int i = 0; i < 5; ++i) {
    batch += (i % 2 == 0 ? healthz("X-Request-Id: pipe-" + std::to_string(i) + "\r\n")
                         : "GET /nowhere HTTP/1.1\r\nHost: test\r\nX-Request-Id: pipe-" + std::to_string(i) +
                               "\r\n\r\n");
  }
  ASSERT_TRUE(client.send(batch));
  for (int i = 0; i < 5; ++i) {
    auto response = client.readResponse();
    ASSERT_TRUE(response) << i;
    EXPECT_EQ(response->header("X-Request-Id"), "pipe-" + std::to_string(i));
    EXPECT_EQ(response->status, i % 2 == 0 ? 200 : 404);
  }
}

TEST(FrontEnd, Http10ClosesUnlessAskedToKeepAlive) {
  RawClient once(testServer().port());
  ASSERT_TRUE(once.send("GET /healthz HTTP/1.0\r\n\r\n"));
  auto first = once.readResponse();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->header("Connection"), "close");
  EXPECT_TRUE(once.waitForClose());

  RawClient kept(testServer().port());
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(kept.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    auto response = kept.readResponse();
    ASSERT_TRUE(response) << i;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->header("Connection"), "keep-alive");
  }
}

TEST(FrontEnd, Http11KeepsAliveUnlessToldToClose) {
  RawClient client(testServer().port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client.send(healthz()));
    auto response = client.readResponse();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->header("Connection"), "");
  }
  ASSERT_TRUE(client.send(healthz("Connection: close\r\n")));
  auto last = client.readResponse();
  ASSERT_TRUE(last);
  EXPECT_EQ(last->header("Connection"), "close");
  EXPECT_TRUE(client.waitForClose());
}

TEST(FrontEnd, ExpectContinueGets100BeforeTheBody) {
  RawClient client(testServer().port());
  const std::string body = R"({"name":"continued"})";
  ASSERT_TRUE(client.send("POST /api/v1/projects HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer " +
                          testServer().token("nora") +
                          "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: " +
                          std::to_string(body.size()) + "\r\n\r\n"));
  auto interim = client.readResponse();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->statusLine, "HTTP/1.1 100 Continue");
  ASSERT_TRUE(client.send(body));
  auto created = client.readResponse();
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 201) << created->body;

  // Refused before the body: no 100, the final answer at once.
  RawClient refused(testServer().port());
  ASSERT_TRUE(refused.send("POST /api/v1/projects HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\n"
                           "Content-Type: application/json\r\nContent-Length: 20\r\n\r\n"));
  auto answer = refused.readResponse();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 401);
}

TEST(FrontEnd, RepeatedListHeadersAreCombined) {
  HttpCall call;
  call.path = "/api/v1/integrations/schemas";
  call.token = testServer().token("vic");
  const std::string etag = testServer().call(call).header("ETag");
  ASSERT_FALSE(etag.empty());
  RawClient client(testServer().port());
  ASSERT_TRUE(client.send("GET /api/v1/integrations/schemas HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer " +
                          testServer().token("vic") + "\r\nIf-None-Match: W/\"other\"\r\nIf-None-Match: " + etag +
                          "\r\n\r\n"));
  auto response = client.readResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 304);
  EXPECT_EQ(response->header("ETag"), etag);
  EXPECT_TRUE(response->body.empty());
}

TEST(FrontEnd, EveryReplyCarriesDate) {
  RawClient client(testServer().port());
  ASSERT_TRUE(client.send(healthz()));
  auto response = client.readResponse();
  ASSERT_TRUE(response);
  EXPECT_NE(response->header("Date").find(" GMT"), std::string::npos) << response->header("Date");
}

}  // namespace
}  // namespace sb::testing
