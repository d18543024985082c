// Keeps recently rendered 200 replies of read-mostly resources (the catalog)
// for a short time, so repeated reads skip the store query and JSON rendering.
// Staleness is bounded by the TTL: a catalog change made by this or another
// instance is visible after at most that long.
// Thread-safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "http/exchange.hpp"

namespace sb::http {

class RenderedReplyCache {
 public:
  explicit RenderedReplyCache(std::chrono::milliseconds ttl, std::size_t maxEntries = 256);

  // The cached reply for `key` while fresh; otherwise calls `render`, keeps
  // the result if it is a 200, and returns it. Errors are never cached.
  ApiReply getOrRender(const std::string& key, const std::function<ApiReply()>& render);

 private:
  struct Entry {
    ApiReply reply;
    std::chrono::steady_clock::time_point expires;
  };
  std::chrono::milliseconds ttl_;
  std::size_t maxEntries_;
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace sb::http
