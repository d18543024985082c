// A throw-away database for one test: a fresh SQLite file in a scratch
// directory, or (when SWITCHBOARD_TEST_DATABASE holds a PostgreSQL conninfo,
// keyword or URL form) a database created on that server and dropped
// afterwards. An unreachable server fails the test loudly, never skips it.
// Shared by the store's unit tests and the integration tests.
// Thread-safety: one per test, used from the test thread.
#pragma once

#include <memory>
#include <string>

#include <Poco/Data/Session.h>

#include "config/config.hpp"
#include "scratch_directory.hpp"

namespace sb::testing {

class ScratchDatabase {
 public:
  ScratchDatabase();  // records a test failure (ok() false) if it cannot be created
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  bool ok() const { return ok_; }
  bool isSqlite() const { return sqlite_; }
  const DatabaseConfig& config() const { return config_; }
  const std::string& url() const { return config_.url; }  // value for database.url
  const std::string& sqliteFile() const { return sqliteFile_; }
  const std::string& databaseName() const { return databaseName_; }
  // A session outside the Store, for inspecting what the Store wrote.
  Poco::Data::Session rawSession() const;

 private:
  bool ok_ = false;
  bool sqlite_ = true;
  DatabaseConfig config_;
  std::unique_ptr<ScratchDirectory> directory_;
  std::string sqliteFile_;
  std::string adminConninfo_;
  std::string databaseName_;
};

}  // namespace sb::testing
