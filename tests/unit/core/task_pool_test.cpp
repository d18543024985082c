#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/task_pool.hpp"

namespace sb {
namespace {

// Holds the pool's only thread until released, so the queue can be filled.
struct Gate {
  std::mutex mutex;
  std::condition_variable changed;
  bool entered = false;
  bool open = false;
  void block() {
    std::unique_lock lock(mutex);
    entered = true;
    changed.notify_all();
    changed.wait(lock, [this] { return open; });
  }
  void waitEntered() {
    std::unique_lock lock(mutex);
    changed.wait(lock, [this] { return entered; });
  }
  void release() {
    std::lock_guard lock(mutex);
    open = true;
    changed.notify_all();
  }
};

TEST(TaskPool, RefusesBeyondTheQueueLimitAndRunsQueuedWorkOnStop) {
  TaskPool pool(1, 2, "test-pool");
  Gate gate;
  std::atomic<int> ran{0};
  ASSERT_TRUE(pool.submit([&] { gate.block(); }));
  gate.waitEntered();
  EXPECT_TRUE(pool.submit([&] { ++ran; }));
  EXPECT_TRUE(pool.submit([&] { ++ran; }));
  EXPECT_FALSE(pool.submit([&] { ++ran; })) << "a third queued task is over the limit";
  gate.release();
  pool.stop(TaskPool::Queued::Run);
  EXPECT_EQ(ran.load(), 2);
  EXPECT_FALSE(pool.submit([&] { ++ran; })) << "a stopped pool refuses work";
}

TEST(TaskPool, DropsQueuedWorkWhenAskedTo) {
  std::atomic<int> ran{0};
  std::atomic<bool> entered{false};
  {
    TaskPool pool(1, 8, "test-pool");
    // The only thread stays busy until the stop has begun (and so dropped
    // the queue), then lets go.
    ASSERT_TRUE(pool.submit([&] {
      entered = true;
      while (pool.accepting()) std::this_thread::yield();
    }));
    while (!entered) std::this_thread::yield();
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(pool.submit([&] { ++ran; }));
    pool.stop(TaskPool::Queued::Drop);
  }
  EXPECT_EQ(ran.load(), 0);
}

}  // namespace
}  // namespace sb
