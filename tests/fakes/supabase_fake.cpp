// Fake Supabase Management API (https://supabase.com/docs/reference/api), for
// the status adapter and the test-connection action:
//   GET /v1/projects/{ref}/health?services=<comma-separated names>
//     https://supabase.com/docs/reference/api/v1-get-services-health
//     -> [{"name","healthy","status":"ACTIVE_HEALTHY"|"COMING_UP"|"UNHEALTHY","error"?}]
//     Only the requested services are listed; a missing list or an unknown
//     name (valid: auth, db, db_postgres_user, pooler, realtime, rest,
//     storage, pg_bouncer) is a 400.
//   Rate limits: 429 with X-RateLimit-Limit / -Remaining / -Reset (seconds).
// One project, "abcdefghijklmnopqrst"; the only accepted credential is
// "Authorization: Bearer sbp_contract_token".
// Modes (beyond the server's own): ok, coming_up (storage COMING_UP),
// db_unhealthy, auth_unhealthy, unauthorized, rate_limited (429, reset in
// 42 s), not_found (404 for every project), server_error (500), wrong_shape
// (an object where the list belongs). A test toggles health by switching
// modes (setMode, or POST /__fake/behaviour from another process).
#include <sstream>
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "fake_server.hpp"

namespace sb::fakes {
namespace {

const std::string kProjectRef = "abcdefghijklmnopqrst";
const std::string kToken = "sbp_contract_token";
const std::vector<std::string> kKnownServices{"auth",     "db",   "db_postgres_user", "pooler",
                                              "realtime", "rest", "storage",          "pg_bouncer"};

void message(FakeResponse& response, int status, const std::string& text) {
  Poco::JSON::Object body;
  body.set("message", text);
  std::ostringstream out;
  body.stringify(out);
  response.json(status, out.str());
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::istringstream in(text);
  std::string part;
  while (std::getline(in, part, separator)) parts.push_back(part);
  return parts;
}

bool isKnownService(const std::string& name) {
  for (const auto& known : kKnownServices) {
    if (known == name) return true;
  }
  return false;
}

std::string statusFor(const std::string& service, const std::string& mode) {
  if (mode == "coming_up" && service == "storage") return "COMING_UP";
  if (mode == "db_unhealthy" && service == "db") return "UNHEALTHY";
  if (mode == "auth_unhealthy" && service == "auth") return "UNHEALTHY";
  return "ACTIVE_HEALTHY";
}

void answerHealth(const FakeRequest& request, const std::string& mode, FakeResponse& response) {
  auto param = request.query.find("services");
  if (param == request.query.end() || param->second.empty()) {
    return message(response, 400, "services must be a non-empty list of service names");
  }
  Poco::JSON::Array list;
  for (const auto& name : split(param->second, ',')) {
    if (!isKnownService(name)) return message(response, 400, "Invalid service name: " + name);
    const std::string status = statusFor(name, mode);
    Poco::JSON::Object::Ptr entry = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    entry->set("name", name);
    entry->set("healthy", status == "ACTIVE_HEALTHY");
    entry->set("status", status);
    if (status == "UNHEALTHY") entry->set("error", name + " is not responding");
    list.add(entry);
  }
  std::ostringstream out;
  list.stringify(out);
  response.json(200, out.str());
}

class SupabaseFake : public FakeProvider {
 public:
  std::string name() const override { return "supabase"; }

  void handle(const FakeRequest& request, FakeResponse& response, const Behaviour& behaviour) override {
    const std::string& mode = behaviour.mode;
    if (mode == "server_error") return message(response, 500, "Internal server error");
    if (mode == "unauthorized" || request.header("authorization") != "Bearer " + kToken) {
      return message(response, 401, "Unauthorized");
    }
    response.headers.emplace_back("X-RateLimit-Limit", "120");
    if (mode == "rate_limited") {
      response.headers.emplace_back("X-RateLimit-Remaining", "0");
      response.headers.emplace_back("X-RateLimit-Reset", "42");
      return message(response, 429, "Too many requests");
    }
    response.headers.emplace_back("X-RateLimit-Remaining", "119");
    response.headers.emplace_back("X-RateLimit-Reset", "60");
    const std::vector<std::string> parts = split(request.path, '/');  // "", "v1", "projects", ref, "health"
    if (request.method != "GET" || parts.size() != 5 || parts[1] != "v1" || parts[2] != "projects" ||
        parts[4] != "health") {
      return message(response, 404, "Cannot " + request.method + " " + request.path);
    }
    if (mode == "not_found" || parts[3] != kProjectRef) return message(response, 404, "Project not found");
    if (mode == "wrong_shape") return message(response, 200, "health is a list, not this object");
    answerHealth(request, mode, response);
  }
};

}  // namespace

std::shared_ptr<FakeProvider> makeSupabaseFake() { return std::make_shared<SupabaseFake>(); }

}  // namespace sb::fakes
