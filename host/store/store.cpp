#include "store/store.hpp"

#include <algorithm>
#include <map>
#include <Poco/Exception.h>

#include "store/migrations.hpp"
#include "store/record_ids.hpp"
#include "store/sql_query.hpp"
#include "store/sql_scope.hpp"

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

// Applies the first pending migration, if any, under the migration lock.
// Returns whether one was applied.
bool applyNextMigration(Poco::Data::Session& session, const Database& db) {
  WriteTransaction transaction(session, db.isSqlite());
  // Pending versions are read only after the lock is held, so a second
  // instance migrating at the same time sees the first one's work.
  if (!db.isSqlite()) SqlQuery(session, db, kMigrationLockSql).rows();
  // Checked rather than CREATE ... IF NOT EXISTS, which makes PostgreSQL
  // print a NOTICE on every start.
  if (!migrationTableExists(session, db)) SqlQuery(session, db, kCreateMigrationTable).run();
  const auto applied = appliedVersions(session, db);
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
  for (const MigrationStatement& statement : pending->statements) {
    SqlQuery(session, db, statement.forBackend(db.isSqlite())).run();
  }
  SqlQuery(session, db, "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)")
      .arg(pending->version)
      .arg(pending->name)
      .arg(utcNow())
      .run();
  transaction.commit();
  return true;
}

}  // namespace

bool lockProject(Poco::Data::Session& session, const Database& db, const std::string& projectId) {
  const char* sql = db.isSqlite() ? "SELECT id FROM projects WHERE id = ?"
                                  : "SELECT id FROM projects WHERE id = ? FOR UPDATE";
  return !SqlQuery(session, db, sql).arg(projectId).rows().empty();
}

}  // namespace sb::store

namespace sb {

using store::Database;
using store::Row;
using store::SqlQuery;

Result<std::unique_ptr<Store>> Store::open(const DatabaseConfig& config) {
  auto database = Database::open(config);
  if (!database) return database.status();
  return std::unique_ptr<Store>(new Store(std::move(database.value())));
}

// The base is built first, from the pointer, before db_ takes ownership.
Store::Store(std::unique_ptr<Database> database)
    : Repositories(store::Scope{database.get(), nullptr}), db_(std::move(database)) {}

Store::~Store() = default;

std::string Store::backend() const { return db_->isSqlite() ? "sqlite" : "postgresql"; }

Status Store::ping() {
  return store::readIn(store::Scope{db_.get(), nullptr}, "ping database", [&](Poco::Data::Session& session) {
    SqlQuery(session, *db_, "SELECT 1").rows();
    return Status::ok();
  });
}

Result<int> Store::migrate() {
  try {
    auto session = db_->session();
    int applied = 0;
    while (store::applyNextMigration(session, *db_)) ++applied;
    return applied;
  } catch (const std::exception& error) {
    return db_->failure(error, "migrate database schema");
  }
}

Status Store::runTransaction(const std::function<Status(Tx&)>& work) {
  try {
    store::UnitOfWork unit(*db_);
    Tx tx(store::Scope{db_.get(), &unit});
    Status result = work(tx);
    if (!unit.failure.isOk()) return unit.failure;
    if (!result.isOk()) return result;  // the destructor rolls back
    unit.transaction.commit();
    return Status::ok();
  } catch (const std::exception& error) {
    return db_->failure(error, "run a transaction");
  }
}

Result<std::vector<MigrationInfo>> Store::migrations() {
  return store::readIn(store::Scope{db_.get(), nullptr}, "list schema migrations",
                      [&](Poco::Data::Session& session) -> Result<std::vector<MigrationInfo>> {
                        std::map<int, std::string> applied;
                        if (store::migrationTableExists(session, *db_)) {
                          applied = store::appliedVersions(session, *db_);
                        }
                        std::vector<MigrationInfo> out;
                        for (const store::Migration& migration : store::schemaMigrations()) {
                          auto found = applied.find(migration.version);
                          out.push_back({migration.version, migration.name,
                                         found == applied.end() ? std::string() : found->second});
                        }
                        return out;
                      });
}

}  // namespace sb
