#include "store/event_repository.hpp"

#include <algorithm>

#include "store/sql_query.hpp"
#include "store/sql_scope.hpp"

namespace sb {
namespace {

using store::Database;
using store::Row;
using store::SqlQuery;
using store::toInt64;

// Key of the PostgreSQL advisory lock every event append takes (the
// migration lock is ...042).
constexpr const char* kAppendLockSql = "SELECT 1 FROM pg_advisory_xact_lock(5377011043)";

constexpr const char* kEventColumns =
    "SELECT id, project_id, type, subject, for_viewer, for_editor, for_admin, for_owner, created_at_ms FROM events";

StoredEvent eventFromRow(const Row& row) {
  StoredEvent event;
  event.id = toInt64(row[0]);
  event.projectId = row[1];
  event.type = row[2];
  event.subject = row[3];
  for (std::size_t i = 0; i < event.payloads.size(); ++i) {
    if (!row[4 + i].empty()) event.payloads[i] = row[4 + i];
  }
  event.createdAtMs = toInt64(row[8]);
  return event;
}

Status checkEvent(const NewEvent& event) {
  if (event.projectId.empty() || event.type.empty()) {
    return {ErrorCode::InvalidArgument, "an event needs a project id and a type",
            event.projectId.empty() ? "projectId" : "type"};
  }
  return Status::ok();
}

// Inside a write: serialises appends (see the header) and inserts.
std::int64_t insertEvent(Poco::Data::Session& session, const Database& db, const NewEvent& event,
                         std::int64_t nowMs) {
  if (!db.isSqlite()) SqlQuery(session, db, kAppendLockSql).rows();
  const std::string insert =
      "INSERT INTO events(project_id, type, subject, for_viewer, for_editor, for_admin, for_owner, created_at_ms)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
  SqlQuery query(session, db, db.isSqlite() ? insert : insert + " RETURNING id");
  query.arg(event.projectId).arg(event.type).arg(event.subject);
  for (const auto& payload : event.payloads) query.arg(payload.value_or(std::string()));
  query.arg(nowMs);
  if (!db.isSqlite()) return toInt64(query.rows().at(0).at(0));
  query.run();
  return toInt64(SqlQuery(session, db, "SELECT last_insert_rowid()").rows().at(0).at(0));
}

}  // namespace

std::size_t roleIndex(Role role) {
  switch (role) {
    case Role::Viewer: return 0;
    case Role::Editor: return 1;
    case Role::Admin: return 2;
    case Role::Owner: return 3;
  }
  return 0;
}

Result<std::int64_t> EventRepository::append(const NewEvent& event, std::int64_t nowMs) {
  if (Status bad = checkEvent(event); !bad.isOk()) return bad;
  return store::writeIn(scope_, "append event to project '" + event.projectId + "'",
                        [&](Poco::Data::Session& session) -> Result<std::int64_t> {
                          return insertEvent(session, *scope_.db, event, nowMs);
                        });
}

Result<std::int64_t> EventRepository::appendIfChanged(const NewEvent& event, const std::string& provider,
                                                      const std::string& hash, std::int64_t nowMs) {
  if (Status bad = checkEvent(event); !bad.isOk()) return bad;
  return store::writeIn(
      scope_, "append status event to project '" + event.projectId + "'",
      [&](Poco::Data::Session& session) -> Result<std::int64_t> {
        const Database& db = *scope_.db;
        // The lock first: the hash read below must not race another instance's write.
        if (!db.isSqlite()) SqlQuery(session, db, kAppendLockSql).rows();
        if (!store::lockProject(session, db, event.projectId)) return std::int64_t{0};
        auto rows = SqlQuery(session, db, "SELECT hash FROM status_hashes WHERE project_id = ? AND provider = ?")
                        .arg(event.projectId)
                        .arg(provider)
                        .rows();
        if (!rows.empty() && rows.front()[0] == hash) return std::int64_t{0};
        SqlQuery(session, db,
                 "INSERT INTO status_hashes(project_id, provider, hash) VALUES (?, ?, ?) "
                 "ON CONFLICT (project_id, provider) DO UPDATE SET hash = excluded.hash")
            .arg(event.projectId)
            .arg(provider)
            .arg(hash)
            .run();
        return insertEvent(session, db, event, nowMs);
      });
}

Result<std::vector<StoredEvent>> EventRepository::listAfter(std::int64_t afterId,
                                                            const std::vector<std::string>& projectIds,
                                                            std::size_t limit) {
  return store::readIn(scope_, "list events", [&](Poco::Data::Session& session) -> Result<std::vector<StoredEvent>> {
    std::string sql = std::string(kEventColumns) + " WHERE id > ?";
    if (!projectIds.empty()) {
      sql += " AND project_id IN (";
      for (std::size_t i = 0; i < projectIds.size(); ++i) sql += i == 0 ? "?" : ", ?";
      sql += ")";
    }
    sql += " ORDER BY id LIMIT " + std::to_string(limit);
    SqlQuery query(session, *scope_.db, sql);
    query.arg(afterId);
    for (const std::string& id : projectIds) query.arg(id);
    std::vector<StoredEvent> out;
    for (const Row& row : query.rows()) out.push_back(eventFromRow(row));
    return out;
  });
}

Result<std::int64_t> EventRepository::latestId() {
  return store::readIn(scope_, "read the newest event id", [&](Poco::Data::Session& session) -> Result<std::int64_t> {
    const Database& db = *scope_.db;
    // The sequence, not MAX(id): ids of pruned events are never handed out again.
    const char* sql = db.isSqlite() ? "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)"
                                    : "SELECT COALESCE(MAX(id), 0) FROM events";
    std::int64_t latest = toInt64(SqlQuery(session, db, sql).rows().at(0).at(0));
    if (!db.isSqlite()) {
      // MAX(id) of an emptied table is 0; what pruning removed still counts.
      latest = std::max(latest, toInt64(SqlQuery(session, db, "SELECT value FROM event_log WHERE name = 'pruned_through'")
                                            .rows()
                                            .at(0)
                                            .at(0)));
    }
    return latest;
  });
}

Result<std::int64_t> EventRepository::prunedThrough() {
  return store::readIn(scope_, "read the event pruning mark", [&](Poco::Data::Session& session) -> Result<std::int64_t> {
    return toInt64(SqlQuery(session, *scope_.db, "SELECT value FROM event_log WHERE name = 'pruned_through'")
                       .rows()
                       .at(0)
                       .at(0));
  });
}

Result<std::size_t> EventRepository::pruneBefore(std::int64_t cutoffMs, std::int64_t nowMs) {
  return store::writeIn(scope_, "prune events", [&](Poco::Data::Session& session) -> Result<std::size_t> {
    const Database& db = *scope_.db;
    // Under the append lock, so the mark never passes an id still committing.
    if (!db.isSqlite()) SqlQuery(session, db, kAppendLockSql).rows();
    auto newest = SqlQuery(session, db, "SELECT COALESCE(MAX(id), 0) FROM events WHERE created_at_ms < ?")
                      .arg(cutoffMs)
                      .rows();
    const std::int64_t through = toInt64(newest.at(0).at(0));
    std::size_t removed = 0;
    if (through > 0) {
      // By id, not by age: everything up to the mark goes, so the log never has holes below it.
      removed = SqlQuery(session, db, "DELETE FROM events WHERE id <= ?").arg(through).run();
      SqlQuery(session, db, "UPDATE event_log SET value = ? WHERE name = 'pruned_through' AND value < ?")
          .arg(through)
          .arg(through)
          .run();
    }
    SqlQuery(session, db, "DELETE FROM event_tickets WHERE expires_at_ms < ? OR used_at_ms > 0").arg(nowMs).run();
    return removed;
  });
}

Status EventRepository::putTicket(const std::string& ticketSha256Hex, const EventTicket& ticket,
                                  std::int64_t expiresAtMs) {
  return store::writeIn(scope_, "store event ticket", [&](Poco::Data::Session& session) -> Status {
    SqlQuery(session, *scope_.db,
             "INSERT INTO event_tickets(ticket_hash, user_id, project_id, expires_at_ms) VALUES (?, ?, ?, ?)")
        .arg(ticketSha256Hex)
        .arg(ticket.userId)
        .arg(ticket.projectId)
        .arg(expiresAtMs)
        .run();
    return Status::ok();
  });
}

Result<std::optional<EventTicket>> EventRepository::claimTicket(const std::string& ticketSha256Hex,
                                                                std::int64_t nowMs) {
  return store::writeIn(scope_, "claim event ticket",
                        [&](Poco::Data::Session& session) -> Result<std::optional<EventTicket>> {
                          const Database& db = *scope_.db;
                          // One statement decides: two claims of one ticket cannot both update it.
                          const std::size_t claimed =
                              SqlQuery(session, db,
                                       "UPDATE event_tickets SET used_at_ms = ? "
                                       "WHERE ticket_hash = ? AND used_at_ms = 0 AND expires_at_ms > ?")
                                  .arg(nowMs)
                                  .arg(ticketSha256Hex)
                                  .arg(nowMs)
                                  .run();
                          if (claimed != 1) return std::optional<EventTicket>();
                          auto rows = SqlQuery(session, db,
                                               "SELECT user_id, project_id FROM event_tickets WHERE ticket_hash = ?")
                                          .arg(ticketSha256Hex)
                                          .rows();
                          if (rows.empty()) return std::optional<EventTicket>();
                          return std::optional<EventTicket>(EventTicket{rows.front()[0], rows.front()[1]});
                        });
}

}  // namespace sb
