// Maps Vercel's deployments (https://vercel.com/docs/rest-api, "List
// deployments") and its documented errors (https://vercel.com/docs/rest-api/errors:
// 403 {"error":{"code":"forbidden"}} for a missing or invalid token, 429
// {"error":{"code":"rate_limited","limit":{"reset"}}} with X-RateLimit-Reset,
// 404 not_found) onto the host's status document.
#include "vercel_status.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <switchboard/provider.hpp>

#include "deployment_list.hpp"
#include "vercel_actions.hpp"
#include "vercel_link.hpp"

namespace switchboard::vercel {
namespace {

using provider::Environment;
using provider::StatusReport;

constexpr const char* kProvider = "Vercel";
constexpr std::int64_t kWeekMs = 7LL * 24 * 60 * 60 * 1000;

std::optional<Link> parseLink(std::string_view requestJson, const Call& call, Outcome& failure) {
  std::optional<provider::StatusRequest> request = provider::parseStatusRequest(requestJson, failure);
  if (!request) return std::nullopt;
  return linkOf(*request, call, failure);
}

int severity(const std::string& status) {
  if (status == "error") return 2;
  if (status == "warning") return 1;
  return 0;
}

// The environment's status and its one-word summary for a deployment state.
Environment environmentOf(const std::string& name, const Deployment& deployment) {
  Environment env;
  env.name = name;
  const std::string& state = deployment.state;
  if (state == "READY") {
    env.status = "connected";
    env.summary = "Live";
  } else if (state == "BUILDING" || state == "INITIALIZING" || state == "QUEUED") {
    env.status = "warning";
    env.summary = "Building";
  } else if (state == "ERROR") {
    env.status = "error";
    env.summary = "Failed";
  } else if (state == "CANCELED") {
    env.status = "warning";
    env.summary = "Canceled";
  } else if (state == "DELETED") {
    env.status = "warning";
    env.summary = "Deleted";
  } else if (state == "BLOCKED") {
    env.status = "warning";
    env.summary = "Blocked";
  } else {
    env.status = "warning";
    env.summary = "Unknown state";
  }
  if (!deployment.url.empty()) env.url = "https://" + deployment.url;
  env.lastDeployAtMs = deployment.createdAtMs;
  return env;
}

// Production is target "production"; previews have no target. Staging and
// custom targets count toward the week but are not shown.
const Deployment* newest(const std::vector<Deployment>& deployments, bool production) {
  const Deployment* best = nullptr;
  for (const Deployment& d : deployments) {
    const bool matches = production ? d.target == "production" : !d.target.has_value();
    if (matches && (best == nullptr || d.createdAtMs > best->createdAtMs)) best = &d;
  }
  return best;
}

StatusReport reportFor(const Link& link) {
  StatusReport report;
  report.resourceLabel = link.projectId;
  report.resourcePrivate = true;
  report.resourceGenericLabel = "Private project";
  report.actions = vercelActions();
  return report;
}

// Vercel answered, but not with deployments.
Outcome refusalReport(StatusReport report, const Refusal& refusal, std::int64_t nowMs) {
  if (isRevoked(refusal)) {
    report.markRevoked("Vercel rejected the token",
                       "Reconnect Vercel: the token was revoked, has expired or cannot see this team",
                       "Vercel rejected the token; reconnect first");
    return Outcome::ok(report.toJson());
  }
  if (refusal.status == 429) {
    report.markRateLimited("Rate limited by Vercel", "Vercel asked us to wait before the next request",
                           rateLimitWaitSeconds(refusal, nowMs));
    return Outcome::ok(report.toJson());
  }
  if (refusal.status == 403 || refusal.status == 404) {
    report.status = "error";
    report.summary = refusal.status == 404 ? "Project not found" : "Vercel refused access";
    report.problemCode = "unknown";
    report.problemHint = refusal.status == 404 ? "Project not found, or the token cannot see it"
                                               : "Vercel refused access: check the token's scope and team";
    return Outcome::ok(report.toJson());
  }
  return provider::unexpectedStatus(kProvider, refusal.status);
}

std::string weekSummary(std::size_t count, bool truncated) {
  const std::string number = std::to_string(count) + (truncated ? "+" : "");
  return number + (count == 1 && !truncated ? " deployment" : " deployments") + " this week";
}

std::string productionWord(const Environment& production) {
  if (production.summary == "Failed") return "Failing";
  return production.summary;
}

}  // namespace

Outcome projectStatus(const Host& host, const Call& call, std::string_view requestJson,
                      const std::string& apiVersion) {
  Outcome failure;
  std::optional<Link> link = parseLink(requestJson, call, failure);
  if (!link) return failure;
  const std::int64_t nowMs = host.nowMs();
  ListQuery week;
  week.apiRoot = link->apiRoot;
  week.apiVersion = apiVersion;
  week.projectId = link->projectId;
  week.teamId = link->teamId;
  week.linkToken = link->linkToken;
  week.sinceMs = nowMs - kWeekMs;
  // The live production deployment may be older than the week. Both lists go
  // out at once (one round trip, one request more); the second only counts
  // when the week has no production deployment.
  ListQuery latestProduction = week;
  latestProduction.target = "production";
  latestProduction.sinceMs = 0;
  latestProduction.pageSize = 1;
  latestProduction.maxPages = 1;
  Outcome olderFailure;
  auto [recent, older] =
      provider::bothAtOnce([&] { return listDeployments(host, call, week, failure); },
                          [&] { return listDeployments(host, call, latestProduction, olderFailure); });
  if (!recent) return failure;
  StatusReport report = reportFor(*link);
  if (recent->refusal) return refusalReport(report, *recent->refusal, nowMs);

  std::vector<Deployment> known = recent->deployments;
  if (newest(known, true) == nullptr) {
    if (!older) return olderFailure;
    if (older->refusal) return refusalReport(report, *older->refusal, nowMs);
    known.insert(known.end(), older->deployments.begin(), older->deployments.end());
  }

  const Deployment* production = newest(known, true);
  const Deployment* preview = newest(known, false);
  if (production == nullptr && preview == nullptr) {
    report.status = "warning";
    report.summary = "No deployments yet";
    return Outcome::ok(report.toJson());
  }
  if (production != nullptr) report.environments.push_back(environmentOf("production", *production));
  if (preview != nullptr) report.environments.push_back(environmentOf("preview", *preview));
  std::string worst = production == nullptr ? "warning" : "connected";
  for (const Environment& env : report.environments) {
    if (severity(env.status) > severity(worst)) worst = env.status;
  }
  report.status = worst;
  report.summary = weekSummary(recent->deployments.size(), recent->truncated) + " \xC2\xB7 " +
                   (production != nullptr ? productionWord(report.environments.front()) : "No production deployment");
  const Deployment& named = production != nullptr ? *production : *preview;
  if (!named.name.empty()) report.resourceLabel = named.name;
  if (production != nullptr) report.resourceUrl = report.environments.front().url;
  return Outcome::ok(report.toJson());
}

}  // namespace switchboard::vercel
