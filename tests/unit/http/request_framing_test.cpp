// The framing rules on their own, without a socket: where a head ends, and
// what the parsed head must satisfy (RFC 9112 §2.2, §5.2, §6.1, §6.3).
#include <gtest/gtest.h>

#include <boost/beast/http/fields.hpp>

#include "http/request_framing.hpp"

namespace sb::http {
namespace {

HeadScanner::Outcome scanAll(HeadScanner& scanner, const std::string& bytes) { return scanner.scan(bytes); }

TEST(HeadScanner, FindsTheEndAcrossPiecesAndSkipsLeadingEmptyLines) {
  HeadScanner scanner(1024, 10);
  std::string buffer = "\r\nGET / HTTP/1.1\r\nHo";
  EXPECT_EQ(scanner.scan(buffer), HeadScanner::Outcome::NeedMore);
  buffer += "st: x\r\n\r\nBODY";
  ASSERT_EQ(scanner.scan(buffer), HeadScanner::Outcome::Complete);
  EXPECT_EQ(buffer.substr(scanner.start(), scanner.end() - scanner.start()), "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
}

TEST(HeadScanner, RefusesBareLfObsFoldNulAndLoneCr) {
  struct Case {
    std::string bytes;
    std::string detail;
  };
  for (const Case& c : {Case{"GET / HTTP/1.1\nHost: x\n\n", "bare LF"},
                        Case{"GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n 2\r\n\r\n", "folding"},
                        Case{"GET / HTTP/1.1\r\nHost: x\r\n\tX-A: 1\r\n\r\n", "folding"},
                        Case{std::string("GET / HTTP/1.1\r\nHost: a\0b\r\n\r\n", 29), "NUL"},
                        Case{"GET / HTTP/1.1\r\nHost: x\rY\r\n\r\n", "CR"}}) {
    HeadScanner scanner(1024, 10);
    EXPECT_EQ(scanAll(scanner, c.bytes), HeadScanner::Outcome::Failed) << c.bytes;
    EXPECT_EQ(scanner.error().status, 400) << c.bytes;
    EXPECT_NE(scanner.error().detail.find(c.detail), std::string::npos) << scanner.error().detail;
  }
}

TEST(HeadScanner, TooManyOrTooLargeHeadersAre431) {
  HeadScanner count(4096, 3);
  EXPECT_EQ(count.scan("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n"), HeadScanner::Outcome::Failed);
  EXPECT_EQ(count.error().status, 431);
  HeadScanner exactly(4096, 3);
  EXPECT_EQ(exactly.scan("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"), HeadScanner::Outcome::Complete);

  HeadScanner size(64, 100);
  EXPECT_EQ(size.scan("GET / HTTP/1.1\r\nX-Long: " + std::string(100, 'a')), HeadScanner::Outcome::Failed);
  EXPECT_EQ(size.error().status, 431);
}

boost::beast::http::fields fieldsOf(std::initializer_list<std::pair<std::string, std::string>> list) {
  boost::beast::http::fields fields;
  for (const auto& [name, value] : list) fields.insert(name, value);
  return fields;
}

std::optional<FramingError> check(unsigned version, std::initializer_list<std::pair<std::string, std::string>> list,
                                  HeadVerdict* out = nullptr) {
  HeadVerdict verdict;
  auto error = checkRequestHead(version, fieldsOf(list), verdict);
  if (out != nullptr) *out = verdict;
  return error;
}

TEST(CheckRequestHead, VersionsAndHost) {
  EXPECT_EQ(check(20, {{"Host", "x"}})->status, 505);
  EXPECT_EQ(check(12, {{"Host", "x"}})->status, 505);
  EXPECT_EQ(check(11, {})->status, 400);
  EXPECT_EQ(check(11, {{"Host", "a"}, {"Host", "b"}})->status, 400);
  EXPECT_EQ(check(10, {{"Host", "a"}, {"Host", "a"}})->status, 400);
  EXPECT_FALSE(check(10, {}));  // HTTP/1.0 needs no Host
  EXPECT_FALSE(check(11, {{"Host", "x"}}));
  EXPECT_EQ(check(11, {{"Host", "x"}, {"Authorization", "Bearer a"}, {"Authorization", "Bearer b"}})->status, 400);
}

TEST(CheckRequestHead, ContentLengthMustBeOnePlainNumber) {
  HeadVerdict verdict;
  EXPECT_FALSE(check(11, {{"Host", "x"}, {"Content-Length", "12"}}, &verdict));
  EXPECT_EQ(verdict.body, BodyFraming::Length);
  EXPECT_EQ(verdict.contentLength, 12u);
  EXPECT_FALSE(check(11, {{"Host", "x"}, {"Content-Length", "0"}}, &verdict));
  EXPECT_EQ(verdict.body, BodyFraming::None);
  EXPECT_EQ(check(11, {{"Host", "x"}, {"Content-Length", "5"}, {"Content-Length", "6"}})->status, 400);
  EXPECT_EQ(check(11, {{"Host", "x"}, {"Content-Length", "5"}, {"Content-Length", "5"}})->status, 400);
  EXPECT_EQ(check(11, {{"Host", "x"}, {"Content-Length", "5, 5"}})->status, 400);
  EXPECT_EQ(check(11, {{"Host", "x"}, {"Content-Length", "+5"}})->status, 400);
  EXPECT_EQ(check(11, {{"Host", "x"}, {"Content-Length", "5"}, {"Transfer-Encoding", "chunked"}})->status, 400);
}

TEST(CheckRequestHead, OnlyAFinalSingleChunkedIsAccepted) {
  HeadVerdict verdict;
  EXPECT_FALSE(check(11, {{"Host", "x"}, {"Transfer-Encoding", "Chunked"}}, &verdict));
  EXPECT_EQ(verdict.body, BodyFraming::Chunked);
  EXPECT_EQ(check(11, {{"Host", "x"}, {"Transfer-Encoding", "xchunked"}})->status, 400);
  EXPECT_EQ(check(11, {{"Host", "x"}, {"Transfer-Encoding", "chunked, identity"}})->status, 400);
  EXPECT_EQ(check(11, {{"Host", "x"}, {"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "chunked"}})->status,
            400);
  EXPECT_EQ(check(11, {{"Host", "x"}, {"Transfer-Encoding", "gzip, chunked"}})->status, 501);
  EXPECT_EQ(check(11, {{"Host", "x"}, {"Transfer-Encoding", "gzip"}, {"Transfer-Encoding", "chunked"}})->status, 501);
  EXPECT_EQ(check(11, {{"Host", "x"}, {"Transfer-Encoding", "chu\"nked"}})->status, 400);
  EXPECT_EQ(check(10, {{"Transfer-Encoding", "chunked"}})->status, 400);
}

}  // namespace
}  // namespace sb::http
