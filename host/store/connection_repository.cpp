#include "store/connection_repository.hpp"

#include <set>

#include "store/record_ids.hpp"
#include "store/sql_query.hpp"
#include "store/sql_scope.hpp"

namespace sb {
namespace {

using store::Database;
using store::Row;
using store::SqlQuery;
using store::toFlag;
using store::toInt64;

constexpr const char* kConfigColumns =
    "SELECT id, name, type, display_name, description, icon_url, url, settings_json, enabled, disabled_reason,"
    " created_at, updated_at FROM connections";

constexpr const char* kTokenColumns =
    "SELECT id, user_id, connection_name, state, token_sealed, account_label, scopes, expires_at_ms, generation,"
    " refresh_not_before_ms, created_at, updated_at FROM oauth_tokens";

ConnectionRecord configFromRow(const Row& row) {
  ConnectionRecord out;
  out.id = row[0];
  out.name = row[1];
  out.type = row[2];
  out.displayName = row[3];
  out.description = row[4];
  out.iconUrl = row[5];
  out.url = row[6];
  out.settingsJson = row[7];
  out.enabled = toFlag(row[8]);
  out.disabledReason = row[9];
  out.createdAt = row[10];
  out.updatedAt = row[11];
  return out;
}

OAuthTokenRecord tokenFromRow(const Row& row) {
  OAuthTokenRecord out;
  out.id = row[0];
  out.userId = row[1];
  out.connectionName = row[2];
  // The CHECK constraint admits only the two names.
  out.state = row[3] == "revoked" ? GrantState::Revoked : GrantState::Connected;
  out.tokenSealed = row[4];
  out.accountLabel = row[5];
  out.scopes = row[6];
  out.expiresAtMs = toInt64(row[7]);
  out.generation = toInt64(row[8]);
  out.refreshNotBeforeMs = toInt64(row[9]);
  out.createdAt = row[10];
  out.updatedAt = row[11];
  return out;
}

bool sameConfiguredFields(const ConnectionRecord& a, const ConnectionRecord& b) {
  return a.type == b.type && a.displayName == b.displayName && a.description == b.description &&
         a.iconUrl == b.iconUrl && a.url == b.url && a.settingsJson == b.settingsJson && a.enabled == b.enabled &&
         a.disabledReason == b.disabledReason;
}

// The configured fields in the order both the insert and the update of a
// sync name them: type .. disabled_reason, updated_at, then name.
SqlQuery& bindConfigured(SqlQuery& query, const ConnectionRecord& wanted, const std::string& now) {
  return query.arg(wanted.type)
      .arg(wanted.displayName)
      .arg(wanted.description)
      .arg(wanted.iconUrl)
      .arg(wanted.url)
      .arg(wanted.settingsJson)
      .flag(wanted.enabled)
      .arg(wanted.disabledReason)
      .arg(now)
      .arg(wanted.name);
}

// The grant's fields in the order both putToken statements name them.
SqlQuery& bindGrant(SqlQuery& query, const OAuthTokenRecord& token, const std::string& now) {
  return query.arg(toString(token.state))
      .arg(token.tokenSealed)
      .arg(token.accountLabel)
      .arg(token.scopes)
      .arg(token.expiresAtMs)
      .arg(now);
}

std::optional<OAuthTokenRecord> tokenWhere(Poco::Data::Session& session, const Database& db,
                                           const std::string& where, const std::vector<std::string>& args) {
  SqlQuery query(session, db, std::string(kTokenColumns) + " WHERE " + where);
  for (const std::string& arg : args) query.arg(arg);
  auto rows = query.rows();
  if (rows.empty()) return std::nullopt;
  return tokenFromRow(rows.front());
}

}  // namespace

const char* toString(GrantState state) { return state == GrantState::Revoked ? "revoked" : "connected"; }

Result<ConnectionSyncReport> ConnectionRepository::syncConfigs(const std::vector<ConnectionRecord>& configured) {
  return store::writeIn(scope_, "sync connection configs",
                        [&](Poco::Data::Session& session) -> Result<ConnectionSyncReport> {
                          const Database& db = *scope_.db;
                          ConnectionSyncReport report;
                          std::set<std::string> names;
                          const std::string now = store::utcNow();
                          for (const ConnectionRecord& wanted : configured) {
                            names.insert(wanted.name);
                            auto rows = SqlQuery(session, db, std::string(kConfigColumns) + " WHERE name = ?")
                                            .arg(wanted.name)
                                            .rows();
                            if (rows.empty()) {
                              SqlQuery insert(session, db,
                                              "INSERT INTO connections(type, display_name, description, icon_url,"
                                              " url, settings_json, enabled, disabled_reason, updated_at, name, id,"
                                              " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                              bindConfigured(insert, wanted, now).arg(store::newRecordId("con_")).arg(now).run();
                              ++report.added;
                              continue;
                            }
                            if (sameConfiguredFields(configFromRow(rows.front()), wanted)) continue;
                            SqlQuery update(session, db,
                                            "UPDATE connections SET type = ?, display_name = ?, description = ?,"
                                            " icon_url = ?, url = ?, settings_json = ?, enabled = ?,"
                                            " disabled_reason = ?, updated_at = ? WHERE name = ?");
                            bindConfigured(update, wanted, now).run();
                            ++report.updated;
                          }
                          for (const Row& row : SqlQuery(session, db, std::string(kConfigColumns)).rows()) {
                            const ConnectionRecord stored = configFromRow(row);
                            if (names.count(stored.name) > 0) continue;
                            if (!stored.enabled && stored.disabledReason == kConnectionRemovedReason) continue;
                            SqlQuery(session, db,
                                     "UPDATE connections SET enabled = 0, disabled_reason = ?, updated_at = ?"
                                     " WHERE name = ?")
                                .arg(kConnectionRemovedReason)
                                .arg(now)
                                .arg(stored.name)
                                .run();
                            ++report.disabled;
                          }
                          return report;
                        });
}

Result<std::vector<ConnectionRecord>> ConnectionRepository::listConfigs() {
  return store::readIn(scope_, "list connections", [&](Poco::Data::Session& session) -> Result<std::vector<ConnectionRecord>> {
    std::vector<ConnectionRecord> out;
    for (const Row& row : SqlQuery(session, *scope_.db, std::string(kConfigColumns) + " ORDER BY name").rows()) {
      out.push_back(configFromRow(row));
    }
    return out;
  });
}

Result<std::optional<ConnectionRecord>> ConnectionRepository::getConfig(const std::string& name) {
  return store::readIn(scope_, "get connection '" + name + "'",
                       [&](Poco::Data::Session& session) -> Result<std::optional<ConnectionRecord>> {
                         auto rows = SqlQuery(session, *scope_.db, std::string(kConfigColumns) + " WHERE name = ?")
                                         .arg(name)
                                         .rows();
                         if (rows.empty()) return std::optional<ConnectionRecord>();
                         return std::optional<ConnectionRecord>(configFromRow(rows.front()));
                       });
}

Result<OAuthTokenRecord> ConnectionRepository::putToken(const OAuthTokenRecord& token) {
  return store::writeIn(scope_, "store oauth token", [&](Poco::Data::Session& session) -> Result<OAuthTokenRecord> {
    const Database& db = *scope_.db;
    const std::string now = store::utcNow();
    auto existing = tokenWhere(session, db, "user_id = ? AND connection_name = ?", {token.userId, token.connectionName});
    if (!existing) {
      SqlQuery insert(session, db,
                      "INSERT INTO oauth_tokens(state, token_sealed, account_label, scopes, expires_at_ms, updated_at,"
                      " id, user_id, connection_name, created_at, generation, refresh_not_before_ms)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0)");
      bindGrant(insert, token, now)
          .arg(store::newRecordId("otk_"))
          .arg(token.userId)
          .arg(token.connectionName)
          .arg(now)
          .run();
    } else {
      SqlQuery update(session, db,
                      "UPDATE oauth_tokens SET state = ?, token_sealed = ?, account_label = ?, scopes = ?,"
                      " expires_at_ms = ?, updated_at = ?, generation = generation + 1, refresh_not_before_ms = 0"
                      " WHERE id = ?");
      bindGrant(update, token, now).arg(existing->id).run();
      SqlQuery(session, db, "DELETE FROM oauth_refresh_leases WHERE token_id = ?").arg(existing->id).run();
    }
    auto stored = tokenWhere(session, db, "user_id = ? AND connection_name = ?", {token.userId, token.connectionName});
    if (!stored) return Status(ErrorCode::Internal, "the stored oauth token cannot be read back");
    return *stored;
  });
}

Result<std::optional<OAuthTokenRecord>> ConnectionRepository::getToken(const std::string& userId,
                                                                       const std::string& connectionName) {
  return store::readIn(scope_, "get oauth token", [&](Poco::Data::Session& session) -> Result<std::optional<OAuthTokenRecord>> {
    return tokenWhere(session, *scope_.db, "user_id = ? AND connection_name = ?", {userId, connectionName});
  });
}

Result<std::optional<OAuthTokenRecord>> ConnectionRepository::getTokenById(const std::string& tokenId) {
  return store::readIn(scope_, "get oauth token", [&](Poco::Data::Session& session) -> Result<std::optional<OAuthTokenRecord>> {
    return tokenWhere(session, *scope_.db, "id = ?", {tokenId});
  });
}

Result<std::vector<OAuthTokenRecord>> ConnectionRepository::listTokens(const std::string& userId) {
  return store::readIn(scope_, "list oauth tokens", [&](Poco::Data::Session& session) -> Result<std::vector<OAuthTokenRecord>> {
    std::vector<OAuthTokenRecord> out;
    for (const Row& row :
         SqlQuery(session, *scope_.db, std::string(kTokenColumns) + " WHERE user_id = ? ORDER BY connection_name")
             .arg(userId)
             .rows()) {
      out.push_back(tokenFromRow(row));
    }
    return out;
  });
}

Result<bool> ConnectionRepository::deleteToken(const std::string& userId, const std::string& connectionName) {
  return store::writeIn(scope_, "delete oauth token", [&](Poco::Data::Session& session) -> Result<bool> {
    const std::size_t removed =
        SqlQuery(session, *scope_.db, "DELETE FROM oauth_tokens WHERE user_id = ? AND connection_name = ?")
            .arg(userId)
            .arg(connectionName)
            .run();
    return removed > 0;
  });
}

Result<bool> ConnectionRepository::acquireRefreshLease(const std::string& tokenId, const std::string& owner,
                                                       std::int64_t nowMs, std::int64_t leaseMs) {
  return store::writeIn(scope_, "take refresh lease", [&](Poco::Data::Session& session) -> Result<bool> {
    const Database& db = *scope_.db;
    SqlQuery(session, db, "DELETE FROM oauth_refresh_leases WHERE token_id = ? AND expires_at_ms <= ?")
        .arg(tokenId)
        .arg(nowMs)
        .run();
    // The primary key decides: a concurrent insert waits for this one and
    // then does nothing.
    const std::size_t inserted =
        SqlQuery(session, db,
                 "INSERT INTO oauth_refresh_leases(token_id, owner, expires_at_ms) VALUES (?, ?, ?)"
                 " ON CONFLICT (token_id) DO NOTHING")
            .arg(tokenId)
            .arg(owner)
            .arg(nowMs + leaseMs)
            .run();
    return inserted == 1;
  });
}

Result<RefreshCompletion> ConnectionRepository::completeRefresh(const OAuthTokenRecord& refreshed,
                                                                std::int64_t expectedGeneration,
                                                                const std::string& owner) {
  return store::writeIn(scope_, "store refreshed oauth token",
                        [&](Poco::Data::Session& session) -> Result<RefreshCompletion> {
                          const Database& db = *scope_.db;
                          const std::size_t changed =
                              SqlQuery(session, db,
                                       "UPDATE oauth_tokens SET token_sealed = ?, scopes = ?, expires_at_ms = ?,"
                                       " generation = generation + 1, refresh_not_before_ms = 0, updated_at = ?"
                                       " WHERE id = ? AND generation = ? AND state = 'connected'")
                                  .arg(refreshed.tokenSealed)
                                  .arg(refreshed.scopes)
                                  .arg(refreshed.expiresAtMs)
                                  .arg(store::utcNow())
                                  .arg(refreshed.id)
                                  .arg(expectedGeneration)
                                  .run();
                          SqlQuery(session, db, "DELETE FROM oauth_refresh_leases WHERE token_id = ? AND owner = ?")
                              .arg(refreshed.id)
                              .arg(owner)
                              .run();
                          auto stored = tokenWhere(session, db, "id = ?", {refreshed.id});
                          if (!stored) return Status(ErrorCode::NotFound, "the oauth token was deleted meanwhile");
                          // Committed either way, so the lease is released.
                          return RefreshCompletion{changed == 1, std::move(*stored)};
                        });
}

Status ConnectionRepository::releaseRefreshLease(const std::string& tokenId, const std::string& owner,
                                                 std::int64_t notBeforeMs) {
  return store::writeIn(scope_, "release refresh lease", [&](Poco::Data::Session& session) -> Status {
    const Database& db = *scope_.db;
    SqlQuery(session, db, "UPDATE oauth_tokens SET refresh_not_before_ms = ? WHERE id = ?")
        .arg(notBeforeMs)
        .arg(tokenId)
        .run();
    SqlQuery(session, db, "DELETE FROM oauth_refresh_leases WHERE token_id = ? AND owner = ?")
        .arg(tokenId)
        .arg(owner)
        .run();
    return Status::ok();
  });
}

Status ConnectionRepository::markRevoked(const std::string& tokenId) {
  return store::writeIn(scope_, "mark oauth token revoked", [&](Poco::Data::Session& session) -> Status {
    const Database& db = *scope_.db;
    SqlQuery(session, db, "UPDATE oauth_tokens SET state = 'revoked', updated_at = ? WHERE id = ?")
        .arg(store::utcNow())
        .arg(tokenId)
        .run();
    SqlQuery(session, db, "DELETE FROM oauth_refresh_leases WHERE token_id = ?").arg(tokenId).run();
    return Status::ok();
  });
}

Status ConnectionRepository::putPendingAuthorization(const PendingAuthorization& pending) {
  return store::writeIn(scope_, "store pending authorization", [&](Poco::Data::Session& session) -> Status {
    SqlQuery(session, *scope_.db,
             "INSERT INTO oauth_states(state_hash, user_id, connection_name, pending_sealed, expires_at_ms)"
             " VALUES (?, ?, ?, ?, ?)")
        .arg(pending.stateHash)
        .arg(pending.userId)
        .arg(pending.connectionName)
        .arg(pending.pendingSealed)
        .arg(pending.expiresAtMs)
        .run();
    return Status::ok();
  });
}

Result<std::optional<PendingAuthorization>> ConnectionRepository::consumePendingAuthorization(
    const std::string& stateHash, std::int64_t nowMs) {
  return store::writeIn(scope_, "use pending authorization",
                        [&](Poco::Data::Session& session) -> Result<std::optional<PendingAuthorization>> {
                          const Database& db = *scope_.db;
                          auto rows = SqlQuery(session, db,
                                               "SELECT state_hash, user_id, connection_name, pending_sealed,"
                                               " expires_at_ms FROM oauth_states WHERE state_hash = ?")
                                          .arg(stateHash)
                                          .rows();
                          if (rows.empty()) return std::optional<PendingAuthorization>();
                          // The delete decides who used it: a concurrent one
                          // waits for this row and then removes nothing.
                          const std::size_t removed =
                              SqlQuery(session, db, "DELETE FROM oauth_states WHERE state_hash = ?")
                                  .arg(stateHash)
                                  .run();
                          const Row& row = rows.front();
                          PendingAuthorization out{row[0], row[1], row[2], row[3], toInt64(row[4])};
                          if (removed != 1 || out.expiresAtMs <= nowMs) return std::optional<PendingAuthorization>();
                          return std::optional<PendingAuthorization>(std::move(out));
                        });
}

Status ConnectionRepository::prunePendingAuthorizations(std::int64_t nowMs) {
  return store::writeIn(scope_, "prune pending authorizations", [&](Poco::Data::Session& session) -> Status {
    SqlQuery(session, *scope_.db, "DELETE FROM oauth_states WHERE expires_at_ms <= ?").arg(nowMs).run();
    return Status::ok();
  });
}

Result<std::optional<std::string>> ConnectionRepository::getClientRegistration(const std::string& issuer) {
  return store::readIn(scope_, "read client registration",
                       [&](Poco::Data::Session& session) -> Result<std::optional<std::string>> {
                         auto rows = SqlQuery(session, *scope_.db,
                                              "SELECT registration_sealed FROM oauth_client_registrations"
                                              " WHERE issuer = ?")
                                         .arg(issuer)
                                         .rows();
                         if (rows.empty()) return std::optional<std::string>();
                         return std::optional<std::string>(rows.front()[0]);
                       });
}

Status ConnectionRepository::putClientRegistration(const std::string& issuer, const std::string& registrationSealed) {
  return store::writeIn(scope_, "store client registration", [&](Poco::Data::Session& session) -> Status {
    SqlQuery(session, *scope_.db,
             "INSERT INTO oauth_client_registrations(issuer, registration_sealed, updated_at) VALUES (?, ?, ?)"
             " ON CONFLICT (issuer) DO UPDATE SET registration_sealed = excluded.registration_sealed,"
             " updated_at = excluded.updated_at")
        .arg(issuer)
        .arg(registrationSealed)
        .arg(store::utcNow())
        .run();
    return Status::ok();
  });
}

Status ConnectionRepository::deleteClientRegistration(const std::string& issuer) {
  return store::writeIn(scope_, "delete client registration", [&](Poco::Data::Session& session) -> Status {
    SqlQuery(session, *scope_.db, "DELETE FROM oauth_client_registrations WHERE issuer = ?").arg(issuer).run();
    return Status::ok();
  });
}

}  // namespace sb
