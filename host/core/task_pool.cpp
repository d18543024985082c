#include "core/task_pool.hpp"

#include <pthread.h>

#include <algorithm>

namespace sb {

TaskPool::TaskPool(int threads, std::size_t maxQueued, const std::string& name)
    : maxQueued_(std::max<std::size_t>(maxQueued, 1)) {
  const int count = std::max(threads, 1);
  threads_.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    threads_.emplace_back([this] { work(); });
    pthread_setname_np(threads_.back().native_handle(), name.substr(0, 15).c_str());
  }
}

TaskPool::~TaskPool() { stop(Queued::Drop); }

bool TaskPool::submit(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= maxQueued_) return false;
    queue_.push_back(std::move(task));
  }
  wake_.notify_one();
  return true;
}

bool TaskPool::accepting() const {
  std::lock_guard lock(mutex_);
  return !stopping_;
}

void TaskPool::stop(Queued queued) {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    if (queued == Queued::Drop) queue_.clear();
  }
  wake_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

void TaskPool::work() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to run
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

}  // namespace sb
