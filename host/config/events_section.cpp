#include "config/sections.hpp"

namespace sb::config {

void readEventsSection(MappingReader& section, EventsConfig& out) {
  section.expectKeys({"heartbeat_ms", "retry_ms", "poll_ms", "retention_hours", "ticket_ttl_ms"});
  constexpr int kHourMs = 3600 * 1000;
  section.readInt("heartbeat_ms", out.heartbeatMs, 10, kHourMs);
  section.readInt("retry_ms", out.retryMs, 0, kHourMs);
  section.readInt("poll_ms", out.pollMs, 10, 60 * 1000);
  section.readInt("retention_hours", out.retentionHours, 1, 24 * 365);
  section.readInt("ticket_ttl_ms", out.ticketTtlMs, 1000, 10 * 60 * 1000);
}

}  // namespace sb::config
