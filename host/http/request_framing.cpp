#include "http/request_framing.hpp"

#include <boost/beast/core/string.hpp>

#include <algorithm>
#include <vector>

namespace sb::http {
namespace bhttp = boost::beast::http;

HeadScanner::Outcome HeadScanner::fail(int status, std::string detail) {
  error_ = {status, std::move(detail)};
  return Outcome::Failed;
}

HeadScanner::Outcome HeadScanner::scan(std::string_view buffer) {
  const std::string too_large = "the request head exceeds " + std::to_string(maxBytes_) + " bytes";
  for (; position_ < buffer.size(); ++position_) {
    const char c = buffer[position_];
    if (position_ - start_ >= maxBytes_) return fail(431, too_large);
    if (c == '\0') return fail(400, "the request head contains a NUL byte");
    const bool afterCr = position_ > lineStart_ && buffer[position_ - 1] == '\r';
    if (c != '\n') {
      if (afterCr) return fail(400, "a CR in the request head is not followed by LF");
      // RFC 9112 §5.2: obs-fold is refused rather than joined into the
      // previous field, which another parser might not do.
      if (position_ == lineStart_ && lines_ > 0 && (c == ' ' || c == '\t')) {
        return fail(400, "obsolete line folding (a field line starting with a space or tab) is not accepted");
      }
      continue;
    }
    if (!afterCr) return fail(400, "a request line or field line ends with a bare LF; CRLF is required");
    const bool emptyLine = position_ == lineStart_ + 1;
    lineStart_ = position_ + 1;
    if (emptyLine) {
      if (lines_ == 0) {
        start_ = lineStart_;  // RFC 9112 §2.2: empty lines before the request line are ignored
        if (start_ > maxBytes_) return fail(400, "too many empty lines before the request line");
        continue;
      }
      end_ = position_ + 1;
      ++position_;
      return Outcome::Complete;
    }
    ++lines_;
    if (lines_ - 1 > maxFields_) {
      return fail(431, "the request has more than " + std::to_string(maxFields_) + " header fields");
    }
  }
  if (position_ - start_ >= maxBytes_) return fail(431, too_large);
  return Outcome::NeedMore;
}

namespace {

std::size_t countOf(const bhttp::fields& fields, bhttp::field name) {
  return static_cast<std::size_t>(std::distance(fields.equal_range(name).first, fields.equal_range(name).second));
}

bool allDigits(boost::beast::string_view value) {
  return !value.empty() && std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool isTokenChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// The transfer codings across every Transfer-Encoding line, in order, names
// lower-cased and parameters dropped; nullopt when a list is malformed.
std::optional<std::vector<std::string>> transferCodings(const bhttp::fields& fields) {
  std::vector<std::string> codings;
  auto [first, last] = fields.equal_range(bhttp::field::transfer_encoding);
  for (auto it = first; it != last; ++it) {
    const std::string_view value(it->value().data(), it->value().size());
    std::size_t begin = 0;
    while (begin <= value.size()) {
      std::size_t comma = value.find(',', begin);
      if (comma == std::string_view::npos) comma = value.size();
      std::string_view element = value.substr(begin, comma - begin);
      element = element.substr(0, element.find(';'));  // parameters do not change the coding
      while (!element.empty() && (element.front() == ' ' || element.front() == '\t')) element.remove_prefix(1);
      while (!element.empty() && (element.back() == ' ' || element.back() == '\t')) element.remove_suffix(1);
      if (!element.empty()) {  // RFC 9110 §5.6.1: empty list elements are ignored
        if (!std::all_of(element.begin(), element.end(), isTokenChar)) return std::nullopt;
        std::string name(element);
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        codings.push_back(std::move(name));
      }
      begin = comma + 1;
    }
  }
  if (codings.empty()) return std::nullopt;
  return codings;
}

}  // namespace

std::optional<FramingError> checkRequestLineVersion(std::string_view head) {
  const std::string_view line = head.substr(0, head.find("\r\n"));
  const std::size_t space = line.rfind(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const std::string_view version = line.substr(space + 1);
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || !digit(version[5]) || version[6] != '.' ||
      !digit(version[7])) {
    return std::nullopt;  // not a version at all: the parser's 400
  }
  if (version == "HTTP/1.0" || version == "HTTP/1.1") return std::nullopt;
  return FramingError{505, "only HTTP/1.0 and HTTP/1.1 are supported"};
}

std::optional<FramingError> checkRequestHead(unsigned version, const bhttp::fields& fields,
                                             HeadVerdict& verdict) {
  verdict = {};
  if (version != 10 && version != 11) {
    return FramingError{505, "only HTTP/1.0 and HTTP/1.1 are supported"};
  }
  const std::size_t hosts = countOf(fields, bhttp::field::host);
  if (hosts > 1) return FramingError{400, "the request has more than one Host header"};
  if (version == 11 && hosts == 0) return FramingError{400, "an HTTP/1.1 request needs a Host header"};
  if (countOf(fields, bhttp::field::authorization) > 1) {
    return FramingError{400, "the request has more than one Authorization header"};
  }

  const std::size_t lengths = countOf(fields, bhttp::field::content_length);
  const bool hasCodings = fields.find(bhttp::field::transfer_encoding) != fields.end();
  if (lengths > 0 && hasCodings) {
    return FramingError{400, "the request has both Content-Length and Transfer-Encoding"};
  }
  if (lengths > 1) return FramingError{400, "the request has more than one Content-Length header"};
  if (lengths == 1) {
    const auto value = fields[bhttp::field::content_length];
    if (!allDigits(value) || value.size() > 18) {
      return FramingError{400, "Content-Length must be a plain decimal number"};
    }
    verdict.contentLength = std::stoull(std::string(value));
    verdict.body = verdict.contentLength > 0 ? BodyFraming::Length : BodyFraming::None;
    return std::nullopt;
  }
  if (!hasCodings) return std::nullopt;
  // RFC 9112 §6.1: HTTP/1.0 has no transfer codings; a request that sends
  // them anyway has faulty framing.
  if (version == 10) return FramingError{400, "Transfer-Encoding is not defined for HTTP/1.0"};
  const auto codings = transferCodings(fields);
  if (!codings) return FramingError{400, "Transfer-Encoding is not a valid list of transfer codings"};
  // RFC 9112 §6.3: unless chunked is the final coding the body length is
  // unknown, and the request must be refused with 400.
  if (codings->back() != "chunked") {
    return FramingError{400, "chunked must be the final transfer coding"};
  }
  for (std::size_t i = 0; i + 1 < codings->size(); ++i) {
    if ((*codings)[i] == "chunked") return FramingError{400, "chunked may be applied only once"};
    return FramingError{501, "transfer coding '" + (*codings)[i] + "' is not implemented"};
  }
  verdict.body = BodyFraming::Chunked;
  return std::nullopt;
}

}  // namespace sb::http
