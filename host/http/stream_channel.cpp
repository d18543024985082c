#include "http/stream_channel.hpp"

#include <algorithm>


namespace sb::http {
namespace {

std::string hexSize(std::size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  do {
    text.insert(text.begin(), kHex[size & 0xF]);
    size >>= 4;
  } while (size != 0);
  return text;
}

}  // namespace

StreamChannel::StreamChannel(std::shared_ptr<StreamWakeups> wakeups, std::weak_ptr<Connection> connection,
                             std::size_t limit, bool chunked)
    : wakeups_(std::move(wakeups)), connection_(std::move(connection)), limit_(limit), chunked_(chunked) {}

bool StreamChannel::write(std::string bytes) {
  std::lock_guard lock(mutex_);
  if (!open_ || finishing_) return false;
  if (bytes.empty()) return true;
  std::string framed = chunked_ ? hexSize(bytes.size()) + "\r\n" + bytes + "\r\n" : std::move(bytes);
  if (queuedBytes_ + framed.size() > limit_) {
    overflowed_ = true;
    open_ = false;
    // Not through scheduleLocked(): a flush may be pending behind a write
    // that never completes, and the connection must hear of this now.
    postFlush();
    return false;
  }
  queuedBytes_ += framed.size();
  pending_.push_back(std::move(framed));
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

StreamChannel::Batch StreamChannel::take() {
  std::lock_guard lock(mutex_);
  flushScheduled_ = false;
  Batch batch;
  if (pending_.size() == 1) {
    batch.bytes = std::move(pending_.front());  // the common case: one event since the last write
  } else {
    for (auto& piece : pending_) batch.bytes += piece;
  }
  pending_.clear();
  batch.finish = finishing_ && !finishTaken_;
  if (batch.finish) {
    finishTaken_ = true;
    if (chunked_) batch.bytes += "0\r\n\r\n";
  }
  return batch;
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
    pending_.clear();
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
