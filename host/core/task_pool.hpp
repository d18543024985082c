// A fixed set of threads and a bounded queue: a flood of work is refused at
// once (submit() is false) instead of piling up. Serves the HTTP front end's
// route handlers (which block on the store and plugins, never on an I/O
// thread) and the status adapter calls (a hung plugin holds a pool thread,
// not a request).
// Thread-safety: submit() from any thread; stop() from the owner, once the
// submitters are done; the destructor stops, dropping what is still queued.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sb {

class TaskPool {
 public:
  // `name` names the threads (top, perf; Linux keeps 15 characters).
  TaskPool(int threads, std::size_t maxQueued, const std::string& name);
  ~TaskPool();  // stop(Queued::Drop)
  TaskPool(const TaskPool&) = delete;
  TaskPool& operator=(const TaskPool&) = delete;

  // Queues `task`; false (and the task is dropped) when maxQueued tasks are
  // already waiting or the pool is stopping. Tasks must not throw.
  bool submit(std::function<void()> task);

  // False once stop() began (and, with Queued::Drop, the queue is empty).
  bool accepting() const;

  enum class Queued { Run, Drop };
  // Refuses new tasks, runs or drops the queued ones, joins the threads.
  void stop(Queued queued);

 private:
  void work();

  const std::size_t maxQueued_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace sb
