#include "http/stream_channel.hpp"

#include <algorithm>

namespace sb::http {
namespace {

constexpr std::size_t kKeptBufferBytes = 16 * 1024;

// The chunk-size line: hex digits and CRLF.
void appendChunkHead(std::string& out, std::size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  char digits[2 * sizeof(std::size_t)];
  std::size_t count = 0;
  do {
    digits[count++] = kHex[size & 0xF];
    size >>= 4;
  } while (size != 0);
  while (count > 0) out.push_back(digits[--count]);
  out += "\r\n";
}

// What chunked framing adds to `size` bytes: the size line and the CRLF after the data.
std::size_t framingOf(std::size_t size) {
  std::size_t digits = 1;
  while (size >>= 4) ++digits;
  return digits + 4;
}

}  // namespace

StreamChannel::StreamChannel(std::shared_ptr<StreamWakeups> wakeups, std::weak_ptr<Connection> connection,
                             std::size_t limit, bool chunked)
    : wakeups_(std::move(wakeups)), connection_(std::move(connection)), limit_(limit), chunked_(chunked) {}

bool StreamChannel::write(std::string_view bytes) {
  std::lock_guard lock(mutex_);
  if (!open_ || finishing_) return false;
  if (bytes.empty()) return true;
  const std::size_t framed = chunked_ ? bytes.size() + framingOf(bytes.size()) : bytes.size();
  if (queuedBytes_ + framed > limit_) {
    overflowed_ = true;
    open_ = false;
    // Not through scheduleLocked(): a flush may be pending behind a write
    // that never completes, and the connection must hear of this now.
    postFlush();
    return false;
  }
  queuedBytes_ += framed;
  if (chunked_) appendChunkHead(pending_, bytes.size());
  pending_ += bytes;
  if (chunked_) pending_ += "\r\n";
  scheduleLocked();
  return true;
}

void StreamChannel::finish() {
  std::lock_guard lock(mutex_);
  if (!open_ || finishing_) return;
  finishing_ = true;
  scheduleLocked();
}

bool StreamChannel::isOpen() const {
  std::lock_guard lock(mutex_);
  return open_ && !finishing_;
}

void StreamChannel::onClose(std::function<void()> callback) {
  {
    std::lock_guard lock(mutex_);
    if (!ended_) {
      callbacks_.push_back(std::move(callback));
      return;
    }
  }
  callback();
}

bool StreamChannel::overflowed() const {
  std::lock_guard lock(mutex_);
  return overflowed_;
}

bool StreamChannel::take(std::string& out) {
  std::lock_guard lock(mutex_);
  flushScheduled_ = false;
  out.clear();
  out.swap(pending_);
  // A one-off burst (a long backlog) does not keep its buffer for the life of the stream.
  if (pending_.capacity() > kKeptBufferBytes) std::string().swap(pending_);
  const bool finish = finishing_ && !finishTaken_;
  if (finish) {
    finishTaken_ = true;
    if (chunked_) out += "0\r\n\r\n";
  }
  return finish;
}

void StreamChannel::written(std::size_t bytes) {
  std::lock_guard lock(mutex_);
  queuedBytes_ -= std::min(queuedBytes_, bytes);
}

void StreamChannel::end() {
  std::vector<std::function<void()>> callbacks;
  {
    std::lock_guard lock(mutex_);
    if (ended_) return;
    ended_ = true;
    open_ = false;
    std::string().swap(pending_);
    callbacks.swap(callbacks_);
  }
  for (auto& callback : callbacks) callback();
}

void StreamChannel::scheduleLocked() {
  if (flushScheduled_) return;
  flushScheduled_ = true;
  postFlush();
}

void StreamChannel::postFlush() { wakeups_->request(connection_); }

}  // namespace sb::http
