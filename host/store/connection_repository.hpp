// Connections (migration 5): the connection configs synced from YAML, each
// user's OAuth grant per connection, pending authorizations, and the refresh
// lease that lets one caller at a time, on any instance, refresh a grant.
//
// Secrets: the store holds only what the connections module sealed
// (SecretBox, associated data oauthTokenContext / oauthStateContext) and the
// SHA-256 hex of a state; it never sees a token, verifier or state in the
// clear. Client secrets are not stored at all: they come from the config.
// Nothing refers to `connections` by foreign key: tokens, states and leases
// name their connection and are checked against it at run time, so a config
// sync can never fail on, or cascade into, user data.
// Refresh: acquireRefreshLease inserts the lease row under its primary key,
// so of concurrent callers exactly one wins; completeRefresh stores the
// rotated tokens and releases the lease in one transaction, and only if no
// other refresh of the grant completed meanwhile (generation check).
// Thread-safety: as its Scope (store/scope.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/scope.hpp"

namespace sb {

// One connection as configured (the non-secret part). `settingsJson` holds
// the OAuth endpoints, client id, scopes, token_auth and extra_params as one
// JSON object; the client secret is never in it.
struct ConnectionRecord {
  std::string id;
  std::string name;
  std::string type = "oauth2";  // oauth2 | mcp
  std::string displayName;
  std::string description;
  std::string iconUrl;
  std::string url;  // the MCP server (type mcp)
  std::string settingsJson = "{}";
  bool enabled = true;
  std::string disabledReason;  // why it is disabled (removed from the config, missing secret)
  std::string createdAt;
  std::string updatedAt;
};

// The disabledReason syncConfigs gives a connection no longer configured.
inline constexpr const char* kConnectionRemovedReason = "removed from the configuration";

struct ConnectionSyncReport {
  int added = 0;
  int updated = 0;    // rows whose configured fields changed (ids kept)
  int disabled = 0;   // rows no longer in the configuration
};

enum class GrantState { Connected, Revoked };
const char* toString(GrantState state);

struct OAuthTokenRecord {
  std::string id;
  std::string userId;
  std::string connectionName;
  GrantState state = GrantState::Connected;
  std::string tokenSealed;  // SecretBox blob of the access and refresh tokens
  std::string accountLabel;
  std::string scopes;            // granted scopes, space-separated (RFC 6749 §3.3)
  std::int64_t expiresAtMs = 0;  // 0: the provider did not say (unknown, not "never")
  std::int64_t generation = 1;   // +1 on every stored refresh
  std::int64_t refreshNotBeforeMs = 0;  // back-off after a transient refresh failure
  std::string createdAt;
  std::string updatedAt;
};

struct RefreshCompletion {
  bool stored = false;       // false: another refresh completed first, or the grant was revoked
  OAuthTokenRecord current;  // the grant as it now is
};

struct PendingAuthorization {
  std::string stateHash;  // SHA-256 hex of the state sent to the provider
  std::string userId;
  std::string connectionName;
  std::string pendingSealed;  // SecretBox blob: verifier, redirect_uri, returnTo, resource
  std::int64_t expiresAtMs = 0;
};

class ConnectionRepository {
 public:
  explicit ConnectionRepository(store::Scope scope) : scope_(scope) {}

  // Upsert by name (ids and created_at kept); rows not named in `configured`
  // are disabled with the reason "removed from the configuration". One
  // transaction: a failure changes nothing.
  Result<ConnectionSyncReport> syncConfigs(const std::vector<ConnectionRecord>& configured);
  Result<std::vector<ConnectionRecord>> listConfigs();  // by name, enabled or not
  Result<std::optional<ConnectionRecord>> getConfig(const std::string& name);

  // Stores a new grant for (userId, connectionName), replacing a previous
  // one but keeping its id (links that name the token id stay valid);
  // generation goes up, any back-off and lease are cleared. Returns the row.
  Result<OAuthTokenRecord> putToken(const OAuthTokenRecord& token);
  Result<std::optional<OAuthTokenRecord>> getToken(const std::string& userId, const std::string& connectionName);
  Result<std::optional<OAuthTokenRecord>> getTokenById(const std::string& tokenId);
  Result<std::vector<OAuthTokenRecord>> listTokens(const std::string& userId);  // by connection name
  // Deletes the grant; false when there was none.
  Result<bool> deleteToken(const std::string& userId, const std::string& connectionName);

  // Takes the refresh lease of `tokenId` for `owner` until `nowMs + leaseMs`.
  // True for exactly one of concurrent callers; a lapsed lease is taken over.
  Result<bool> acquireRefreshLease(const std::string& tokenId, const std::string& owner, std::int64_t nowMs,
                                   std::int64_t leaseMs);
  // Stores the refreshed tokens (sealed, expiry, scopes) if the grant is
  // still connected at `expectedGeneration`, bumps the generation and
  // releases `owner`'s lease, all in one transaction. When another refresh
  // completed first nothing is stored (stored = false) and the lease is
  // still released. NotFound if the grant was deleted.
  Result<RefreshCompletion> completeRefresh(const OAuthTokenRecord& refreshed, std::int64_t expectedGeneration,
                                           const std::string& owner);
  // Releases `owner`'s lease after a transient failure; the grant is not
  // refreshed again before `notBeforeMs` (0: no back-off).
  Status releaseRefreshLease(const std::string& tokenId, const std::string& owner, std::int64_t notBeforeMs);
  // Marks the grant revoked (invalid_grant, or the provider said 401 after
  // a refresh) and releases any lease, in one transaction.
  Status markRevoked(const std::string& tokenId);

  Status putPendingAuthorization(const PendingAuthorization& pending);
  // Removes and returns the pending authorization of `stateHash`: exactly one
  // caller gets it, on any instance. Nullopt when unknown, already used, or
  // expired at `nowMs` (an expired one is removed too).
  Result<std::optional<PendingAuthorization>> consumePendingAuthorization(const std::string& stateHash,
                                                                          std::int64_t nowMs);
  Status prunePendingAuthorizations(std::int64_t nowMs);  // drops expired ones

  // The sealed dynamic client registration kept for `issuer`, if any.
  Result<std::optional<std::string>> getClientRegistration(const std::string& issuer);
  Status putClientRegistration(const std::string& issuer, const std::string& registrationSealed);  // replaces
  Status deleteClientRegistration(const std::string& issuer);

 private:
  store::Scope scope_;
};

}  // namespace sb
