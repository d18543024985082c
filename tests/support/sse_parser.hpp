// A test-side Server-Sent Events parser that follows the WHATWG HTML
// "Server-sent events" interpretation algorithm to the letter: CR, LF and
// CRLF line ends (also split across feeds), a leading BOM, comments, fields
// without a colon, one optional space after the colon, `data` lines joined
// by LF with the final LF dropped, `id` (ignored when it contains NUL) kept
// across events as the last event id, `retry` only when all digits, and an
// event dispatched on a blank line only when it has data. Used to check
// that what the server streams is what a browser's EventSource would see.
// Thread-safety: one instance per stream, one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sb::testing {

struct ParsedSseEvent {
  std::string type;         // "message" when no event field was sent
  std::string data;
  std::string lastEventId;  // the stream's last event id when this one was dispatched
};

class SseParser {
 public:
  // Feeds the next bytes of the stream; complete events become available.
  void feed(std::string_view bytes);
  std::vector<ParsedSseEvent> take();  // the events dispatched so far, oldest first
  std::optional<std::int64_t> retryMs() const { return retry_; }
  const std::string& lastEventId() const { return lastEventId_; }
  std::size_t comments() const { return comments_; }

 private:
  void line(std::string_view text);

  std::string pending_;  // a line not yet ended
  bool sawCr_ = false;   // the previous byte was CR (a following LF belongs to it)
  bool atStart_ = true;  // nothing but a possible BOM prefix seen yet
  std::string data_;
  std::string type_;
  std::string lastEventId_;
  std::optional<std::int64_t> retry_;
  std::size_t comments_ = 0;
  std::vector<ParsedSseEvent> ready_;
};

}  // namespace sb::testing
