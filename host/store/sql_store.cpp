#include "store/sql_store.hpp"

#include <algorithm>
#include <map>
#include <Poco/Exception.h>

#include "store/migrations.hpp"
#include "store/record_ids.hpp"
#include "store/sql_query.hpp"

namespace sb::store {
namespace {

// Key of the PostgreSQL advisory lock every migrating instance takes; any
// constant works as long as no other feature reuses it.
constexpr const char* kMigrationLockSql = "SELECT 1 FROM pg_advisory_xact_lock(5377011042)";

constexpr const char* kCreateMigrationTable =
    "CREATE TABLE schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at TEXT NOT NULL)";

bool migrationTableExists(Poco::Data::Session& session, const Database& db) {
  const char* sql =
      db.isSqlite() ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = "
                      "'schema_migrations'"
                    : "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = "
                      "current_schema() AND table_name = 'schema_migrations'";
  return toInt(SqlQuery(session, db, sql).rows().at(0).at(0)) > 0;
}

std::map<int, std::string> appliedVersions(Poco::Data::Session& session, const Database& db) {
  std::map<int, std::string> applied;
  for (const Row& row :
       SqlQuery(session, db, "SELECT version, applied_at FROM schema_migrations").rows()) {
    applied[toInt(row[0])] = row[1];
  }
  return applied;
}

int newestKnownVersion() {
  const auto& all = schemaMigrations();
  return all.empty() ? 0 : all.back().version;
}

}  // namespace

SqlStore::SqlStore(std::unique_ptr<Database> database) : db_(std::move(database)) {}

std::string SqlStore::backend() const { return db_->isSqlite() ? "sqlite" : "postgresql"; }

Status SqlStore::ping() {
  try {
    return db_->read([&](Poco::Data::Session& session) -> Status {
      SqlQuery(session, *db_, "SELECT 1").rows();
      return Status::ok();
    });
  } catch (const std::exception& error) {
    return db_->failure(error, "ping database");
  }
}

Result<int> SqlStore::migrate() {
  try {
    auto session = db_->session();
    int applied = 0;
    while (applyNextMigration(session)) ++applied;
    return applied;
  } catch (const std::exception& error) {
    return db_->failure(error, "migrate database schema");
  }
}

bool SqlStore::applyNextMigration(Poco::Data::Session& session) {
  WriteTransaction transaction(session, db_->isSqlite());
  // Pending versions are read only after the lock is held, so a second
  // instance migrating at the same time sees the first one's work.
  if (!db_->isSqlite()) SqlQuery(session, *db_, kMigrationLockSql).rows();
  // Checked rather than CREATE ... IF NOT EXISTS, which makes PostgreSQL
  // print a NOTICE on every start.
  if (!migrationTableExists(session, *db_)) SqlQuery(session, *db_, kCreateMigrationTable).run();
  const auto applied = appliedVersions(session, *db_);
  if (!applied.empty() && applied.rbegin()->first > newestKnownVersion()) {
    throw Poco::Exception("the database schema is at version " +
                          std::to_string(applied.rbegin()->first) +
                          ", newer than this build knows (" +
                          std::to_string(newestKnownVersion()) + "); refusing to run against it");
  }
  const auto& all = schemaMigrations();
  auto pending = std::find_if(all.begin(), all.end(), [&](const Migration& migration) {
    return applied.count(migration.version) == 0;
  });
  if (pending == all.end()) {
    transaction.commit();
    return false;
  }
  for (const std::string& statement : pending->statements) {
    SqlQuery(session, *db_, statement).run();
  }
  SqlQuery(session, *db_, "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)")
      .arg(pending->version)
      .arg(pending->name)
      .arg(utcNow())
      .run();
  transaction.commit();
  return true;
}

Result<std::vector<MigrationInfo>> SqlStore::migrations() {
  try {
    return db_->read([&](Poco::Data::Session& session) -> Result<std::vector<MigrationInfo>> {
      std::map<int, std::string> applied;
      if (migrationTableExists(session, *db_)) {
        applied = appliedVersions(session, *db_);
      }
      std::vector<MigrationInfo> out;
      for (const Migration& migration : schemaMigrations()) {
        auto found = applied.find(migration.version);
        out.push_back({migration.version, migration.name,
                       found == applied.end() ? std::string() : found->second});
      }
      return out;
    });
  } catch (const std::exception& error) {
    return db_->failure(error, "list schema migrations");
  }
}

}  // namespace sb::store
