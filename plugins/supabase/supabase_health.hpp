// The Supabase Management API health check that status and the
// test-connection action share: the link (settings.projectRef,
// secrets.accessToken), the request, and the parsed answer.
//   GET https://api.supabase.com/v1/projects/{ref}/health?services=db,auth,rest,realtime,storage
//     Authorization: Bearer <personal access token>
//     -> [{"name":"db","healthy":true,"status":"ACTIVE_HEALTHY"|"COMING_UP"|"UNHEALTHY","error":"..."}]
//     https://supabase.com/docs/reference/api/v1-get-services-health
//   Rate limits: 429 with X-RateLimit-Limit / -Remaining / -Reset (seconds)
//     https://supabase.com/docs/reference/api/introduction (Rate limits)
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <switchboard/provider.hpp>
#include <switchboard/sdk.hpp>

namespace switchboard::bundled::supabase {

using provider::StatusRequest;

inline const std::string kProvider = "Supabase";
inline constexpr std::string_view kServices = "db,auth,rest,realtime,storage";

struct Link {
  std::string projectRef;
  std::string linkToken;  // the request's credential; a connection's token (Call::accessToken) wins over it
};

struct Service {
  std::string name;
  std::string status;  // ACTIVE_HEALTHY | COMING_UP | UNHEALTHY
  bool healthy = false;  // the answer's "healthy", else status == ACTIVE_HEALTHY
};

// SB_ERR_INVALID_ARGUMENT (in `failure`) for a malformed ref, or without a
// token: neither the connection's nor secrets.accessToken.
std::optional<Link> readLink(const StatusRequest& request, const Call& call, Outcome& failure);
// The health check, sent with the bearer token (one refresh after a 401 to a
// connection's token).
HttpResult sendHealthCheck(const Host& host, const Call& call, const StatusRequest& request, const Link& link);
// Seconds to wait after a 429: Retry-After, else X-RateLimit-Reset.
std::optional<std::int64_t> retryAfter(const HttpResponse& response, std::int64_t nowMs);
// [{"name", "status": <known>, "healthy"?}] with a db entry; nullopt (with
// an SB_ERR_UNAVAILABLE `failure`) otherwise.
std::optional<std::vector<Service>> services(std::string_view body, Outcome& failure);

}  // namespace switchboard::bundled::supabase
