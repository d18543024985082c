// Coalesced stream flushes, one queue per I/O thread. A producer that writes
// to thousands of streams at once (one event fanned out to every subscriber)
// would otherwise post one handler per stream to each I/O thread, and an I/O
// thread that keeps up goes back to epoll_wait between them, to be woken by
// the next post: a system call and a context switch per stream. Here the
// first request posts one drain; requests made before it runs join that
// drain, which then flushes every waiting connection in one go.
// OWNERSHIP: shared by the front end and every StreamChannel of its thread
// (a channel may outlive its connection; the queue holds connections weakly).
// Thread-safety: request() from any thread; the drain runs on the executor.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <memory>
#include <mutex>
#include <vector>

namespace sb::http {

class Connection;

class StreamWakeups : public std::enable_shared_from_this<StreamWakeups> {
 public:
  explicit StreamWakeups(boost::asio::any_io_executor executor) : executor_(std::move(executor)) {}
  // Runs connection->flushStream() on the executor's thread, soon.
  void request(std::weak_ptr<Connection> connection);

 private:
  void drain();

  boost::asio::any_io_executor executor_;
  std::mutex mutex_;
  std::vector<std::weak_ptr<Connection>> waiting_;
  std::vector<std::weak_ptr<Connection>> draining_;  // the drain's; kept for its capacity
  bool posted_ = false;
};

}  // namespace sb::http
