// The bounded pool adapter calls run on: a fixed number of threads shared by
// every project, and a bounded queue so a flood of distinct refreshes is
// refused instead of piling up. The HTTP worker that needs a result waits for
// it only until its own deadline, so a hung adapter holds a pool thread, not
// the request.
// Thread-safety: submit() from any thread; the destructor drains running
// tasks (plugin calls end at their deadline) and drops queued ones.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sb::status {

class AdapterPool {
 public:
  AdapterPool(int threads, std::size_t queueLimit);
  ~AdapterPool();
  AdapterPool(const AdapterPool&) = delete;
  AdapterPool& operator=(const AdapterPool&) = delete;

  // False when the queue is full or the pool is stopping; the task is not run.
  bool submit(std::function<void()> task);

 private:
  void work();

  const std::size_t queueLimit_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace sb::status
