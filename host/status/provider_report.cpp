#include "status/provider_report.hpp"

namespace sb::status {

bool isStatusValue(const std::string& status) { return switchboard::status_document::isStatusValue(status); }

// The SDK's validator decides what is valid (the same one `plugin check` and
// authors' tests run); the host only adds its own permission table.
Result<ProviderReport> parseProviderReport(const std::string& json) {
  switchboard::status_document::Problem problem;
  auto document = switchboard::status_document::parse(json, problem);
  if (!document) return Result<ProviderReport>(ErrorCode::InvalidArgument, problem.describe(), problem.field);
  ProviderReport report;
  report.status = std::move(document->status);
  report.summary = std::move(document->summary);
  report.revoked = document->revoked;
  report.problemCode = std::move(document->problemCode);
  report.problemHint = std::move(document->problemHint);
  report.retryAfterSeconds = document->retryAfterSeconds;
  report.resource = std::move(document->resource);
  report.environments = std::move(document->environments);
  for (auto& in : document->actions) {
    ReportedAction action;
    action.id = std::move(in.id);
    action.label = std::move(in.label);
    // The host's permission table decides; a plugin can only ask for more.
    action.minRole = actionMinimumRole(in.kind, parseRole(in.minRole).value_or(Role::Owner));
    action.enabled = in.enabled;
    action.reason = std::move(in.reason);
    action.kind = std::move(in.kind);
    report.actions.push_back(std::move(action));
  }
  return report;
}

}  // namespace sb::status
