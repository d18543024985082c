// Remembers the last 200 reply per (URL, token) so the GitHub adapter can send
// If-None-Match and reuse the body on 304 (a 304 does not count against
// GitHub's rate limit). Tokens are never stored: entries are keyed by a
// SHA-256 of URL and token. Bounded: the oldest entries go first.
// Thread-safety: every method locks; one cache per plugin instance, shared by
// all the threads that call its hooks.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace switchboard::github {

struct CachedReply {
  std::string etag;
  std::string body;
};

class EtagCache {
 public:
  explicit EtagCache(std::size_t capacity = 512) : capacity_(capacity) {}

  std::optional<CachedReply> find(const std::string& url, const std::string& token) const;
  void store(const std::string& url, const std::string& token, CachedReply reply);
  void forget(const std::string& url, const std::string& token);

 private:
  static std::string keyOf(const std::string& url, const std::string& token);

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, CachedReply> entries_;
  std::deque<std::string> insertionOrder_;
};

}  // namespace switchboard::github
