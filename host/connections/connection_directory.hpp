// The configured connections as the running host knows them, secrets
// included (the store has only their non-secret half): what the callback,
// refresh and revocation need to call a connection's authorization server.
// Built once at start from the config; immutable afterwards.
// Thread-safety: immutable, so any thread may read it.
#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"

namespace sb::connections {

class ConnectionDirectory {
 public:
  ConnectionDirectory() = default;
  explicit ConnectionDirectory(std::vector<ConnectionConfig> configured) : configured_(std::move(configured)) {}

  // Null when `name` is not configured.
  const ConnectionConfig* find(const std::string& name) const {
    for (const ConnectionConfig& connection : configured_) {
      if (connection.name == name) return &connection;
    }
    return nullptr;
  }
  const std::vector<ConnectionConfig>& all() const { return configured_; }

 private:
  std::vector<ConnectionConfig> configured_;
};

}  // namespace sb::connections
