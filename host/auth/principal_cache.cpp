#include "auth/principal_cache.hpp"

namespace sb {

PrincipalCache::PrincipalCache(std::chrono::milliseconds ttl, std::size_t maxEntries)
    : ttl_(ttl), maxEntries_(maxEntries) {}

std::optional<Principal> PrincipalCache::find(const std::string& tokenHash) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(tokenHash);
  if (it == entries_.end()) return std::nullopt;
  if (it->second.expires <= std::chrono::steady_clock::now()) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.principal;
}

void PrincipalCache::remember(const std::string& tokenHash, const Principal& principal) {
  std::lock_guard lock(mutex_);
  // Only valid tokens get here, so a full cache means many live clients;
  // starting over costs one store query each, which is what no cache costs.
  if (entries_.size() >= maxEntries_ && entries_.count(tokenHash) == 0) entries_.clear();
  entries_[tokenHash] = Entry{principal, std::chrono::steady_clock::now() + ttl_};
}

void PrincipalCache::forget(const std::string& tokenHash) {
  std::lock_guard lock(mutex_);
  entries_.erase(tokenHash);
}

}  // namespace sb
