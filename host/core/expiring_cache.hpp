// A small map whose entries expire a fixed time after they were stored, for
// short-lived caches on the request path (rendered catalog replies, resolved
// tokens). Bounded: when full, it starts over rather than tracking recency,
// which is plenty for caches that live a few seconds.
// Thread-safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace sb {

template <class Value>
class ExpiringCache {
 public:
  using Clock = std::chrono::steady_clock;

  explicit ExpiringCache(Clock::duration ttl, std::size_t maxEntries)
      : ttl_(ttl), maxEntries_(maxEntries) {}

  std::optional<Value> find(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    if (it->second.expires <= Clock::now()) {
      entries_.erase(it);
      return std::nullopt;
    }
    return it->second.value;
  }

  void put(const std::string& key, Value value) {
    std::lock_guard lock(mutex_);
    if (entries_.size() >= maxEntries_ && entries_.count(key) == 0) entries_.clear();
    entries_[key] = Entry{std::move(value), Clock::now() + ttl_};
  }

  void forget(const std::string& key) {
    std::lock_guard lock(mutex_);
    entries_.erase(key);
  }

 private:
  struct Entry {
    Value value;
    Clock::time_point expires;
  };
  Clock::duration ttl_;
  std::size_t maxEntries_;
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace sb
