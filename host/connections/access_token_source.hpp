// The current access token of a grant, refreshed when it is due: ahead of
// its expiry (the connection's refresh_margin_ms), or once after the
// provider rejected it with 401. One refresh per grant at a time, on every
// instance sharing the database: threads of this instance queue on a
// per-grant mutex, instances on the grant's refresh lease row
// (ConnectionRepository::acquireRefreshLease). Whoever waited re-reads the
// grant and takes the fresh token without a token request of its own; the
// lease holder re-reads too after winning, in case a refresh completed in
// between. The rotated refresh token is stored (completeRefresh, one
// transaction) before the new access token is handed out (RFC 9700
// §4.14.2). invalid_grant marks the grant revoked at once; a transient
// failure (5xx, 429, timeout) keeps the grant and backs off (Retry-After,
// else backoffMs) before the next attempt.
// Thread-safety: thread-safe; share one per process.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "connections/connection_directory.hpp"
#include "core/link_credentials.hpp"
#include "core/result.hpp"
#include "crypto/secret_box.hpp"
#include "store/connection_repository.hpp"

namespace sb {
class Store;
}

namespace sb::connections {

using sb::kOAuthExpiredField;  // core/link_credentials.hpp
using sb::kOAuthRevokedField;

struct AccessToken {
  std::string token;
  std::string tokenType = "Bearer";
  std::string scopes;           // granted, space-separated
  std::int64_t generation = 0;  // pass back to afterRejection
};

struct AccessTokenOptions {
  std::string instanceId = "local";  // lease owner prefix
  std::int64_t leaseMs = 15000;      // a lease outlives a token request's 10 s timeout
  std::int64_t waitMs = 20000;       // the longest a caller waits for another's refresh
  std::int64_t pollMs = 25;          // how often a waiter on another instance re-reads
  std::int64_t backoffMs = 30000;    // after a transient failure without Retry-After
  std::function<std::int64_t()> clock;  // epoch ms; default systemNowMs
  // Called after a refresh found the grant revoked (invalid_grant) and marked it so.
  std::function<void(const std::string& tokenId)> onRevoked;
};

class AccessTokenSource {
 public:
  AccessTokenSource(Store& store, const ConnectionDirectory& directory, const SecretBox& box,
                    AccessTokenOptions options);

  // The grant's access token, refreshed first if it expires within the
  // connection's margin. PermissionDenied (field kOAuthRevokedField) for a
  // revoked grant, Unauthenticated (kOAuthExpiredField) for an expired one
  // without a refresh token, Unavailable while refreshing fails transiently.
  Result<AccessToken> current(const std::string& tokenId);
  // After the provider answered 401 to the token of `rejectedGeneration`:
  // refreshed once, unless someone already did since.
  Result<AccessToken> afterRejection(const std::string& tokenId, std::int64_t rejectedGeneration);

 private:
  using Stale = std::function<bool(const OAuthTokenRecord&)>;
  Result<AccessToken> obtain(const std::string& tokenId, const Stale& stale);
  Result<AccessToken> refreshHolding(const OAuthTokenRecord& grant, const std::string& owner);
  Result<AccessToken> opened(const OAuthTokenRecord& grant) const;
  std::shared_ptr<std::mutex> gateFor(const std::string& tokenId);
  std::int64_t now() const { return options_.clock(); }

  Store& store_;
  const ConnectionDirectory& directory_;
  const SecretBox& box_;
  AccessTokenOptions options_;
  std::mutex gatesMutex_;
  std::map<std::string, std::weak_ptr<std::mutex>> gates_;
};

}  // namespace sb::connections
