// Keeps recently rendered 200 replies of read-mostly resources (the catalog)
// for a short time, so repeated reads skip the store query and JSON rendering.
// Staleness is bounded by the TTL: a catalog change made by this or another
// instance is visible after at most that long.
// Thread-safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "core/expiring_cache.hpp"
#include "http/exchange.hpp"

namespace sb::http {

class RenderedReplyCache {
 public:
  explicit RenderedReplyCache(std::chrono::milliseconds ttl, std::size_t maxEntries = 256)
      : replies_(ttl, maxEntries) {}

  // The cached reply for `key` while fresh; otherwise calls `render` (outside
  // any lock: a slow store must not serialise readers), keeps the result if it
  // is a 200, and returns it. Errors are never cached.
  // The cached reply while fresh, else nullopt; never renders.
  std::optional<ApiReply> find(const std::string& key) { return replies_.find(key); }

  ApiReply getOrRender(const std::string& key, const std::function<ApiReply()>& render) {
    if (auto cached = replies_.find(key)) return std::move(*cached);
    ApiReply reply = render();
    if (reply.status == 200) replies_.put(key, reply);
    return reply;
  }

 private:
  ExpiringCache<ApiReply> replies_;
};

}  // namespace sb::http
