// Host-side definitions of the objects abi.h declares opaque (sb_output,
// sb_call, sb_http_response). Only the plugins module sees their layout; a
// plugin only ever holds pointers to them.
// Thread-safety: one sb_output/sb_call belongs to one hook invocation; a
// response belongs to the plugin thread that received it.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <switchboard/abi.h>

#include "core/link_credentials.hpp"
#include "plugins/egress_policy.hpp"
#include "plugins/progress_step.hpp"

// Bytes a plugin writes through host_output_write. Writes past `limit` are
// dropped and remembered, so the host can refuse the output instead of
// silently truncating it.
struct sb_output {
  explicit sb_output(std::size_t byteLimit) : limit(byteLimit) {}
  std::string bytes;
  std::size_t limit;
  bool overflowed = false;
};

// One host->plugin call: its deadline, where progress goes, whether the host
// has given up on it, and whether the egress policy refused a request of it.
struct sb_call {
  int64_t deadlineMs = 0;  // Unix epoch ms by `clock`; 0 = none
  std::function<int64_t()> clock;
  std::function<void(uint64_t done, uint64_t total, const std::string& message)> progress;
  // Validated steps from host_progress_step (ABI 1.2); when unset, a step
  // reaches `progress` as (done, total, label).
  std::function<void(const sb::PluginStep& step)> step;
  std::shared_ptr<std::atomic<bool>> cancelled;  // may be null
  std::string pluginId;  // names the plugin when a malformed step is logged
  std::shared_ptr<sb::CallAccessToken> accessToken;  // ABI 1.3; null: the link uses no connection
  std::optional<sb::EgressPolicy> egress;  // set: replaces the plugin's policy for this call

  // host_http_send records the first refusal (requests of one call may run on
  // several plugin threads), so the host reports it whatever the plugin makes
  // of the error it got.
  void recordEgressRefusal(const std::string& reason) {
    std::lock_guard lock(refusalMutex_);
    if (egressRefusal_.empty()) egressRefusal_ = reason;
  }
  std::string egressRefusal() const {
    std::lock_guard lock(refusalMutex_);
    return egressRefusal_;
  }

 private:
  mutable std::mutex refusalMutex_;
  std::string egressRefusal_;
};

// A completed HTTP exchange handed to a plugin; freed by host_http_response_free.
struct sb_http_response {
  int32_t status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // in arrival order
  std::string body;
};

namespace sb {

inline std::string toStdString(sb_str text) {
  return text.data == nullptr ? std::string() : std::string(text.data, text.len);
}

// Appends within the buffer's limit; an overflow is remembered, not thrown.
inline void appendToOutput(sb_output* out, const char* data, std::size_t len) noexcept {
  if (out == nullptr || data == nullptr || len == 0 || out->overflowed) return;
  if (len > out->limit - std::min(out->limit, out->bytes.size())) {
    out->overflowed = true;
    return;
  }
  try {
    out->bytes.append(data, len);
  } catch (...) {
    out->overflowed = true;
  }
}

inline void appendToOutput(sb_output* out, const std::string& text) noexcept {
  appendToOutput(out, text.data(), text.size());
}

}  // namespace sb
