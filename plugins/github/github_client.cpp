// See github_client.hpp. Headers as GitHub asks for them:
// https://docs.github.com/en/rest/using-the-rest-api/getting-started-with-the-rest-api
// (Accept application/vnd.github+json, X-GitHub-Api-Version, a User-Agent),
// conditional requests with If-None-Match:
// https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api
#include "github_client.hpp"

#include <utility>

namespace switchboard::github {

GithubClient::GithubClient(const Host& host, const Call& call, std::string linkToken)
    : host_(host), call_(call), linkToken_(std::move(linkToken)) {}

std::string GithubClient::token() const {
  std::string connectionToken = call_.accessToken();
  return connectionToken.empty() ? linkToken_ : connectionToken;
}

std::optional<GithubReply> GithubClient::send(const std::string& method, const std::string& url,
                                              const std::string& body, EtagCache* etags, Outcome& failure) const {
  std::optional<GithubReply> reply = sendOnce(method, url, body, etags, failure);
  if (!reply || reply->status != 401 || !usesConnection()) return reply;
  // The connection's token may just have expired: the host refreshes it
  // once per call; a revoked grant (or no refresh to be had) leaves the 401.
  const sb_status refreshed = call_.refreshAccessToken();
  if (refreshed == SB_ERR_UNAUTHORIZED || refreshed == SB_ERR_NOT_SUPPORTED) return reply;
  if (refreshed != SB_OK) {
    failure = Outcome::failure(refreshed, "GitHub rejected the connection's token and refreshing it failed");
    return std::nullopt;
  }
  return sendOnce(method, url, body, etags, failure);
}

std::optional<GithubReply> GithubClient::sendOnce(const std::string& method, const std::string& url,
                                                  const std::string& body, EtagCache* etags, Outcome& failure) const {
  const std::string credential = token();
  HttpRequest request;
  request.method = method;
  request.url = url;
  request.body = body;
  request.headers = {{"Accept", "application/vnd.github+json"},
                     {"X-GitHub-Api-Version", "2022-11-28"},
                     {"Authorization", "Bearer " + credential},
                     {"User-Agent", "switchboard"}};
  if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  std::optional<CachedReply> cached;
  if (etags != nullptr) cached = etags->find(url, credential);
  if (cached) request.headers.emplace_back("If-None-Match", cached->etag);
  HttpResult result = host_.send(request, call_);
  if (!result.ok()) {
    const sb_status status = result.status == SB_ERR_TIMEOUT ? SB_ERR_TIMEOUT : SB_ERR_UNAVAILABLE;
    failure = Outcome::failure(status, std::string(kProvider) + " could not be reached: " + result.error);
    return std::nullopt;
  }
  const HttpResponse& response = result.response;
  GithubReply reply;
  reply.status = response.status();
  reply.retryAfter = std::string(response.header("retry-after"));
  reply.rateLimitRemaining = std::string(response.header("x-ratelimit-remaining"));
  reply.rateLimitReset = std::string(response.header("x-ratelimit-reset"));
  if (reply.status == 304 && cached) {
    reply.status = 200;
    reply.body = cached->body;
    reply.fromCache = true;
    return reply;
  }
  reply.body = std::string(response.body());
  if (etags != nullptr && reply.status == 200) {
    const std::string etag(response.header("etag"));
    if (etag.empty()) {
      etags->forget(url, credential);
    } else {
      etags->store(url, credential, CachedReply{etag, reply.body});
    }
  }
  return reply;
}

}  // namespace switchboard::github
