#include "events/sse_format.hpp"

namespace sb::events {
namespace {

// A field value must not contain CR or LF (they end the line); an id must
// also not contain NUL, or clients ignore it. Both are stripped.
std::string singleLine(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c != '\r' && c != '\n' && c != '\0') out += c;
  }
  return out;
}

}  // namespace

std::string formatEvent(const SseEvent& event) {
  std::string out;
  out.reserve(event.data.size() + event.type.size() + event.id.size() + 32);
  if (!event.id.empty()) out += "id: " + singleLine(event.id) + "\n";
  if (!event.type.empty()) out += "event: " + singleLine(event.type) + "\n";
  std::size_t start = 0;
  const std::string& data = event.data;
  for (;;) {
    std::size_t end = data.find_first_of("\r\n", start);
    out += "data: ";
    out.append(data, start, end == std::string::npos ? std::string::npos : end - start);
    out += '\n';
    if (end == std::string::npos) break;
    start = end + 1;
    if (data[end] == '\r' && start < data.size() && data[start] == '\n') ++start;  // CRLF is one break
  }
  out += '\n';
  return out;
}

std::string formatComment(std::string_view text) { return ":" + singleLine(text) + "\n\n"; }

std::string formatRetry(std::int64_t milliseconds) {
  return "retry: " + std::to_string(milliseconds < 0 ? 0 : milliseconds) + "\n\n";
}

}  // namespace sb::events
