#include "scratch_database.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <mutex>

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Exception.h>

#include "store/conninfo.hpp"
#include "store/record_ids.hpp"

namespace sb::testing {
namespace {

using Poco::Data::Keywords::now;

void registerConnectors() {
  static std::once_flag once;
  std::call_once(once, [] {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::PostgreSQL::Connector::registerConnector();
  });
}

std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Same server and credentials, different database.
std::string withDatabase(const std::string& conninfo, const std::string& name) {
  auto scheme = conninfo.find("://");
  if (scheme == std::string::npos) return conninfo + " dbname=" + name;
  auto pathStart = conninfo.find('/', scheme + 3);
  auto query = conninfo.find('?', scheme + 3);
  std::string head = conninfo.substr(0, std::min(pathStart, query));
  std::string tail = query == std::string::npos ? std::string() : conninfo.substr(query);
  return head + "/" + name + tail;
}

Poco::Data::Session postgresSession(const std::string& conninfo) {
  auto keywords = store::toKeywordConninfo(conninfo);
  if (!keywords) throw Poco::InvalidArgumentException(keywords.status().message());
  return Poco::Data::Session(Poco::Data::PostgreSQL::Connector::KEY, keywords.value());
}

}  // namespace

ScratchDatabase::ScratchDatabase() {
  registerConnectors();
  const char* env = std::getenv("SWITCHBOARD_TEST_DATABASE");
  std::string choice = env == nullptr ? std::string() : std::string(env);
  sqlite_ = choice.empty() || choice == "sqlite";
  if (sqlite_) {
    directory_ = std::make_unique<ScratchDirectory>();
    // A nested, not-yet-existing directory proves Store::open creates parents.
    sqliteFile_ = directory_->file("data/store.db");
    config_.url = "sqlite:" + sqliteFile_;
    ok_ = true;
    return;
  }
  adminConninfo_ = choice;
  databaseName_ = "sbtest_" + lowercase(store::newRecordId("").substr(0, 12));
  for (char& c : databaseName_) {
    if (c == '-' || c == '_') c = 'x';
  }
  try {
    Poco::Data::Session admin = postgresSession(adminConninfo_);
    admin << "CREATE DATABASE " + databaseName_, now;
  } catch (const Poco::Exception& error) {
    ADD_FAILURE() << "SWITCHBOARD_TEST_DATABASE names a PostgreSQL server ('"
                  << store::redactPassword(adminConninfo_, adminConninfo_)
                  << "') but creating a test database there failed: " << error.displayText();
    return;
  }
  config_.url = withDatabase(adminConninfo_, databaseName_);
  config_.poolMax = 16;
  ok_ = true;
}

ScratchDatabase::~ScratchDatabase() {
  if (sqlite_ || !ok_) return;  // the scratch directory removes the SQLite file
  try {
    Poco::Data::Session admin = postgresSession(adminConninfo_);
    admin << "DROP DATABASE IF EXISTS " + databaseName_ + " WITH (FORCE)", now;
  } catch (const Poco::Exception& error) {
    ADD_FAILURE() << "cannot drop test database " << databaseName_ << ": " << error.displayText();
  }
}

Poco::Data::Session ScratchDatabase::rawSession() const {
  if (sqlite_) return Poco::Data::Session(Poco::Data::SQLite::Connector::KEY, sqliteFile_);
  return postgresSession(config_.url);
}

}  // namespace sb::testing
