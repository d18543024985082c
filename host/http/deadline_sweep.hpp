// Per-I/O-thread deadlines for connections, checked by one timer that ticks
// every kTick instead of a timer per connection: re-arming a per-connection
// timer on every request costs a timerfd_settime system call per request,
// this costs nothing per request. Deadlines fire up to one tick late.
// Thread-safety: one sweep per io_context (which has one thread); every
// method runs on that thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <unordered_map>

namespace sb::http {

class DeadlineSweep {
 public:
  static constexpr std::chrono::milliseconds kTick{100};
  using Check = std::function<void(std::chrono::steady_clock::time_point now)>;

  explicit DeadlineSweep(boost::asio::io_context& context)
      : timer_(std::make_unique<boost::asio::steady_timer>(context)) {}
  // `owner` identifies the entry; `check` is called every tick until remove().
  void add(const void* owner, Check check);
  void remove(const void* owner);
  void start();
  // Stops ticking and releases the timer, which must go before its
  // io_context; the entries may still be removed afterwards.
  void stop();

 private:
  void tick();

  std::unique_ptr<boost::asio::steady_timer> timer_;
  std::unordered_map<const void*, Check> entries_;
  bool running_ = false;
};

}  // namespace sb::http
