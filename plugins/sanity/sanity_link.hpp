// The Sanity link a request names (settings.projectId, .dataset,
// .apiVersion, secrets.token) and the query API requests status and actions
// both send:
//   GET https://<projectId>.api.sanity.io/<vYYYY-MM-DD>/data/query/<dataset>
//       ?query=<GROQ>&$<param>=<JSON value>   -> {"ms":..,"query":..,"result":<value>}
//   https://www.sanity.io/docs/http-query ; limits (429, retry-after,
//   ratelimit-reset): https://www.sanity.io/docs/technical-limits
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <switchboard/provider.hpp>
#include <switchboard/sdk.hpp>

namespace switchboard::bundled::sanity {

using provider::StatusRequest;

inline const std::string kProvider = "Sanity";

struct Link {
  std::string projectId;
  std::string dataset;
  std::string apiVersion;  // "v2025-02-19", "v1" or "vX"
  std::string linkToken;  // the request's credential; a connection's token (Call::accessToken) wins over it
};

// SB_ERR_INVALID_ARGUMENT (in `failure`) for a malformed id, dataset or
// version, or without a token: neither the connection's nor secrets.token.
std::optional<Link> readLink(const StatusRequest& request, const Call& call, Outcome& failure);
// GET `url` with the bearer token (one refresh after a 401 to a connection's token).
HttpResult authorisedGet(const Host& host, const Call& call, std::string url, const Link& link);
// The query URL for `groq` with `params` (name -> JSON value, e.g. "\"2026-01-01T00:00:00Z\"").
// With the operator's base_url every path hangs off that one root (the fake,
// a proxy); otherwise the query API lives on the project's own host.
std::string queryUrl(const StatusRequest& request, const Link& link, std::string_view groq,
                     const std::vector<std::pair<std::string, std::string>>& params);
// A GROQ parameter is a JSON value: a string travels quoted.
std::string jsonString(const std::string& text);
// Seconds to wait after a 429: retry-after, else ratelimit-reset.
std::optional<std::int64_t> retryAfter(const HttpResponse& response, std::int64_t nowMs);

}  // namespace switchboard::bundled::sanity
