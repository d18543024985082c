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

void readActionsSection(MappingReader& section, ActionsConfig& out) {
  section.expectKeys({"rate_limit", "rate_window_ms", "pool_threads", "queue_limit", "deadline_ms", "lease_ms",
                      "idempotency_wait_ms", "instance_id"});
  constexpr int kHourMs = 3600 * 1000;
  section.readInt("rate_limit", out.rateLimit, 1, 10000);
  section.readInt("rate_window_ms", out.rateWindowMs, 1000, kHourMs);
  section.readInt("pool_threads", out.poolThreads, 1, 64);
  section.readInt("queue_limit", out.queueLimit, 1, 100000);
  section.readInt("deadline_ms", out.deadlineMs, 100, kHourMs);
  section.readInt("lease_ms", out.leaseMs, 300, kHourMs);
  section.readInt("idempotency_wait_ms", out.idempotencyWaitMs, 0, 60 * 1000);
  section.readString("instance_id", out.instanceId);
}

}  // namespace sb::config
