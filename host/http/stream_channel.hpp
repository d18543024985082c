// The shared half of a streaming reply (reply_stream.hpp): producers queue
// bytes here from any thread, framed, bounded by the outbox limit; the
// connection takes them on its I/O thread and writes them. The outbox and the
// connection's write buffer trade places on every take, so a stream that
// keeps writing allocates nothing once both have grown to its usual burst.
// OWNERSHIP: shared by the producer (as a StreamSink) and the connection; it
// refers to the connection weakly, so it may outlive it (writes then fail).
// Flushes go through the I/O thread's StreamWakeups, so that one event
// written to many streams wakes each I/O thread once, not once per stream.
// Thread-safety: StreamSink methods from any thread; take(), written(),
// end() and overflowed() from the connection's I/O thread.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/reply_stream.hpp"
#include "http/stream_wakeups.hpp"

namespace sb::http {

class Connection;

class StreamChannel final : public StreamSink {
 public:
  // `chunked`: frame each write as one HTTP/1.1 chunk (else raw, HTTP/1.0).
  // `wakeups` belongs to the connection's I/O thread.
  StreamChannel(std::shared_ptr<StreamWakeups> wakeups, std::weak_ptr<Connection> connection, std::size_t limit,
                bool chunked);

  bool write(std::string_view bytes) override;
  void finish() override;
  bool isOpen() const override;
  void onClose(std::function<void()> callback) override;

  bool overflowed() const;
  // Replaces `out` with everything queued so far, framed (its buffer becomes
  // the outbox). True when that includes the end of the stream (the
  // terminating chunk): the stream is over once `out` is sent.
  bool take(std::string& out);
  // `bytes` of the outbox reached the socket.
  void written(std::size_t bytes);
  // The stream is over: tell whoever listens, once.
  void end();

 private:
  void scheduleLocked();
  void postFlush();

  std::shared_ptr<StreamWakeups> wakeups_;
  std::weak_ptr<Connection> connection_;
  const std::size_t limit_;
  const bool chunked_;
  mutable std::mutex mutex_;
  std::string pending_;          // framed
  std::size_t queuedBytes_ = 0;  // queued or being written, framing included
  bool open_ = true;
  bool finishing_ = false;
  bool finishTaken_ = false;
  bool overflowed_ = false;
  bool flushScheduled_ = false;
  bool ended_ = false;
  std::vector<std::function<void()>> callbacks_;
};

}  // namespace sb::http
