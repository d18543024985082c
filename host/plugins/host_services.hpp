// The host services (sb_host_api) handed to one plugin instance: output
// buffers, logging as Poco::Logger "plugin.<id>", the clock, the HTTP client
// and call progress/deadline. PluginHostServices owns the table and the
// settings it enforces; it must outlive the plugin instance (on_destroy).
// Thread-safety: every host_... callback may be called from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include <switchboard/abi.h>

#include "core/clock.hpp"
#include "plugins/egress_policy.hpp"

namespace sb {

using ClockMs = std::function<int64_t()>;  // Unix epoch milliseconds (core/clock.hpp)

struct HostServiceSettings {
  std::string pluginId;              // logger name suffix and message prefix
  std::string baseUrl;               // relative request URLs resolve against it
  int timeoutMs = 10000;             // cap on one outbound request
  std::size_t maxResponseBytes = 8 << 20;
  EgressPolicy egress;               // where requests may go (default: https, public addresses)
  ClockMs clock = systemNowMs;
  // `plugin check` must never reach the network: every request is refused.
  bool networkDisabled = false;
};

class PluginHostServices {
 public:
  explicit PluginHostServices(HostServiceSettings settings);
  PluginHostServices(const PluginHostServices&) = delete;
  PluginHostServices& operator=(const PluginHostServices&) = delete;

  const sb_host_api* api() const { return &api_; }
  const HostServiceSettings& settings() const { return settings_; }

 private:
  HostServiceSettings settings_;
  sb_host_api api_{};  // host_ctx points at this object, so it never moves
};

// Caps on what a plugin may write into one host-owned output buffer.
constexpr std::size_t kMaxPluginOutputBytes = 32u << 20;
constexpr std::size_t kMaxPluginErrorBytes = 64u << 10;

}  // namespace sb
