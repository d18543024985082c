// HTTP/1.1 request framing rules (RFC 9112 §2.2, §3, §5, §6) that a parser may
// leave open, checked before a request is routed: where a header block ends,
// its size and field count, bare LF, obs-fold and NUL bytes (HeadScanner); the
// request version, Host, Content-Length, Transfer-Encoding and singleton
// fields of the parsed head (checkRequestHead). Anything ambiguous is refused,
// never guessed, because a proxy in front may have guessed differently
// (request smuggling).
// Thread-safety: HeadScanner is per connection; checkRequestHead is pure.
#pragma once

#include <boost/beast/http/fields.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sb::http {

struct FramingError {
  int status = 400;    // 400, 431, 501 or 505
  std::string detail;  // safe to show the client
};

// Finds the end of a request head in bytes that arrive piecemeal.
class HeadScanner {
 public:
  enum class Outcome { NeedMore, Complete, Failed };

  HeadScanner(std::size_t maxBytes, std::size_t maxFields) : maxBytes_(maxBytes), maxFields_(maxFields) {}

  // Scans `buffer` (the bytes received so far for this request; it only grows
  // between calls) from where the previous call stopped.
  Outcome scan(std::string_view buffer);
  // With Complete: the head is buffer[start(), end()), request line to the
  // blank line inclusive; empty lines before the request line are skipped.
  std::size_t start() const { return start_; }
  std::size_t end() const { return end_; }
  const FramingError& error() const { return error_; }

 private:
  Outcome fail(int status, std::string detail);

  std::size_t maxBytes_;
  std::size_t maxFields_;
  std::size_t position_ = 0;
  std::size_t lineStart_ = 0;
  std::size_t start_ = 0;
  std::size_t end_ = 0;
  std::size_t lines_ = 0;  // complete lines of the head so far (request line + fields)
  FramingError error_;
};

// The request line's HTTP-version before the parser sees it: a well-formed
// version other than 1.0 or 1.1 is 505 (the parser would only say "bad").
std::optional<FramingError> checkRequestLineVersion(std::string_view head);

enum class BodyFraming { None, Length, Chunked };

struct HeadVerdict {
  BodyFraming body = BodyFraming::None;
  std::uint64_t contentLength = 0;  // with Length
};

// `version` as the parser reports it (10, 11, ...). An error means: answer
// with its status and close the connection.
std::optional<FramingError> checkRequestHead(unsigned version, const boost::beast::http::fields& fields,
                                             HeadVerdict& verdict);

}  // namespace sb::http
