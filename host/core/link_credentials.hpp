// What one plugin call of an integration link is given to authenticate with:
// the link's pasted secrets and, for a link that uses an OAuth connection,
// the connection's access token with its one refresh per call after a
// provider 401 (ABI 1.3, host_access_token / host_access_token_refresh).
// Built per call by the application (it knows the secret key and the
// connections); the status, action and sync services only pass it on.
// Thread-safety: CallAccessToken is thread-safe (a hook may use it from the
// threads it starts); LinkCredentials is a value.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace sb {

struct IntegrationLink;

// The Status field of a credentials failure because the connection's grant
// is revoked (the user must reconnect), and of one because it expired with
// no refresh token to renew it.
inline constexpr const char* kOAuthRevokedField = "oauth_revoked";
inline constexpr const char* kOAuthExpiredField = "oauth_expired";

class CallAccessToken {
 public:
  // `refresh` gets a fresh token after the provider rejected the current
  // one; it is called at most once in this object's life.
  CallAccessToken(std::string token, std::function<Result<std::string>()> refresh);

  // The current token. The returned string stays at its address for this
  // object's life, also after a refresh (the plugin may hold the slice).
  const std::string& current() const;
  // The first caller refreshes; every caller gets that one outcome.
  Status refreshOnce();
  // The refresh's failure, if it ran and failed (e.g. the grant is revoked).
  std::optional<Status> refreshFailure() const;

 private:
  mutable std::mutex mutex_;
  std::deque<std::string> tokens_;  // stable addresses: old slices stay valid
  std::function<Result<std::string>()> refresh_;
  std::optional<Status> outcome_;
};

struct LinkCredentials {
  std::string secretsJson = "{}";          // the link's secret values, a JSON object
  std::shared_ptr<CallAccessToken> token;  // null: the link uses no connection
  std::vector<std::string> missingScopes;  // required by the connection, not granted
};

using CredentialsFn = std::function<Result<LinkCredentials>(const IntegrationLink& link)>;

}  // namespace sb
