// Remembers recently resolved bearer tokens, keyed by their SHA-256 hash, for
// a few seconds so every API request does not cost a store query. Only tokens
// that resolved are kept (an unknown token is asked for again each time, so a
// just-created token works at once and junk tokens cannot fill the cache).
// A change to a token's user (e.g. promotion to admin) shows after at most the
// TTL; whatever revokes a token must call forget().
// Thread-safety: every method may be called from any thread.
#pragma once

#include <chrono>

#include "core/expiring_cache.hpp"
#include "core/model.hpp"

namespace sb {

class PrincipalCache : public ExpiringCache<Principal> {
 public:
  explicit PrincipalCache(std::chrono::milliseconds ttl, std::size_t maxEntries = 4096)
      : ExpiringCache<Principal>(ttl, maxEntries) {}
};

}  // namespace sb
