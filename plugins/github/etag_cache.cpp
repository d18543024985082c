// See etag_cache.hpp.
#include "etag_cache.hpp"

#include <algorithm>
#include <utility>

#include "sha256.hpp"

namespace switchboard::github {

std::string EtagCache::keyOf(const std::string& url, const std::string& token) {
  // NUL cannot occur in a URL: ("a", "bc") and ("ab", "c") stay apart.
  return sha256Hex(url + '\0' + token);
}

std::optional<CachedReply> EtagCache::find(const std::string& url, const std::string& token) const {
  const std::string key = keyOf(url, token);
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

void EtagCache::store(const std::string& url, const std::string& token, CachedReply reply) {
  const std::string key = keyOf(url, token);
  std::lock_guard lock(mutex_);
  auto [it, inserted] = entries_.insert_or_assign(key, std::move(reply));
  if (!inserted) return;
  insertionOrder_.push_back(key);
  while (entries_.size() > capacity_ && !insertionOrder_.empty()) {
    entries_.erase(insertionOrder_.front());
    insertionOrder_.pop_front();
  }
}

void EtagCache::forget(const std::string& url, const std::string& token) {
  const std::string key = keyOf(url, token);
  std::lock_guard lock(mutex_);
  if (entries_.erase(key) == 0) return;
  insertionOrder_.erase(std::remove(insertionOrder_.begin(), insertionOrder_.end(), key), insertionOrder_.end());
}

}  // namespace switchboard::github
