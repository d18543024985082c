// A plugin's status document (docs/plugin-authoring.md, "Status adapter"),
// parsed and checked. Plugin output is untrusted: anything off-contract is
// refused with a reason, and the call counts as failed.
// Thread-safety: plain values and a pure function.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <switchboard/status_document.hpp>

#include "core/model.hpp"
#include "core/result.hpp"

namespace sb::status {

struct ReportedAction {
  std::string id;
  std::string label;
  Role minRole = Role::Admin;  // the plugin's minRole raised to the host's table for `kind`
  bool enabled = true;
  std::string reason;
  std::string kind;  // "" for plugins before ABI 1.2
};

// As the SDK's validator reads them (switchboard/status_document.hpp).
using ReportedEnvironment = switchboard::status_document::Environment;
using ReportedResource = switchboard::status_document::Resource;

struct ProviderReport {
  std::string status;  // connected | warning | error | disconnected
  std::string summary;
  bool revoked = false;  // configuredReason: revoked
  std::string problemCode;  // "" | oauth_revoked | rate_limited | timeout | unknown
  std::string problemHint;
  int64_t retryAfterSeconds = -1;
  std::optional<ReportedResource> resource;
  std::vector<ReportedEnvironment> environments;
  std::vector<ReportedAction> actions;
};

bool isStatusValue(const std::string& status);

// InvalidArgument naming the offending key when the document is off-contract.
Result<ProviderReport> parseProviderReport(const std::string& json);

}  // namespace sb::status
