#include "http/rendered_reply_cache.hpp"

namespace sb::http {

RenderedReplyCache::RenderedReplyCache(std::chrono::milliseconds ttl, std::size_t maxEntries)
    : ttl_(ttl), maxEntries_(maxEntries) {}

ApiReply RenderedReplyCache::getOrRender(const std::string& key,
                                         const std::function<ApiReply()>& render) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it != entries_.end() && it->second.expires > now) return it->second.reply;
  }
  // Rendered outside the lock: a slow store must not serialise every reader.
  ApiReply reply = render();
  if (reply.status != 200) return reply;
  std::lock_guard lock(mutex_);
  // Keys can come from clients (ids, filter values); a full map is dropped
  // whole rather than tracking recency, which is plenty for a 2-second cache.
  if (entries_.size() >= maxEntries_ && entries_.count(key) == 0) entries_.clear();
  entries_[key] = Entry{reply, now + ttl_};
  return reply;
}

}  // namespace sb::http
