#include "http/stream_wakeups.hpp"

#include <boost/asio/post.hpp>

#include "http/connection.hpp"

namespace sb::http {

void StreamWakeups::request(std::weak_ptr<Connection> connection) {
  {
    std::lock_guard lock(mutex_);
    waiting_.push_back(std::move(connection));
    if (posted_) return;
    posted_ = true;
  }
  boost::asio::post(executor_, [self = shared_from_this()] { self->drain(); });
}

void StreamWakeups::drain() {
  {
    std::lock_guard lock(mutex_);
    draining_.swap(waiting_);
    posted_ = false;
  }
  for (auto& weak : draining_) {
    if (auto connection = weak.lock()) connection->flushStream();
  }
  draining_.clear();
}

}  // namespace sb::http
