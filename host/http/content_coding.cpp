#include "http/content_coding.hpp"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace sb::http {
namespace {

std::string trimmedLower(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// The q-value of one list element ("gzip;q=0.5" -> 0.5); 1 without one, 0
// for a malformed one (treated as refused).
double qualityOf(std::string_view parameters) {
  std::size_t at = 0;
  while (at < parameters.size()) {
    std::size_t next = parameters.find(';', at);
    const std::string parameter = trimmedLower(parameters.substr(at, next == std::string_view::npos ? next : next - at));
    if (parameter.rfind("q=", 0) == 0) {
      char* end = nullptr;
      const double q = std::strtod(parameter.c_str() + 2, &end);
      if (end == parameter.c_str() + 2 || *end != '\0' || q < 0 || q > 1) return 0;
      return q;
    }
    if (next == std::string_view::npos) break;
    at = next + 1;
  }
  return 1;
}

}  // namespace

ContentCoding negotiateCoding(const std::string* acceptEncoding) {
  if (acceptEncoding == nullptr) return ContentCoding::Identity;
  double gzip = -1, deflate = -1, star = -1;
  std::string_view list(*acceptEncoding);
  std::size_t at = 0;
  while (at <= list.size()) {
    std::size_t comma = list.find(',', at);
    if (comma == std::string_view::npos) comma = list.size();
    const std::string_view element = list.substr(at, comma - at);
    const std::size_t semicolon = element.find(';');
    const std::string name = trimmedLower(element.substr(0, semicolon));
    const double q = semicolon == std::string_view::npos ? 1 : qualityOf(element.substr(semicolon + 1));
    if (name == "gzip" || name == "x-gzip") gzip = std::max(gzip, q);
    if (name == "deflate") deflate = std::max(deflate, q);
    if (name == "*") star = q;
    at = comma + 1;
  }
  if (gzip < 0) gzip = star;  // `*` covers codings not listed by name
  if (deflate < 0) deflate = star;
  if (gzip > 0 && gzip >= deflate) return ContentCoding::Gzip;
  if (deflate > 0) return ContentCoding::Deflate;
  return ContentCoding::Identity;
}

std::string_view codingName(ContentCoding coding) {
  switch (coding) {
    case ContentCoding::Gzip: return "gzip";
    case ContentCoding::Deflate: return "deflate";
    case ContentCoding::Identity: return "";
  }
  return "";
}

struct StreamCompressor::State {
  z_stream stream{};
};

StreamCompressor::StreamCompressor(ContentCoding coding) : state_(std::make_unique<State>()) {
  // HTTP's "deflate" is the zlib format (RFC 9110 §8.4.1.2); gzip adds 16.
  const int windowBits = coding == ContentCoding::Gzip ? 12 + 16 : 12;
  if (deflateInit2(&state_->stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, windowBits, 5, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("zlib: deflateInit2 failed");
  }
}

StreamCompressor::~StreamCompressor() { deflateEnd(&state_->stream); }

namespace {

std::string run(z_stream& stream, std::string_view input, int flush) {
  std::string out;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  stream.avail_in = static_cast<uInt>(input.size());
  char buffer[4096];
  do {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    const int result = deflate(&stream, flush);
    if (result == Z_STREAM_ERROR) throw std::runtime_error("zlib: deflate failed");
    out.append(buffer, sizeof buffer - stream.avail_out);
  } while (stream.avail_out == 0);
  return out;
}

}  // namespace

std::string StreamCompressor::compress(std::string_view piece) { return run(state_->stream, piece, Z_SYNC_FLUSH); }

std::string StreamCompressor::finish() { return run(state_->stream, {}, Z_FINISH); }

}  // namespace sb::http
