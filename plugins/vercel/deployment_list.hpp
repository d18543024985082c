// Reads a Vercel project's deployments through the host's HTTP client,
// following pagination, and hands back either the deployments or Vercel's
// refusal (any non-200 reply) for vercel_status.cpp to map.
// Ownership: plain values. Thread-safety: pure apart from the host calls.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <switchboard/sdk.hpp>

namespace switchboard::vercel {

struct Deployment {
  std::string uid;    // "dpl_..."
  std::string name;
  std::string url;    // host name, without a scheme
  std::string state;  // readyState (or state): READY, BUILDING, ERROR, ...
  std::optional<std::string> target;  // "production", "staging"; nullopt = preview
  std::int64_t createdAtMs = 0;
};

// A reply other than 200, with what the rate-limit and revocation mappings read.
struct Refusal {
  int status = 0;
  std::string errorCode;       // error.code from Vercel's error body, "" if none
  bool invalidToken = false;   // error.invalidToken / error.missingToken
  std::string retryAfter;      // Retry-After header
  std::string rateLimitReset;  // X-RateLimit-Reset header (epoch s)
  std::optional<std::int64_t> bodyResetSeconds;  // error.limit.reset (epoch s)
};

// What the rate-limit and revocation mappings read from any non-2xx reply.
Refusal refusalOf(const HttpResponse& response);
// Vercel rejected the token: 401, or 403 forbidden / invalidToken / missingToken.
bool isRevoked(const Refusal& refusal);
// Seconds to wait after a 429: Retry-After, else X-RateLimit-Reset, else
// error.limit.reset, else 60.
std::int64_t rateLimitWaitSeconds(const Refusal& refusal, std::int64_t nowMs);

struct ListQuery {
  std::string apiRoot;     // "https://api.vercel.com"
  std::string apiVersion;  // "v6"
  std::string projectId;
  std::string teamId;      // "" = personal account
  std::string linkToken;   // secrets.token; a connection's token (Call::accessToken) wins over it
  std::string target;      // "" = every target
  std::int64_t sinceMs = 0;  // 0 = no lower bound
  int pageSize = 100;  // Vercel's largest `limit`: most weeks fit one request
  int maxPages = 5;
};

struct ListResult {
  std::vector<Deployment> deployments;
  bool truncated = false;  // maxPages reached with more pages left
  std::optional<Refusal> refusal;
};

// nullopt (with `failure` set) on a transport failure or a malformed reply.
// Each page goes out with the bearer token, refreshed once after a 401 to a
// connection's token.
std::optional<ListResult> listDeployments(const Host& host, const Call& call, const ListQuery& query,
                                          Outcome& failure);

}  // namespace switchboard::vercel
