// Server-Sent Events framing (WHATWG HTML, "Server-sent events"): one event
// as `id:`, `event:` and one `data:` line per payload line, then a blank
// line; comments (`:hb`) and `retry:`. Payload line breaks of any kind (CR,
// LF, CRLF) become separate data lines, so no payload can end an event early
// or inject a field.
// Thread-safety: pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sb::events {

struct SseEvent {
  std::string id;     // empty: no id line (the client keeps its last id)
  std::string type;   // empty: no event line ("message")
  std::string data;   // may span lines
};

// The bytes of one event, ending with the blank line.
std::string formatEvent(const SseEvent& event);
// ":<text>\n\n": ignored by clients, keeps proxies and the connection alive.
std::string formatComment(std::string_view text);
// "retry: <ms>\n\n": the client's reconnection delay.
std::string formatRetry(std::int64_t milliseconds);

}  // namespace sb::events
