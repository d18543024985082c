// A throw-away database for one test: a fresh SQLite file in a temp dir, or
// (when SWITCHBOARD_TEST_DATABASE holds a PostgreSQL conninfo) a database
// created on that server and dropped afterwards. An unreachable server fails
// the test loudly. Thread-safety: one per test, used from the test thread.
#pragma once

#include <memory>
#include <string>

#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include "store/store.hpp"

namespace sb::testing {

class TestDatabase {
 public:
  TestDatabase();  // records a fatal failure (ok() false) if it cannot be created
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  bool ok() const { return ok_; }
  bool isSqlite() const { return sqlite_; }
  const DatabaseConfig& config() const { return config_; }
  const std::string& sqliteFile() const { return sqliteFile_; }
  const std::string& databaseName() const { return databaseName_; }
  // A session outside the Store, for inspecting what the Store wrote.
  Poco::Data::Session rawSession() const;

 private:
  bool ok_ = false;
  bool sqlite_ = true;
  DatabaseConfig config_;
  std::string tempDir_;
  std::string sqliteFile_;
  std::string adminConninfo_;
  std::string databaseName_;
};

// Fixture: a TestDatabase plus an opened, migrated Store.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  // Opens another Store on the same database (as a second instance would).
  std::unique_ptr<Store> openAnother() const;

  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<Store> store_;
};

// 64 lowercase hex chars derived from `seed`, shaped like a SHA-256 hex digest.
std::string fakeTokenHash(const std::string& seed);

}  // namespace sb::testing
