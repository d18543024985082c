// The stream contract: a route may answer with a stream instead of a body
// (SSE, progress). The front end sends the status and headers, then hands the
// route's StreamStart a StreamSink that the producer keeps and writes to from
// any thread, for as long as it likes.
//  - write() never blocks: bytes go to a bounded per-connection outbox. A
//    reader too slow to drain it is disconnected (and counted in
//    switchboard_http_streams_dropped_total); write() then returns false.
//  - onClose() callbacks run once, on an I/O thread, as soon as the stream
//    ends for any reason: the client went away (noticed without a write),
//    the outbox overflowed, finish() completed, or the server is stopping.
//    They must not block.
// OWNERSHIP: the sink is shared; the producer may keep it past the end of the
// stream (writes then return false). The front end owns the connection.
// Thread-safety: every StreamSink method may be called from any thread.
#pragma once

#include <functional>
#include <memory>
#include <string_view>

namespace sb::http {

class StreamSink {
 public:
  virtual ~StreamSink() = default;
  // Copies `bytes` into the outbox, to be sent as they are (the front end
  // adds the chunked framing). False when the stream has ended; the bytes
  // are then dropped.
  virtual bool write(std::string_view bytes) = 0;
  // Ends the reply once the queued bytes are sent (the connection may then
  // serve its next request).
  virtual void finish() = 0;
  virtual bool isOpen() const = 0;
  // Registers a callback for the end of the stream; runs at once (on the
  // calling thread) when the stream has already ended.
  virtual void onClose(std::function<void()> callback) = 0;
};

// Called on a worker thread once the reply head is queued.
using StreamStart = std::function<void(std::shared_ptr<StreamSink>)>;

}  // namespace sb::http
