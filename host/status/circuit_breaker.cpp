#include "status/circuit_breaker.hpp"

namespace sb::status {

const char* toString(BreakerState state) {
  switch (state) {
    case BreakerState::Closed: return "closed";
    case BreakerState::Open: return "open";
    case BreakerState::HalfOpen: return "half_open";
  }
  return "closed";
}

std::optional<BreakerState> parseBreakerState(const std::string& text) {
  if (text == "closed") return BreakerState::Closed;
  if (text == "open") return BreakerState::Open;
  if (text == "half_open") return BreakerState::HalfOpen;
  return std::nullopt;
}

bool CircuitBreaker::allowCall(const BreakerPolicy& policy, int64_t nowMs) {
  switch (state_) {
    case BreakerState::Closed: return true;
    case BreakerState::HalfOpen: return true;  // the probe in flight is single-flighted by the caller
    case BreakerState::Open:
      if (nowMs < openedAtMs_ + policy.cooldownMs) return false;
      state_ = BreakerState::HalfOpen;
      return true;
  }
  return true;
}

void CircuitBreaker::recordSuccess() {
  state_ = BreakerState::Closed;
  failures_ = 0;
}

void CircuitBreaker::recordFailure(const BreakerPolicy& policy, int64_t nowMs) {
  ++failures_;
  // A failed probe re-opens at once; a closed breaker opens at the threshold.
  if (state_ == BreakerState::HalfOpen || failures_ >= policy.failureThreshold) {
    state_ = BreakerState::Open;
    openedAtMs_ = nowMs;
  }
}

int64_t CircuitBreaker::probeAtMs(const BreakerPolicy& policy) const {
  return state_ == BreakerState::Open ? openedAtMs_ + policy.cooldownMs : 0;
}

}  // namespace sb::status
