#include "sse_parser.hpp"

#include <algorithm>

namespace sb::testing {

void SseParser::feed(std::string_view bytes) {
  static const std::string kBom = "\xEF\xBB\xBF";
  for (char c : bytes) {
    if (sawCr_) {
      sawCr_ = false;
      if (c == '\n') continue;  // CRLF: the CR already ended the line
    }
    if (c == '\r' || c == '\n') {
      sawCr_ = c == '\r';
      atStart_ = false;
      line(pending_);
      pending_.clear();
      continue;
    }
    pending_ += c;
    if (atStart_) {
      // One leading byte order mark is ignored.
      if (pending_ == kBom) {
        pending_.clear();
        atStart_ = false;
      } else if (kBom.compare(0, pending_.size(), pending_) != 0) {
        atStart_ = false;
      }
    }
  }
}

std::vector<ParsedSseEvent> SseParser::take() {
  std::vector<ParsedSseEvent> out;
  out.swap(ready_);
  return out;
}

void SseParser::line(std::string_view text) {
  if (text.empty()) {
    // Dispatch: nothing without data; the type and data buffers reset.
    if (!data_.empty()) {
      ParsedSseEvent event;
      event.type = type_.empty() ? "message" : type_;
      event.data = data_.substr(0, data_.size() - 1);  // the last LF is dropped
      event.lastEventId = lastEventId_;
      ready_.push_back(std::move(event));
    }
    data_.clear();
    type_.clear();
    return;
  }
  if (text.front() == ':') {
    ++comments_;
    return;
  }
  std::string_view field = text;
  std::string_view value;
  const std::size_t colon = text.find(':');
  if (colon != std::string_view::npos) {
    field = text.substr(0, colon);
    value = text.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "event") {
    type_ = std::string(value);
  } else if (field == "data") {
    data_ += std::string(value) + "\n";
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) lastEventId_ = std::string(value);
  } else if (field == "retry") {
    if (!value.empty() && std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      retry_ = std::stoll(std::string(value));
    }
  }
  // Any other field is ignored.
}

}  // namespace sb::testing
