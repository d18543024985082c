// Supabase status adapter; see supabase_status.hpp.
//
// Provider documentation this follows (Management API, https://supabase.com/docs/reference/api):
//   GET https://api.supabase.com/v1/projects/{ref}/health?services=db,auth,rest,realtime,storage
//     Authorization: Bearer <personal access token>
//     -> [{"name":"db","healthy":true,"status":"ACTIVE_HEALTHY"|"COMING_UP"|"UNHEALTHY","error":"..."}]
//   Rate limits: 120 requests/minute per user and project; 429 with
//     X-RateLimit-Limit / -Remaining / -Reset (seconds until the window resets).
// The PostgREST root is no health probe: hosted projects answer 403 to it.
#include "supabase_status.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <switchboard/provider.hpp>

#include "supabase_actions.hpp"
#include "supabase_health.hpp"

namespace switchboard::bundled::supabase {
namespace {

using provider::StatusReport;

StatusReport baseReport(const Link& link) {
  StatusReport report;
  report.resourceLabel = link.projectRef;
  report.resourceUrl = "https://supabase.com/dashboard/project/" + link.projectRef;
  report.resourcePrivate = true;
  report.resourceGenericLabel = "Private project";
  report.actions = supabaseActions();
  return report;
}

// The answers that are still a status document; nullopt for anything else.
std::optional<StatusReport> refusal(const HttpResponse& response, const Link& link, std::int64_t nowMs) {
  StatusReport report = baseReport(link);
  switch (response.status()) {
    case 401:
      report.markRevoked("Token rejected", "Supabase rejected the access token. Reconnect with a valid personal access token.", "Reconnect Supabase first: the access token was rejected", {"reconnect", "connect"});
      return report;
    case 429:
      report.markRateLimited("Rate limited", "Supabase asked us to wait", retryAfter(response, nowMs).value_or(-1));
      return report;
    case 404:
      report.status = "error";
      report.summary = "Project not found";
      report.problemCode = "unknown";
      report.problemHint = "Supabase does not know this project ref: copy it from the project's dashboard URL.";
      return report;
    default:
      return std::nullopt;
  }
}

std::string displayName(const std::string& service) {
  if (service == "db") return "Database";
  if (service == "auth") return "Auth";
  if (service == "rest") return "REST API";
  if (service == "realtime") return "Realtime";
  if (service == "storage") return "Storage";
  return service;
}

std::string namesWith(const std::vector<Service>& all, const std::string& status) {
  std::string names;
  for (const auto& service : all) {
    if (service.status != status) continue;
    names += (names.empty() ? "" : ", ") + displayName(service.name);
  }
  return names;
}

StatusReport healthReport(const Link& link, const std::vector<Service>& all, std::int64_t averageMs) {
  StatusReport report = baseReport(link);
  const std::string average = " · " + std::to_string(averageMs) + "ms avg";
  const bool dbUnhealthy =
      std::any_of(all.begin(), all.end(), [](const Service& s) { return s.name == "db" && s.status == "UNHEALTHY"; });
  const std::string unhealthy = namesWith(all, "UNHEALTHY");
  const std::string comingUp = namesWith(all, "COMING_UP");
  if (dbUnhealthy) {
    report.status = "error";
    report.summary = "Database unhealthy";
  } else if (!unhealthy.empty()) {
    report.status = "warning";
    report.summary = unhealthy + " unhealthy" + average;
  } else if (!comingUp.empty()) {
    report.status = "warning";
    report.summary = comingUp + " coming up" + average;
  } else {
    report.status = "connected";
    report.summary = "Database healthy" + average;
  }
  return report;
}

}  // namespace

Outcome reportStatus(const Host& host, const Call& call, std::string_view requestJson, LatencyWindow& latencies) {
  Outcome failure;
  auto request = provider::parseStatusRequest(requestJson, failure);
  if (!request) return failure;
  auto link = readLink(*request, call, failure);
  if (!link) return failure;

  const std::int64_t startedMs = host.nowMs();
  HttpResult health = sendHealthCheck(host, call, *request, *link);
  const std::int64_t finishedMs = host.nowMs();
  if (!health.ok()) return provider::transportFailure(kProvider, health);
  if (health.response.status() != 200) {
    if (auto report = refusal(health.response, *link, finishedMs)) return Outcome::ok(report->toJson());
    return provider::unexpectedStatus(kProvider, health.response.status());
  }
  auto all = services(health.response.body(), failure);
  if (!all) return failure;
  const std::int64_t averageMs = latencies.recordAndAverage(link->projectRef, finishedMs - startedMs);
  return Outcome::ok(healthReport(*link, *all, averageMs).toJson());
}

}  // namespace switchboard::bundled::supabase
