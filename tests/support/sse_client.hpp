// A test client for one Server-Sent Events stream over a real loopback
// socket: sends the GET, reads the head, then decodes the chunked body (and
// gzip or deflate, when the server chose one) piece by piece into an
// SseParser, so a test sees each event as the server flushed it.
// Thread-safety: one test thread per client.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sse_parser.hpp"

namespace sb::testing {

class SseClient {
 public:
  // Connects to 127.0.0.1:port and sends `GET target` with `headers`.
  SseClient(int port, const std::string& target, const std::map<std::string, std::string>& headers = {});
  ~SseClient();
  SseClient(const SseClient&) = delete;
  SseClient& operator=(const SseClient&) = delete;

  int status() const { return status_; }  // 0 when no head arrived
  std::string header(const std::string& lowerName) const;
  const std::string& body() const { return body_; }  // a non-stream reply's body

  // Reads until `count` events have arrived (returns them, oldest first) or
  // `waitMs` passed or the stream ended (returns what arrived).
  std::vector<ParsedSseEvent> next(std::size_t count, int waitMs = 10000);
  // Reads until `count` comments (heartbeats) arrived in total, or timeout.
  std::size_t waitForComments(std::size_t count, int waitMs = 10000);
  // Reads until the server ends the stream (terminating chunk or close).
  bool waitForEnd(int waitMs = 10000);
  const SseParser& parser() const { return parser_; }
  bool ended() const { return ended_; }

 private:
  bool pump(int waitMs);  // reads once; false on timeout
  void decodeChunks();
  void inflate(const std::string& bytes);

  struct Impl;
  std::unique_ptr<Impl> impl_;
  int status_ = 0;
  std::map<std::string, std::string> headers_;
  std::string body_;
  std::string raw_;  // undecoded chunked bytes
  bool chunked_ = false;
  bool ended_ = false;
  SseParser parser_;
  std::vector<ParsedSseEvent> events_;
};

}  // namespace sb::testing
