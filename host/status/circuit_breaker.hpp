// The circuit breaker of one (project, provider): closed -> open after N
// consecutive failures -> half-open once the cool-down has passed, when one
// probe call is let through; the probe's result closes or re-opens it.
// A plain value driven by an explicit clock, so every transition is
// unit-testable; persisted in status snapshots.
// Thread-safety: none; the owner (StatusService's cache entry) locks it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace sb::status {

enum class BreakerState { Closed, Open, HalfOpen };
const char* toString(BreakerState state);  // closed | open | half_open
std::optional<BreakerState> parseBreakerState(const std::string& text);

struct BreakerPolicy {
  int failureThreshold = 3;
  int64_t cooldownMs = 30000;
};

class CircuitBreaker {
 public:
  CircuitBreaker() = default;
  CircuitBreaker(BreakerState state, int consecutiveFailures, int64_t openedAtMs)
      : state_(state), failures_(consecutiveFailures), openedAtMs_(openedAtMs) {}

  // May an upstream call start now? Open becomes HalfOpen (and answers true)
  // once the cool-down has passed; the caller must then make exactly one call.
  bool allowCall(const BreakerPolicy& policy, int64_t nowMs);
  void recordSuccess();
  void recordFailure(const BreakerPolicy& policy, int64_t nowMs);

  BreakerState state() const { return state_; }
  int consecutiveFailures() const { return failures_; }
  int64_t openedAtMs() const { return openedAtMs_; }
  // When an open breaker lets the next probe through; 0 unless open.
  int64_t probeAtMs(const BreakerPolicy& policy) const;

 private:
  BreakerState state_ = BreakerState::Closed;
  int failures_ = 0;
  int64_t openedAtMs_ = 0;
};

}  // namespace sb::status
