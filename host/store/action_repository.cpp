#include "store/action_repository.hpp"

#include <algorithm>

#include "store/record_ids.hpp"
#include "store/sql_query.hpp"
#include "store/sql_scope.hpp"

namespace sb {
namespace {

using store::Database;
using store::Row;
using store::SqlQuery;
using store::toInt;
using store::toInt64;

constexpr const char* kActionColumns =
    "SELECT id, project_id, user_id, provider, action, params_json, state, progress_json, result_json, error_json,"
    " lease_owner, lease_expires_ms, created_at, updated_at FROM actions";

ActionRecord actionFromRow(const Row& row) {
  ActionRecord out;
  out.id = row[0];
  out.projectId = row[1];
  out.userId = row[2];
  out.provider = row[3];
  out.action = row[4];
  out.paramsJson = row[5];
  // The CHECK constraint admits only the four names.
  out.state = parseActionState(row[6]).value_or(ActionState::Failed);
  out.progressJson = row[7];
  out.resultJson = row[8];
  out.errorJson = row[9];
  out.leaseOwner = row[10];
  out.leaseExpiresMs = toInt64(row[11]);
  out.createdAt = row[12];
  out.updatedAt = row[13];
  return out;
}

std::int64_t ceilSeconds(std::int64_t ms) { return std::max<std::int64_t>(1, (ms + 999) / 1000); }

Result<RateDecision> decide(Poco::Data::Session& session, const Database& db, const std::string& bucket, int limit,
                            std::int64_t windowMs, std::int64_t nowMs, bool record) {
  // Counting and recording must not interleave with another instance's; a peek records nothing.
  if (record && !db.isSqlite()) {
    SqlQuery(session, db, "SELECT 1 FROM pg_advisory_xact_lock(7301, hashtext(?))").arg(bucket).rows();
  }
  auto rows = SqlQuery(session, db, "SELECT COUNT(*), COALESCE(MIN(at_ms), 0) FROM rate_limit_hits WHERE bucket = ? AND at_ms > ?")
                  .arg(bucket)
                  .arg(nowMs - windowMs)
                  .rows();
  const int count = toInt(rows.at(0).at(0));
  const std::int64_t oldest = count > 0 ? toInt64(rows.at(0).at(1)) : nowMs;
  RateDecision decision;
  decision.allowed = count < limit;
  if (decision.allowed && record) {
    SqlQuery(session, db, "INSERT INTO rate_limit_hits(bucket, at_ms) VALUES (?, ?)").arg(bucket).arg(nowMs).run();
  }
  const int used = count + (decision.allowed && record ? 1 : 0);
  decision.remaining = std::max(0, limit - used);
  decision.resetSeconds = used == 0 ? 0 : ceilSeconds(oldest + windowMs - nowMs);
  return decision;
}

}  // namespace

const char* toString(ActionState state) {
  switch (state) {
    case ActionState::Pending: return "pending";
    case ActionState::Running: return "running";
    case ActionState::Succeeded: return "succeeded";
    case ActionState::Failed: return "failed";
  }
  return "failed";
}

std::optional<ActionState> parseActionState(const std::string& text) {
  for (ActionState state : {ActionState::Pending, ActionState::Running, ActionState::Succeeded, ActionState::Failed}) {
    if (text == toString(state)) return state;
  }
  return std::nullopt;
}

Result<KeyReservation> ActionRepository::reserveKey(const std::string& userId, const std::string& key,
                                                    const std::string& requestHash, std::int64_t nowMs,
                                                    std::int64_t expireBeforeMs) {
  return store::writeIn(scope_, "reserve idempotency key", [&](Poco::Data::Session& session) -> Result<KeyReservation> {
    const Database& db = *scope_.db;
    SqlQuery(session, db, "DELETE FROM idempotency_keys WHERE user_id = ? AND idempotency_key = ? AND created_at_ms < ?")
        .arg(userId)
        .arg(key)
        .arg(expireBeforeMs)
        .run();
    // The primary key decides: a concurrent insert of the same key waits for
    // this one and then does nothing.
    const std::size_t inserted =
        SqlQuery(session, db,
                 "INSERT INTO idempotency_keys(user_id, idempotency_key, request_hash, state, created_at_ms)"
                 " VALUES (?, ?, ?, 'running', ?) ON CONFLICT (user_id, idempotency_key) DO NOTHING")
            .arg(userId)
            .arg(key)
            .arg(requestHash)
            .arg(nowMs)
            .run();
    KeyReservation out;
    if (inserted == 1) {
      out.reserved = true;
      return out;
    }
    auto rows = SqlQuery(session, db,
                         "SELECT request_hash, state, response_status, response_body FROM idempotency_keys"
                         " WHERE user_id = ? AND idempotency_key = ?")
                    .arg(userId)
                    .arg(key)
                    .rows();
    if (rows.empty()) return Status(ErrorCode::Unavailable, "the idempotency key was released meanwhile; retry");
    out.stored = StoredKey{rows.front()[0], rows.front()[1] == "done", toInt(rows.front()[2]), rows.front()[3]};
    return out;
  });
}

Status ActionRepository::completeKey(const std::string& userId, const std::string& key, int status,
                                     const std::string& body) {
  return store::writeIn(scope_, "store idempotent response", [&](Poco::Data::Session& session) -> Status {
    SqlQuery(session, *scope_.db,
             "UPDATE idempotency_keys SET state = 'done', response_status = ?, response_body = ?"
             " WHERE user_id = ? AND idempotency_key = ?")
        .arg(status)
        .arg(body)
        .arg(userId)
        .arg(key)
        .run();
    return Status::ok();
  });
}

Status ActionRepository::releaseKey(const std::string& userId, const std::string& key, bool answeredToo) {
  return store::writeIn(scope_, "release idempotency key", [&](Poco::Data::Session& session) -> Status {
    SqlQuery(session, *scope_.db,
             answeredToo ? "DELETE FROM idempotency_keys WHERE user_id = ? AND idempotency_key = ?"
                         : "DELETE FROM idempotency_keys WHERE user_id = ? AND idempotency_key = ? AND state = 'running'")
        .arg(userId)
        .arg(key)
        .run();
    return Status::ok();
  });
}

Result<RateDecision> ActionRepository::hit(const std::string& bucket, int limit, std::int64_t windowMs,
                                           std::int64_t nowMs) {
  return store::writeIn(scope_, "count rate limit", [&](Poco::Data::Session& session) {
    return decide(session, *scope_.db, bucket, limit, windowMs, nowMs, true);
  });
}

Result<RateDecision> ActionRepository::peek(const std::string& bucket, int limit, std::int64_t windowMs,
                                            std::int64_t nowMs) {
  return store::readIn(scope_, "read rate limit", [&](Poco::Data::Session& session) {
    return decide(session, *scope_.db, bucket, limit, windowMs, nowMs, false);
  });
}

Status ActionRepository::insert(const ActionRecord& action) {
  return store::writeIn(scope_, "create action", [&](Poco::Data::Session& session) -> Status {
    const std::string now = action.createdAt.empty() ? store::utcNow() : action.createdAt;
    SqlQuery(session, *scope_.db,
             "INSERT INTO actions(id, project_id, user_id, provider, action, params_json, state, progress_json,"
             " result_json, error_json, lease_owner, lease_expires_ms, created_at, updated_at)"
             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .arg(action.id)
        .arg(action.projectId)
        .arg(action.userId)
        .arg(action.provider)
        .arg(action.action)
        .arg(action.paramsJson)
        .arg(toString(action.state))
        .arg(action.progressJson)
        .arg(action.resultJson)
        .arg(action.errorJson)
        .arg(action.leaseOwner)
        .arg(action.leaseExpiresMs)
        .arg(now)
        .arg(action.updatedAt.empty() ? now : action.updatedAt)
        .run();
    return Status::ok();
  });
}

Status ActionRepository::update(const ActionRecord& action) {
  return store::writeIn(scope_, "update action '" + action.id + "'", [&](Poco::Data::Session& session) -> Status {
    const std::size_t changed =
        SqlQuery(session, *scope_.db,
                 "UPDATE actions SET state = ?, progress_json = ?, result_json = ?, error_json = ?, lease_owner = ?,"
                 " lease_expires_ms = ?, updated_at = ? WHERE id = ?")
            .arg(toString(action.state))
            .arg(action.progressJson)
            .arg(action.resultJson)
            .arg(action.errorJson)
            .arg(action.leaseOwner)
            .arg(action.leaseExpiresMs)
            .arg(action.updatedAt.empty() ? store::utcNow() : action.updatedAt)
            .arg(action.id)
            .run();
    if (changed == 0) return Status(ErrorCode::NotFound, "action '" + action.id + "' not found", "id");
    return Status::ok();
  });
}

Result<std::optional<ActionRecord>> ActionRepository::get(const std::string& id) {
  return store::readIn(scope_, "get action '" + id + "'",
                       [&](Poco::Data::Session& session) -> Result<std::optional<ActionRecord>> {
                         auto rows =
                             SqlQuery(session, *scope_.db, std::string(kActionColumns) + " WHERE id = ?").arg(id).rows();
                         if (rows.empty()) return std::optional<ActionRecord>();
                         return std::optional<ActionRecord>(actionFromRow(rows.front()));
                       });
}

Result<std::vector<ActionRecord>> ActionRepository::listRecent(const std::string& projectId, std::size_t limit) {
  return store::readIn(scope_, "list actions of project '" + projectId + "'",
                       [&](Poco::Data::Session& session) -> Result<std::vector<ActionRecord>> {
                         auto rows = SqlQuery(session, *scope_.db,
                                              std::string(kActionColumns) +
                                                  " WHERE project_id = ? ORDER BY created_at DESC, id DESC LIMIT " +
                                                  std::to_string(limit))
                                         .arg(projectId)
                                         .rows();
                         std::vector<ActionRecord> out;
                         for (const Row& row : rows) out.push_back(actionFromRow(row));
                         return out;
                       });
}

Status ActionRepository::renewLeases(const std::string& owner, std::int64_t expiresMs) {
  return store::writeIn(scope_, "renew action leases", [&](Poco::Data::Session& session) -> Status {
    SqlQuery(session, *scope_.db,
             "UPDATE actions SET lease_expires_ms = ? WHERE lease_owner = ? AND state IN ('pending','running')")
        .arg(expiresMs)
        .arg(owner)
        .run();
    return Status::ok();
  });
}

Result<std::vector<ActionRecord>> ActionRepository::failInterrupted(const std::string& owner, std::int64_t nowMs) {
  return store::writeIn(scope_, "fail interrupted actions", [&](Poco::Data::Session& session) -> Result<std::vector<ActionRecord>> {
    const Database& db = *scope_.db;
    const std::string where = " WHERE state IN ('pending','running') AND (lease_owner = ? OR lease_expires_ms < ?)";
    auto rows = SqlQuery(session, db, std::string(kActionColumns) + where).arg(owner).arg(nowMs).rows();
    std::vector<ActionRecord> out;
    const std::string now = store::utcNow();
    for (const Row& row : rows) {
      ActionRecord action = actionFromRow(row);
      action.state = ActionState::Failed;
      action.errorJson = R"({"code":"interrupted","detail":"the server running this action stopped before it finished"})";
      action.leaseOwner.clear();
      action.leaseExpiresMs = 0;
      action.updatedAt = now;
      SqlQuery(session, db,
               "UPDATE actions SET state = 'failed', error_json = ?, lease_owner = '', lease_expires_ms = 0,"
               " updated_at = ? WHERE id = ?")
          .arg(action.errorJson)
          .arg(now)
          .arg(action.id)
          .run();
      out.push_back(std::move(action));
    }
    return out;
  });
}

Status ActionRepository::prune(std::int64_t keysBeforeMs, std::int64_t hitsBeforeMs) {
  return store::writeIn(scope_, "prune idempotency keys and rate hits", [&](Poco::Data::Session& session) -> Status {
    SqlQuery(session, *scope_.db, "DELETE FROM idempotency_keys WHERE created_at_ms < ?").arg(keysBeforeMs).run();
    SqlQuery(session, *scope_.db, "DELETE FROM rate_limit_hits WHERE at_ms < ?").arg(hitsBeforeMs).run();
    return Status::ok();
  });
}

}  // namespace sb
