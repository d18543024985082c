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

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "status_support.hpp"

namespace switchboard::bundled::supabase {
namespace {

const std::string kProvider = "Supabase";
constexpr std::string_view kServices = "db,auth,rest,realtime,storage";

struct Link {
  std::string projectRef;
  std::string token;
};

struct Service {
  std::string name;
  std::string status;  // ACTIVE_HEALTHY | COMING_UP | UNHEALTHY
};

bool isProjectRef(const std::string& text) {
  return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c));
  });
}

std::optional<Link> readLink(const StatusRequest& request, Outcome& failure) {
  Link link{request.setting("projectRef"), request.secret("accessToken")};
  if (!isProjectRef(link.projectRef)) {
    failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "settings.projectRef must be a Supabase project ref ([a-z0-9])");
    return std::nullopt;
  }
  if (link.token.empty()) {
    failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "secrets.accessToken is required");
    return std::nullopt;
  }
  return link;
}

HttpRequest healthRequest(const StatusRequest& request, const Link& link) {
  HttpRequest http;
  http.url = request.apiRoot("https://api.supabase.com", "") + "/v1/projects/" + link.projectRef +
             "/health?services=" + urlEncode(kServices);
  http.headers = {{"Authorization", "Bearer " + link.token}, {"Accept", "application/json"}};
  return http;
}

StatusReport baseReport(const Link& link) {
  StatusReport report;
  report.resourceLabel = link.projectRef;
  report.resourceUrl = "https://supabase.com/dashboard/project/" + link.projectRef;
  report.resourcePrivate = true;
  report.resourceGenericLabel = "Private project";
  report.actions = {{"test-connection", "Test connection", "editor", true, ""},
                    {"reconnect", "Reconnect", "admin", true, ""},
                    {"connect", "Connect", "admin", true, ""}};
  return report;
}

std::optional<std::int64_t> retryAfter(const HttpResponse& response, std::int64_t nowMs) {
  if (auto seconds = parseRetryAfterSeconds(response.header("retry-after"), nowMs)) return seconds;
  return parseRetryAfterSeconds(response.header("x-ratelimit-reset"), nowMs);
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

bool isKnownStatus(const std::string& status) {
  return status == "ACTIVE_HEALTHY" || status == "COMING_UP" || status == "UNHEALTHY";
}

// [{"name": <string>, "status": <known status>, ...}]; nullopt (with `failure`) otherwise.
std::optional<std::vector<Service>> services(std::string_view body, Outcome& failure) {
  bool ok = false;
  Poco::Dynamic::Var parsed = parseJsonBody(kProvider, body, failure, ok);
  if (!ok) return std::nullopt;
  auto shapeError = [&](const std::string& why) {
    failure = Outcome::failure(SB_ERR_UNAVAILABLE, "Supabase health answer " + why);
    return std::nullopt;
  };
  if (parsed.type() != typeid(Poco::JSON::Array::Ptr) || parsed.extract<Poco::JSON::Array::Ptr>().isNull()) {
    return shapeError("is not a list");
  }
  auto list = parsed.extract<Poco::JSON::Array::Ptr>();
  std::vector<Service> result;
  for (std::size_t i = 0; i < list->size(); ++i) {
    Poco::JSON::Object::Ptr entry = list->getObject(static_cast<unsigned>(i));
    if (entry.isNull() || !entry->has("name") || !entry->get("name").isString() || !entry->has("status") ||
        !entry->get("status").isString()) {
      return shapeError("holds an entry without name and status");
    }
    Service service{entry->getValue<std::string>("name"), entry->getValue<std::string>("status")};
    if (!isKnownStatus(service.status)) return shapeError("holds an unknown status");
    result.push_back(std::move(service));
  }
  if (std::none_of(result.begin(), result.end(), [](const Service& s) { return s.name == "db"; })) {
    return shapeError("has no db entry");
  }
  return result;
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
  auto request = parseStatusRequest(requestJson, failure);
  if (!request) return failure;
  auto link = readLink(*request, failure);
  if (!link) return failure;

  const std::int64_t startedMs = host.nowMs();
  HttpResult health = host.send(healthRequest(*request, *link), call);
  const std::int64_t finishedMs = host.nowMs();
  if (!health.ok()) return transportFailure(kProvider, health);
  if (health.response.status() != 200) {
    if (auto report = refusal(health.response, *link, finishedMs)) return Outcome::ok(report->toJson());
    return unexpectedStatus(kProvider, health.response.status());
  }
  auto all = services(health.response.body(), failure);
  if (!all) return failure;
  const std::int64_t averageMs = latencies.recordAndAverage(link->projectRef, finishedMs - startedMs);
  return Outcome::ok(healthReport(*link, *all, averageMs).toJson());
}

}  // namespace switchboard::bundled::supabase
