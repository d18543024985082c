// One GitHub REST request as every GitHub hook sends it: the API headers, the
// credential (the link's connection token from Call::accessToken(), ABI 1.3,
// else the link's secrets.token), ETag revalidation when given a cache, and
// after a 401 on a connection token one refresh (Call::refreshAccessToken)
// and one retry with the new token. What a reply means stays with the caller.
// Ownership: borrows the host and the call for the hook's duration.
// Thread-safety: send() may run from several threads of one hook at once
// (the host refreshes once per call and repeats the outcome).
#pragma once

#include <optional>
#include <string>

#include <switchboard/host.hpp>
#include <switchboard/sdk.hpp>

#include "etag_cache.hpp"

namespace switchboard::github {

inline constexpr const char* kProvider = "GitHub";
inline constexpr const char* kDefaultApiRoot = "https://api.github.com";

// One answered request. A 304 to a revalidation comes back as the cached
// 200 (fromCache true).
struct GithubReply {
  int status = 0;
  std::string body;
  std::string retryAfter;
  std::string rateLimitRemaining;
  std::string rateLimitReset;
  bool fromCache = false;
};

class GithubClient {
 public:
  // `linkToken` is the link's secrets.token ("" when it has none).
  GithubClient(const Host& host, const Call& call, std::string linkToken);

  // The token requests carry now; "" when the link has neither a connection nor a token.
  std::string token() const;
  bool usesConnection() const { return !call_.accessToken().empty(); }

  // A reply, or nullopt with `failure` set: the transport failed (SB_ERR_TIMEOUT
  // kept, else SB_ERR_UNAVAILABLE), or refreshing the connection's token failed
  // for a reason other than a revoked grant.
  std::optional<GithubReply> send(const std::string& method, const std::string& url, const std::string& body,
                                  EtagCache* etags, Outcome& failure) const;

 private:
  std::optional<GithubReply> sendOnce(const std::string& method, const std::string& url, const std::string& body,
                                      EtagCache* etags, Outcome& failure) const;

  const Host& host_;
  const Call& call_;
  std::string linkToken_;
};

}  // namespace switchboard::github
