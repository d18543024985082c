#include "connections/access_token_source.hpp"

#include <chrono>
#include <thread>

#include "connections/sealed_grant.hpp"
#include "connections/token_client.hpp"
#include "core/clock.hpp"
#include "core/random_text.hpp"
#include "store/store.hpp"

namespace sb::connections {
namespace {

Status revokedStatus(const std::string& connectionName) {
  return Status(ErrorCode::PermissionDenied,
                "the connection '" + connectionName + "' was revoked at the provider: reconnect it",
                kOAuthRevokedField);
}

}  // namespace

AccessTokenSource::AccessTokenSource(Store& store, const ConnectionDirectory& directory, const SecretBox& box,
                                     AccessTokenOptions options)
    : store_(store), directory_(directory), box_(box), options_(std::move(options)) {
  if (!options_.clock) options_.clock = systemNowMs;
}

Result<AccessToken> AccessTokenSource::current(const std::string& tokenId) {
  return obtain(tokenId, [this](const OAuthTokenRecord& grant) {
    if (grant.expiresAtMs == 0) return false;  // unknown lifetime: refreshed after a 401 only
    const ConnectionConfig* connection = directory_.find(grant.connectionName);
    const std::int64_t margin = connection != nullptr ? connection->refreshMarginMs : 60000;
    return grant.expiresAtMs - margin <= now();
  });
}

Result<AccessToken> AccessTokenSource::afterRejection(const std::string& tokenId, std::int64_t rejectedGeneration) {
  return obtain(tokenId,
                [rejectedGeneration](const OAuthTokenRecord& grant) { return grant.generation <= rejectedGeneration; });
}

std::shared_ptr<std::mutex> AccessTokenSource::gateFor(const std::string& tokenId) {
  std::lock_guard lock(gatesMutex_);
  for (auto it = gates_.begin(); it != gates_.end();) {
    it = it->second.expired() ? gates_.erase(it) : std::next(it);
  }
  std::shared_ptr<std::mutex> gate = gates_[tokenId].lock();
  if (!gate) {
    gate = std::make_shared<std::mutex>();
    gates_[tokenId] = gate;
  }
  return gate;
}

Result<AccessToken> AccessTokenSource::opened(const OAuthTokenRecord& grant) const {
  Result<GrantSecrets> secrets = openGrant(grant.tokenSealed, box_, grant.userId, grant.connectionName);
  if (!secrets) return secrets.status();
  return AccessToken{secrets->accessToken, secrets->tokenType, grant.scopes, grant.generation};
}

Result<AccessToken> AccessTokenSource::obtain(const std::string& tokenId, const Stale& stale) {
  // Threads of this instance refresh one at a time; those after the first
  // find the grant fresh and return without touching the lease.
  const std::shared_ptr<std::mutex> gate = gateFor(tokenId);
  std::lock_guard lock(*gate);
  const std::string owner = options_.instanceId + "/" + randomUrlSafeText(9);
  const std::int64_t giveUpAt = now() + options_.waitMs;
  ConnectionRepository& repository = store_.connections();
  while (true) {
    auto grant = repository.getTokenById(tokenId);
    if (!grant) return grant.status();
    if (!grant->has_value()) return Status(ErrorCode::NotFound, "the connection's grant no longer exists");
    const OAuthTokenRecord& record = **grant;
    if (record.state == GrantState::Revoked) return revokedStatus(record.connectionName);
    if (!stale(record)) return opened(record);
    if (record.refreshNotBeforeMs > now()) {
      // Backing off after a transient failure: a token that still works is
      // used, an expired one is not.
      if (record.expiresAtMs == 0 || record.expiresAtMs > now()) return opened(record);
      return Status(ErrorCode::Unavailable, "refreshing the connection '" + record.connectionName +
                                                "' failed; the next attempt is after a back-off");
    }
    auto won = repository.acquireRefreshLease(tokenId, owner, now(), options_.leaseMs);
    if (!won) return won.status();
    if (*won) {
      // Re-read under the lease: a refresh may have completed since the read above.
      auto again = repository.getTokenById(tokenId);
      if (!again || !again->has_value() || (*again)->state == GrantState::Revoked || !stale(**again)) {
        (void)repository.releaseRefreshLease(tokenId, owner, 0);
        continue;
      }
      return refreshHolding(**again, owner);
    }
    if (now() >= giveUpAt) {
      return Status(ErrorCode::Unavailable,
                    "timed out waiting for another instance's refresh of '" + record.connectionName + "'");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(options_.pollMs));
  }
}

Result<AccessToken> AccessTokenSource::refreshHolding(const OAuthTokenRecord& grant, const std::string& owner) {
  ConnectionRepository& repository = store_.connections();
  auto release = [&](std::int64_t notBeforeMs) { (void)repository.releaseRefreshLease(grant.id, owner, notBeforeMs); };
  Result<ResolvedConnection> resolved = directory_.resolve(grant.connectionName);
  if (!resolved && resolved.status().code() != ErrorCode::NotFound) {
    // Discovery or registration failed: like a transient failure, keep the grant.
    release(now() + options_.backoffMs);
    return Status(ErrorCode::Unavailable, "refreshing the connection '" + grant.connectionName +
                                              "' failed: " + resolved.status().message());
  }
  if (!resolved || !resolved->config.disabledReason.empty()) {
    release(0);
    return Status(ErrorCode::Conflict, "the connection '" + grant.connectionName + "' is not configured or disabled");
  }
  const ConnectionConfig* connection = &resolved->config;
  Result<GrantSecrets> secrets = openGrant(grant.tokenSealed, box_, grant.userId, grant.connectionName);
  if (!secrets) {
    release(0);
    return secrets.status();
  }
  if (secrets->refreshToken.empty()) {
    release(0);
    return Status(ErrorCode::Unauthenticated,
                  "the connection '" + grant.connectionName + "' expired and has no refresh token: reconnect it",
                  kOAuthExpiredField);
  }
  TokenOutcome outcome = refreshAccessToken(*connection, secrets->refreshToken, resolved->resource);
  if (!outcome.ok()) {
    if (outcome.errorCode == "invalid_client") directory_.clientRejected(*resolved);
    if (outcome.failure == TokenFailureKind::Revoked) {
      if (Status marked = repository.markRevoked(grant.id); !marked) return marked;
      if (options_.onRevoked) {
        try {
          options_.onRevoked(grant.id);
        } catch (const std::exception&) {
          // A listener's failure must not hide the revocation from this caller.
        }
      }
      return revokedStatus(grant.connectionName);
    }
    const std::int64_t backoff = outcome.retryAfterMs > 0 ? outcome.retryAfterMs : options_.backoffMs;
    release(now() + backoff);
    return Status(ErrorCode::Unavailable, "refreshing the connection '" + grant.connectionName + "' failed (" +
                                              toString(outcome.failure) + "): " + outcome.message);
  }
  const TokenGrant& fresh = *outcome.grant;
  GrantSecrets next{fresh.accessToken, fresh.refreshToken.empty() ? secrets->refreshToken : fresh.refreshToken,
                    fresh.tokenType};
  OAuthTokenRecord refreshed = grant;
  refreshed.tokenSealed = sealGrant(next, box_, grant.userId, grant.connectionName);
  if (!fresh.scope.empty()) refreshed.scopes = fresh.scope;
  refreshed.expiresAtMs = fresh.expiresInSeconds > 0 ? now() + fresh.expiresInSeconds * 1000 : 0;
  // Stored before use: the old refresh token is gone at the provider now.
  auto completion = repository.completeRefresh(refreshed, grant.generation, owner);
  if (!completion) return completion.status();
  if (!completion->stored) return opened(completion->current);
  return AccessToken{next.accessToken, next.tokenType, completion->current.scopes, completion->current.generation};
}

}  // namespace sb::connections
