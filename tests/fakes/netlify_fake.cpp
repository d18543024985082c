// Fake Netlify API (https://docs.netlify.com/api-and-cli-guides/api-guides/get-started-with-api/,
// OpenAPI reference https://open-api.netlify.com), enough for the Netlify test
// plugin (tests/plugins/netlify_status):
//   GET /api/v1/sites/{site_id}/deploys?page&per_page  (listSiteDeploys)
//   newest first; per_page defaults to 100 (at most 100). Every URL starts with
//   the version prefix /api/v1, part of the API root.
// Authentication: "Authorization: Bearer <token>"; a missing token or the token
// "revoked" is 401 with Netlify's error envelope {"code":401,"message":...}.
// Rate limit: 500 requests a minute per token, reported in X-RateLimit-Limit,
// X-RateLimit-Remaining and X-RateLimit-Reset (Unix seconds); past it 429.
// Site "site_demo" (name "demo-docs"); any other site is 404
// {"code":404,"message":"Not Found"}.
// Provider modes (besides those of fake_server.hpp):
//   ok (newest deploy "ready", 2 minutes old), deploy_error (newest "error"
//   with error_message), building (newest "building"), unauthorized (401),
//   rate_limited (429, X-RateLimit-Remaining 0, Reset now+42 and Retry-After: 42),
//   not_found (404), server_error (500).
#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>

#include "fake_server.hpp"

namespace sb::fakes {
namespace {

constexpr const char* kSiteId = "site_demo";

std::int64_t wallClockSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string iso(std::int64_t epochSeconds) {
  const std::time_t t = static_cast<std::time_t>(epochSeconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
  return buffer;
}

std::string errorBody(int code, const std::string& message) {
  return "{\"code\":" + std::to_string(code) + ",\"message\":\"" + message + "\"}";
}

class NetlifyFake : public FakeProvider {
 public:
  std::string name() const override { return "netlify"; }

  void handle(const FakeRequest& request, FakeResponse& response, const Behaviour& behaviour) override {
    const std::string& mode = behaviour.mode;
    const std::int64_t now = wallClockSeconds();
    response.headers = {{"X-RateLimit-Limit", "500"}, {"X-RateLimit-Remaining", "499"},
                        {"X-RateLimit-Reset", std::to_string(now + 60)}};
    if (mode == "server_error") return response.json(500, errorBody(500, "Internal Server Error"));
    const std::string authorization = request.header("authorization");
    const std::string prefix = "Bearer ";
    const std::string token = authorization.rfind(prefix, 0) == 0 ? authorization.substr(prefix.size()) : "";
    if (token.empty() || token == "revoked" || mode == "unauthorized") {
      return response.json(401, errorBody(401, "Access Denied: Invalid token"));
    }
    if (mode == "rate_limited") {
      response.headers = {{"X-RateLimit-Limit", "500"}, {"X-RateLimit-Remaining", "0"},
                          {"X-RateLimit-Reset", std::to_string(now + 42)}, {"Retry-After", "42"}};
      return response.json(429, errorBody(429, "Rate limit exceeded"));
    }
    const std::string sites = "/api/v1/sites/";
    const std::string deploys = "/deploys";
    const std::string& path = request.path;
    const bool listing = request.method == "GET" && path.rfind(sites, 0) == 0 && path.size() > sites.size() + deploys.size() &&
                         path.compare(path.size() - deploys.size(), deploys.size(), deploys) == 0;
    const std::string site = listing ? path.substr(sites.size(), path.size() - sites.size() - deploys.size()) : "";
    if (!listing || site != kSiteId || mode == "not_found") return response.json(404, errorBody(404, "Not Found"));
    std::string state = "ready";
    std::string error = "null";
    if (mode == "deploy_error") {
      state = "error";
      error = "\"Build script returned non-zero exit code: 2\"";
    } else if (mode == "building") {
      state = "building";
    }
    auto deploy = [&](const std::string& id, const std::string& deployState, std::int64_t createdAt,
                      const std::string& errorMessage) {
      return "{\"id\":\"" + id + "\",\"site_id\":\"" + kSiteId + "\",\"state\":\"" + deployState +
             "\",\"name\":\"demo-docs\",\"url\":\"http://demo-docs.netlify.app\",\"ssl_url\":"
             "\"https://demo-docs.netlify.app\",\"deploy_ssl_url\":\"https://" + id + "--demo-docs.netlify.app\","
             "\"context\":\"production\",\"branch\":\"main\",\"error_message\":" + errorMessage +
             ",\"created_at\":\"" + iso(createdAt) + "\",\"updated_at\":\"" + iso(createdAt + 30) + "\"}";
    };
    std::string list = "[" + deploy("d3", state, now - 120, error) + "," + deploy("d2", "ready", now - 86400, "null") +
                       "," + deploy("d1", "ready", now - 40 * 86400, "null") + "]";
    auto perPage = request.query.find("per_page");
    if (perPage != request.query.end() && perPage->second == "1") {
      list = "[" + deploy("d3", state, now - 120, error) + "]";
    }
    response.json(200, list);
  }
};

}  // namespace

std::shared_ptr<FakeProvider> makeNetlifyFake() { return std::make_shared<NetlifyFake>(); }

}  // namespace sb::fakes
