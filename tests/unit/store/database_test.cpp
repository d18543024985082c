#include <thread>
#include <vector>

#include <Poco/File.h>
#include <gtest/gtest.h>

#include "store/database.hpp"
#include "store/sql_query.hpp"
#include "test_database.hpp"

namespace sb::testing {
namespace {

using store::Database;
using store::SqlQuery;

std::string scalar(Poco::Data::Session& session, const Database& db, const std::string& sql) {
  auto rows = SqlQuery(session, db, sql).rows();
  return rows.empty() || rows.front().empty() ? std::string("<no rows>") : rows.front().front();
}

// Every session the pool hands out, including ones opened while others are in
// use, must carry the per-connection settings.
TEST(Database, EveryPooledSessionHasItsSettings) {
  ScratchDatabase database;
  ASSERT_TRUE(database.ok());
  DatabaseConfig config = database.config();
  config.poolMin = 1;
  config.poolMax = 4;
  config.busyTimeoutMs = 4321;
  auto opened = Database::open(config);
  ASSERT_TRUE(opened.isOk()) << opened.status().message();
  Database& db = *opened.value();

  for (int round = 0; round < 2; ++round) {  // round 2 reuses the returned sessions
    std::vector<Poco::Data::Session> held;
    for (int i = 0; i < 4; ++i) held.push_back(db.session());
    for (auto& session : held) {
      if (database.isSqlite()) {
        EXPECT_EQ(scalar(session, db, "PRAGMA journal_mode"), "wal");
        EXPECT_EQ(scalar(session, db, "PRAGMA foreign_keys"), "1");
        EXPECT_EQ(scalar(session, db, "PRAGMA busy_timeout"), "4321");
      } else {
        EXPECT_EQ(scalar(session, db, "SELECT current_database()"), database.databaseName());
      }
    }
  }
  if (database.isSqlite()) {
    EXPECT_TRUE(Poco::File(database.sqliteFile()).exists()) << database.sqliteFile();
    EXPECT_TRUE(Poco::File(database.sqliteFile() + "-wal").exists());
  }
}

TEST(Database, PlaceholdersFollowTheBackend) {
  ScratchDatabase database;
  ASSERT_TRUE(database.ok());
  auto opened = Database::open(database.config());
  ASSERT_TRUE(opened.isOk()) << opened.status().message();
  Database& db = *opened.value();
  EXPECT_EQ(db.dialect("a = ? AND b = ?"), database.isSqlite() ? "a = ? AND b = ?" : "a = $1 AND b = $2");
  auto session = db.session();
  auto rows = SqlQuery(session, db, "SELECT COUNT(*) FROM (SELECT 1 AS x) t WHERE t.x = ?").arg(1).rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "1");
}

TEST(Database, ForeignKeysAreEnforcedThroughTheStore) {
  ScratchDatabase database;
  ASSERT_TRUE(database.ok());
  auto opened = Database::open(database.config());
  ASSERT_TRUE(opened.isOk()) << opened.status().message();
  Database& db = *opened.value();
  auto session = db.session();
  SqlQuery(session, db, "CREATE TABLE parent (id TEXT PRIMARY KEY)").run();
  SqlQuery(session, db, "CREATE TABLE child (parent_id TEXT NOT NULL REFERENCES parent(id))").run();
  try {
    SqlQuery(session, db, "INSERT INTO child(parent_id) VALUES (?)").arg("missing").run();
    ADD_FAILURE() << "insert violating a foreign key was accepted";
  } catch (const std::exception& error) {
    Status status = db.failure(error, "insert child");
    EXPECT_EQ(status.code(), ErrorCode::Internal) << status.message();
    EXPECT_NE(status.message().find("insert child failed"), std::string::npos);
  }
}

}  // namespace
}  // namespace sb::testing

namespace sb::testing {
namespace {

// Reads are repeated only when the connection itself failed; anything else
// (here a syntax error) surfaces at once, on both backends.
TEST(Database, ReadsAreNotRepeatedForOrdinaryErrors) {
  ScratchDatabase database;
  ASSERT_TRUE(database.ok());
  auto opened = Database::open(database.config());
  ASSERT_TRUE(opened.isOk()) << opened.status().message();
  Database& db = *opened.value();
  int calls = 0;
  EXPECT_ANY_THROW(db.read([&](Poco::Data::Session& session) {
    ++calls;
    return SqlQuery(session, db, "SELEC 1").rows().size();
  }));
  EXPECT_EQ(calls, 1);
}

// PostgreSQL closes pooled connections under us (restart, failover, idle
// kill). The next reads must still succeed: each dead session fails once,
// is dropped, and the read moves on to another. SQLite has no server
// connection to lose, so there the same reads simply succeed first time.
TEST(Database, ReadsSurviveTheServerClosingPooledConnections) {
  ScratchDatabase database;
  ASSERT_TRUE(database.ok());
  DatabaseConfig config = database.config();
  config.poolMin = 1;
  config.poolMax = 4;
  auto opened = Store::open(config);
  ASSERT_TRUE(opened.isOk()) << opened.status().message();
  Store& store = *opened.value();
  ASSERT_TRUE(store.migrate().isOk());
  ASSERT_TRUE(store.users().ensureUser("dana", false).isOk());
  // Fill the pool with open connections, all idle again afterwards.
  {
    std::vector<std::thread> readers;
    for (int i = 0; i < 4; ++i) readers.emplace_back([&] { EXPECT_TRUE(store.ping().isOk()); });
    for (auto& reader : readers) reader.join();
  }
  if (!database.isSqlite()) {
    Poco::Data::Session admin = database.rawSession();
    int terminated = 0;
    admin << "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
             "WHERE datname = current_database() AND pid <> pg_backend_pid()",
        Poco::Data::Keywords::into(terminated), Poco::Data::Keywords::now;
    EXPECT_GE(terminated, 1) << "the store should have had pooled connections to close";
  }
  for (int i = 0; i < 6; ++i) {
    auto user = store.users().findUser("dana");
    ASSERT_TRUE(user.isOk()) << "read " << i << ": " << user.status().message();
    ASSERT_TRUE(user->has_value());
    EXPECT_TRUE(store.ping().isOk());
  }
}

}  // namespace
}  // namespace sb::testing
