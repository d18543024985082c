// Fake Vercel REST API (https://vercel.com/docs/rest-api), enough for the
// status adapter and the deploy actions:
//   GET /v<N>/deployments?projectId&teamId&target&limit&since&until
//     https://vercel.com/docs/rest-api/reference/endpoints/deployments/list-deployments
//   newest first; `since`/`until` are exclusive ms bounds; limit defaults to
//   20 (at most 100); pagination.next is the last item's createdAt, to pass
//   back as `until`; null on the last page.
// Errors as documented at https://vercel.com/docs/rest-api/errors:
//   {"error":{"code":"forbidden","message":"Not authorized"}} (403) for a
//   missing or invalid token, rate_limited (429) with X-RateLimit-* headers and
//   error.limit, not_found (404), internal_server_error (500).
// Project "prj_demo" (name "demo-web"), visible with no teamId or teamId
// "team_demo"; any other teamId is forbidden. Token: any non-empty string but
// "revoked". Times are anchored at construction so replies stay stable.
// Deployments (ok): 25 this week, one every 5 h from 2 min ago, every third one
// production (the newest is), all READY; plus a production 8 days and a
// preview 10 days ago. busy_week: 130 this week instead, one every 75 min, so
// a week takes two pages of 100.
// Redeploys:
//   POST /v13/deployments?teamId  {"name","deploymentId","target"?}
//     https://vercel.com/docs/rest-api/deployments/create-a-new-deployment
//     name is required (400 bad_request); deploymentId must name a listed
//     deployment (404 not_found); target is "production", "staging" or absent
//     (a preview). 200 with the new deployment {"id","url","name","readyState":
//     "QUEUED","target",...}; from then on it heads the list (newest first).
//   GET /v13/deployments/{id}?teamId
//     https://vercel.com/docs/rest-api/deployments/get-a-deployment-by-id-or-url
//     each read moves a created deployment on: QUEUED -> BUILDING -> READY
//     (-> ERROR in mode build_fails); an unknown id is 404.
// Provider modes (besides those of fake_server.hpp):
//   ok, busy_week (see above), building (newest production BUILDING), deploy_error (newest production
//   ERROR), quiet_week (only the two old deployments), empty (none),
//   unauthorized (403 forbidden), rate_limited (429 + X-RateLimit-Reset now+60),
//   rate_limited_retry_after (429 + Retry-After: 30), not_found (404),
//   server_error (500), create_rate_limited (429 on POST /v13/deployments
//   only), create_server_error (500 on it only), build_fails (created builds
//   end in ERROR).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/NumberParser.h>

#include "fake_server.hpp"

namespace sb::fakes {
namespace {

constexpr std::int64_t kMinuteMs = 60 * 1000;
constexpr std::int64_t kHourMs = 60 * kMinuteMs;
constexpr std::int64_t kDayMs = 24 * kHourMs;
constexpr const char* kProjectId = "prj_demo";
constexpr const char* kProjectName = "demo-web";
constexpr const char* kTeamId = "team_demo";

std::int64_t wallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct FakeDeployment {
  std::string uid;
  std::int64_t createdAt = 0;
  std::string state;
  std::optional<std::string> target;
};

std::string errorBody(const std::string& code, const std::string& message,
                      Poco::JSON::Object::Ptr extra = nullptr) {
  Poco::JSON::Object::Ptr error = extra;
  if (error.isNull()) error = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  error->set("code", code);
  error->set("message", message);
  Poco::JSON::Object body;
  body.set("error", error);
  std::ostringstream out;
  body.stringify(out);
  return out.str();
}

std::optional<std::int64_t> queryNumber(const FakeRequest& request, const std::string& name) {
  auto it = request.query.find(name);
  Poco::Int64 value = 0;
  if (it == request.query.end() || !Poco::NumberParser::tryParse64(it->second, value)) return std::nullopt;
  return value;
}

bool deploymentsPath(const std::string& path) {
  // "/v<digits>/deployments"
  const std::string suffix = "/deployments";
  if (path.size() <= suffix.size() + 2 || path.rfind("/v", 0) != 0) return false;
  if (path.compare(path.size() - suffix.size(), suffix.size(), suffix) != 0) return false;
  const std::string version = path.substr(2, path.size() - suffix.size() - 2);
  return !version.empty() && std::all_of(version.begin(), version.end(), [](char c) { return c >= '0' && c <= '9'; });
}

class VercelFake : public FakeProvider {
 public:
  VercelFake() : startedMs_(wallClockMs()) {}

  std::string name() const override { return "vercel"; }

  void handle(const FakeRequest& request, FakeResponse& response, const Behaviour& behaviour) override {
    const std::string& mode = behaviour.mode;
    if (mode == "server_error") {
      response.json(500, errorBody("internal_server_error", "An unexpected internal error occurred"));
      return;
    }
    if (mode == "rate_limited") {
      rateLimited(response);
      return;
    }
    if (mode == "rate_limited_retry_after") {
      response.headers.emplace_back("Retry-After", "30");
      response.json(429, errorBody("rate_limited", "Too many requests, try again later"));
      return;
    }
    if (!authorised(request, response, mode)) return;
    auto team = request.query.find("teamId");
    if (team != request.query.end() && team->second != kTeamId) {
      response.json(403, errorBody("forbidden", "Not authorized"));
      return;
    }
    if (request.path == "/v13/deployments" && request.method == "POST") return create(request, response, mode);
    if (request.path.rfind("/v13/deployments/", 0) == 0 && request.method == "GET") {
      return read(request.path.substr(17), response, mode);
    }
    if (request.method != "GET" || !deploymentsPath(request.path)) {
      response.json(404, errorBody("not_found", "The requested endpoint does not exist"));
      return;
    }
    auto project = request.query.find("projectId");
    if (mode == "not_found" || (project != request.query.end() && project->second != kProjectId)) {
      response.json(404, errorBody("not_found", "Project not found"));
      return;
    }
    response.json(200, listBody(request, deploymentsFor(mode)));
  }

 private:
  static bool authorised(const FakeRequest& request, FakeResponse& response, const std::string& mode) {
    const std::string header = request.header("authorization");
    const std::string token = header.rfind("Bearer ", 0) == 0 ? header.substr(7) : std::string();
    Poco::JSON::Object::Ptr detail = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    if (token.empty()) {
      detail->set("missingToken", true);
      response.json(403, errorBody("forbidden", "The request is missing an authentication token", detail));
      return false;
    }
    if (token == "revoked" || mode == "unauthorized") {
      detail->set("invalidToken", true);
      response.json(403, errorBody("forbidden", "Not authorized", detail));
      return false;
    }
    return true;
  }

  static void rateLimited(FakeResponse& response) {
    const std::int64_t resetSeconds = wallClockMs() / 1000 + 60;
    response.headers.emplace_back("X-RateLimit-Limit", "100");
    response.headers.emplace_back("X-RateLimit-Remaining", "0");
    response.headers.emplace_back("X-RateLimit-Reset", std::to_string(resetSeconds));
    Poco::JSON::Object::Ptr limit = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    limit->set("remaining", 0);
    limit->set("reset", static_cast<Poco::Int64>(resetSeconds));
    limit->set("resetMs", static_cast<Poco::Int64>(resetSeconds * 1000));
    limit->set("total", 100);
    Poco::JSON::Object::Ptr detail = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    detail->set("limit", limit);
    response.json(429, errorBody("rate_limited", "The rate limit of 100 exceeded for 'api-deployments-list'", detail));
  }

  void create(const FakeRequest& request, FakeResponse& response, const std::string& mode) {
    if (mode == "create_rate_limited") return rateLimited(response);
    if (mode == "create_server_error") {
      return response.json(500, errorBody("internal_server_error", "An unexpected internal error occurred"));
    }
    Poco::JSON::Object::Ptr body;
    try {
      Poco::JSON::Parser parser;
      body = parser.parse(request.body).extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception&) {
      body = nullptr;
    }
    if (body.isNull() || !body->has("name") || !body->get("name").isString()) {
      return response.json(400, errorBody("bad_request", "Invalid request: missing required property `name`."));
    }
    std::optional<std::string> target;
    if (body->has("target") && !body->get("target").isEmpty()) {
      target = body->get("target").toString();
      if (*target != "production" && *target != "staging") {
        return response.json(400, errorBody("bad_request", "Invalid request: `target` should be production or staging."));
      }
    }
    const std::string from = body->has("deploymentId") ? body->get("deploymentId").toString() : std::string();
    const auto listed = deploymentsFor(mode);
    const bool known = std::any_of(listed.begin(), listed.end(), [&](const FakeDeployment& d) { return d.uid == from; });
    if (!from.empty() && !known) return response.json(404, errorBody("not_found", "Deployment not found"));
    FakeDeployment created;
    {
      std::lock_guard lock(mutex_);
      created.uid = "dpl_new" + std::to_string(++createdCount_);
      created.createdAt = std::max(wallClockMs(), startedMs_ + createdCount_);
      created.state = "QUEUED";
      created.target = target;
      created_.push_back(created);
    }
    response.json(200, stringify(toJson(created)));
  }

  void read(const std::string& id, FakeResponse& response, const std::string& mode) {
    std::lock_guard lock(mutex_);
    for (FakeDeployment& d : created_) {
      if (d.uid != id) continue;
      if (d.state == "QUEUED") {
        d.state = "BUILDING";
      } else if (d.state == "BUILDING") {
        d.state = mode == "build_fails" ? "ERROR" : "READY";
      }
      return response.json(200, stringify(toJson(d)));
    }
    response.json(404, errorBody("not_found", "Deployment not found"));
  }

  static std::string stringify(const Poco::JSON::Object::Ptr& object) {
    std::ostringstream out;
    object->stringify(out);
    return out.str();
  }

  std::vector<FakeDeployment> deploymentsFor(const std::string& mode) const {
    std::vector<FakeDeployment> list;
    {
      std::lock_guard lock(mutex_);
      list = created_;
    }
    if (mode == "empty") return list;
    if (mode != "quiet_week") {
      const bool busy = mode == "busy_week";
      const int count = busy ? 130 : 25;
      const std::int64_t spacing = busy ? 75 * kMinuteMs : 5 * kHourMs;
      for (int i = 0; i < count; ++i) {
        FakeDeployment d;
        d.uid = "dpl_" + std::to_string(1000 + i);
        d.createdAt = startedMs_ - (i * spacing + 2 * kMinuteMs);
        d.state = "READY";
        if (i % 3 == 0) d.target = "production";
        list.push_back(d);
      }
      if (mode == "building") list.front().state = "BUILDING";
      if (mode == "deploy_error") list.front().state = "ERROR";
    }
    list.push_back({"dpl_0900", startedMs_ - 8 * kDayMs, "READY", std::string("production")});
    list.push_back({"dpl_0901", startedMs_ - 10 * kDayMs, "READY", std::nullopt});
    return list;
  }

  static bool matchesTarget(const FakeDeployment& d, const std::string& target) {
    if (target.empty()) return true;
    if (target == "preview") return !d.target.has_value();
    return d.target == target;
  }

  std::string listBody(const FakeRequest& request, std::vector<FakeDeployment> all) const {
    const std::optional<std::int64_t> since = queryNumber(request, "since");
    const std::optional<std::int64_t> until = queryNumber(request, "until");
    const std::int64_t limit = std::clamp<std::int64_t>(queryNumber(request, "limit").value_or(20), 1, 100);
    auto target = request.query.find("target");
    const std::string wanted = target == request.query.end() ? std::string() : target->second;
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.createdAt > b.createdAt; });
    std::vector<FakeDeployment> matching;
    for (const auto& d : all) {
      if (since && d.createdAt <= *since) continue;
      if (until && d.createdAt >= *until) continue;
      if (!matchesTarget(d, wanted)) continue;
      matching.push_back(d);
    }
    Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
    const std::size_t count = std::min<std::size_t>(matching.size(), static_cast<std::size_t>(limit));
    for (std::size_t i = 0; i < count; ++i) items->add(toJson(matching[i]));
    Poco::JSON::Object::Ptr pagination = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    pagination->set("count", static_cast<Poco::UInt64>(count));
    if (count < matching.size()) {
      pagination->set("next", static_cast<Poco::Int64>(matching[count - 1].createdAt));
    } else {
      pagination->set("next", Poco::Dynamic::Var());
    }
    if (count > 0) {
      pagination->set("prev", static_cast<Poco::Int64>(matching.front().createdAt));
    } else {
      pagination->set("prev", Poco::Dynamic::Var());
    }
    Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
    body.set("deployments", items);
    body.set("pagination", pagination);
    std::ostringstream out;
    body.stringify(out);
    return out.str();
  }

  static Poco::JSON::Object::Ptr toJson(const FakeDeployment& d) {
    Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    item->set("uid", d.uid);
    item->set("id", d.uid);  // the single-deployment endpoints call it id
    item->set("name", kProjectName);
    item->set("projectId", kProjectId);
    item->set("url", std::string(kProjectName) + "-" + d.uid.substr(4) + "-acme.vercel.app");
    item->set("created", static_cast<Poco::Int64>(d.createdAt));
    item->set("createdAt", static_cast<Poco::Int64>(d.createdAt));
    item->set("state", d.state);
    item->set("readyState", d.state);
    item->set("type", "LAMBDAS");
    if (d.target) {
      item->set("target", *d.target);
    } else {
      item->set("target", Poco::Dynamic::Var());
    }
    return item;
  }

  const std::int64_t startedMs_;
  mutable std::mutex mutex_;
  std::vector<FakeDeployment> created_;  // by POST /v13/deployments, guarded by mutex_
  int createdCount_ = 0;
};

}  // namespace

std::shared_ptr<FakeProvider> makeVercelFake() { return std::make_shared<VercelFake>(); }

}  // namespace sb::fakes
