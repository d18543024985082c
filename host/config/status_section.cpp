#include "config/sections.hpp"

namespace sb::config {

void readStatusSection(MappingReader& section, StatusConfig& out) {
  section.expectKeys({"deadline_ms", "cache_ttl_min_ms", "cache_ttl_max_ms", "breaker_failures",
                      "breaker_cooldown_ms", "pool_threads", "queue_limit"});
  constexpr std::int64_t kHour = 3600 * 1000;
  section.readInt("deadline_ms", out.deadlineMs, 50, 60 * 1000);
  section.readInt("cache_ttl_min_ms", out.cacheTtlMinMs, 0, 24 * kHour);
  section.readInt("cache_ttl_max_ms", out.cacheTtlMaxMs, 0, 24 * kHour);
  if (section.ok() && out.cacheTtlMaxMs < out.cacheTtlMinMs) {
    section.fail(section.has("cache_ttl_max_ms") ? "cache_ttl_max_ms" : "cache_ttl_min_ms",
                 "cache_ttl_max_ms (" + std::to_string(out.cacheTtlMaxMs) + ") must be at least cache_ttl_min_ms (" +
                     std::to_string(out.cacheTtlMinMs) + ")");
  }
  section.readInt("breaker_failures", out.breakerFailures, 1, 1000);
  section.readInt("breaker_cooldown_ms", out.breakerCooldownMs, 0, 24 * kHour);
  section.readInt("pool_threads", out.poolThreads, 1, 256);
  section.readInt("queue_limit", out.queueLimit, 1, 1 << 20);
}

}  // namespace sb::config
