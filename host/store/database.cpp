#include "store/database.hpp"

#include <chrono>
#include <mutex>
#include <thread>

#include <Poco/Data/DataException.h>
#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/PostgreSQL/PostgreSQLException.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>

#include "core/private_file.hpp"
#include "store/conninfo.hpp"

namespace sb::store {
namespace {

using Poco::Data::Keywords::now;

void registerConnectorsOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::PostgreSQL::Connector::registerConnector();
  });
}

bool containsAny(const std::string& text, std::initializer_list<const char*> needles) {
  for (const char* needle : needles) {
    if (text.find(needle) != std::string::npos) return true;
  }
  return false;
}

bool looksLikeConnectionProblem(const std::exception& error, const std::string& text) {
  if (dynamic_cast<const Poco::Data::PostgreSQL::ConnectionException*>(&error) ||
      dynamic_cast<const Poco::Data::ConnectionFailedException*>(&error) ||
      dynamic_cast<const Poco::Data::NotConnectedException*>(&error) ||
      dynamic_cast<const Poco::Data::SessionUnavailableException*>(&error) ||
      dynamic_cast<const Poco::Data::SessionPoolExhaustedException*>(&error) ||
      dynamic_cast<const Poco::Data::SQLite::DBLockedException*>(&error) ||
      dynamic_cast<const Poco::Data::SQLite::TableLockedException*>(&error) ||
      dynamic_cast<const Poco::Data::SQLite::CantOpenDBFileException*>(&error) ||
      dynamic_cast<const Poco::Data::SQLite::IOErrorException*>(&error) ||
      dynamic_cast<const Poco::Data::SQLite::DatabaseFullException*>(&error)) {
    return true;
  }
  // libpq reports a dropped connection through the statement that hit it.
  return containsAny(text, {"server closed the connection", "no connection to the server",
                            "could not connect", "Connection refused", "terminating connection",
                            "database is locked", "connection to server"});
}

bool isUniqueViolation(const std::exception& error, const std::string& text) {
  if (dynamic_cast<const Poco::Data::SQLite::ConstraintViolationException*>(&error)) {
    return containsAny(text, {"UNIQUE constraint failed", "PRIMARY KEY"});
  }
  return containsAny(text, {"duplicate key value violates unique constraint"});
}

// libpq messages end in newlines and carry tab-indented hints; one line reads
// better in logs and problem bodies.
std::string describe(const std::exception& error) {
  const auto* poco = dynamic_cast<const Poco::Exception*>(&error);
  std::string text = poco != nullptr ? poco->displayText() : std::string(error.what());
  std::string out;
  bool pendingSpace = false;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t') {
      pendingSpace = !out.empty();
      continue;
    }
    if (pendingSpace && c != ' ') out += ' ';
    pendingSpace = false;
    out += c;
  }
  return out;
}

// SQLite settings are per connection, and a pooled connection keeps them, so
// they are applied once when the pool opens a connection rather than on every
// checkout (which would cost three statements per query).
class SqliteSessionPool : public Poco::Data::SessionPool {
 public:
  SqliteSessionPool(const std::string& path, int minSessions, int maxSessions, int busyTimeoutMs)
      : SessionPool(Poco::Data::SQLite::Connector::KEY, path, minSessions, maxSessions),
        busyTimeoutMs_(busyTimeoutMs) {}

 protected:
  void customizeSession(Poco::Data::Session& session) override {
    session << "PRAGMA busy_timeout=" + std::to_string(busyTimeoutMs_), now;
    session << "PRAGMA foreign_keys=ON", now;
    std::string mode;
    session << "PRAGMA journal_mode=WAL", Poco::Data::Keywords::into(mode), now;
  }

 private:
  int busyTimeoutMs_;
};

}  // namespace

Database::Database(std::unique_ptr<Poco::Data::SessionPool> pool, bool sqlite, int busyTimeoutMs,
                   int maxSessions, std::string conninfo)
    : pool_(std::move(pool)), sqlite_(sqlite), busyTimeoutMs_(busyTimeoutMs),
      maxSessions_(maxSessions), conninfo_(std::move(conninfo)) {}

bool Database::isConnectionProblem(const std::exception& error) {
  return looksLikeConnectionProblem(error, describe(error));
}

Database::~Database() {
  try {
    pool_->shutdown();
  } catch (...) {
    // Closing connections during teardown has nothing left to report to.
  }
}

Result<std::unique_ptr<Database>> Database::open(const DatabaseConfig& config) {
  if (config.poolMin < 0 || config.poolMax < 1 || config.poolMin > config.poolMax) {
    return Result<std::unique_ptr<Database>>(
        ErrorCode::InvalidArgument,
        "database pool sizes must satisfy 0 <= poolMin <= poolMax and poolMax >= 1", "database");
  }
  if (config.busyTimeoutMs < 0) {
    return Result<std::unique_ptr<Database>>(ErrorCode::InvalidArgument,
                                             "database busy timeout must not be negative",
                                             "database.busyTimeoutMs");
  }
  registerConnectorsOnce();
  const bool sqlite = config.isSqlite();
  std::string connector;
  std::string connectionString;
  if (sqlite) {
    std::string path = config.sqlitePath();
    if (path.empty() || path == ":memory:") {
      return Result<std::unique_ptr<Database>>(
          ErrorCode::InvalidArgument,
          "sqlite: needs a file path (an in-memory database cannot be shared by a session pool)",
          "database.url");
    }
    connector = Poco::Data::SQLite::Connector::KEY;
    connectionString = path;
  } else {
    auto keywords = toKeywordConninfo(config.url);
    if (!keywords) return keywords.status();
    connector = Poco::Data::PostgreSQL::Connector::KEY;
    connectionString = std::move(keywords.value());
  }
  std::unique_ptr<Database> database;
  try {
    if (sqlite) {
      Poco::Path parent = Poco::Path(connectionString).makeParent();
      if (!parent.toString().empty()) Poco::File(parent).createDirectories();
      // The database holds sealed secrets and token hashes: 0600 whatever the
      // umask. SQLite gives -wal and -shm the database file's mode when it
      // creates them; ones left by an earlier run are tightened here.
      for (const std::string& file : {connectionString, connectionString + "-wal", connectionString + "-shm"}) {
        const Status made = file == connectionString ? ensurePrivateFile(file) : restrictIfPresent(file);
        if (!made) {
          return Result<std::unique_ptr<Database>>(ErrorCode::Unavailable,
                                                   "cannot open SQLite database " + config.sqlitePath() + ": " +
                                                       made.message(),
                                                   "database.url");
        }
      }
    }
    std::unique_ptr<Poco::Data::SessionPool> pool;
    if (sqlite) {
      pool = std::make_unique<SqliteSessionPool>(connectionString, config.poolMin, config.poolMax,
                                                 config.busyTimeoutMs);
    } else {
      pool = std::make_unique<Poco::Data::SessionPool>(connector, connectionString,
                                                       config.poolMin, config.poolMax);
    }
    database.reset(
        new Database(std::move(pool), sqlite, config.busyTimeoutMs, config.poolMax, config.url));
    Poco::Data::Session probe = database->session();
    int one = 0;
    probe << "SELECT 1", Poco::Data::Keywords::into(one), now;
  } catch (const std::exception& error) {
    std::string what = sqlite ? "cannot open SQLite database " + config.sqlitePath()
                              : std::string("cannot connect to PostgreSQL");
    return Result<std::unique_ptr<Database>>(
        ErrorCode::Unavailable, redactPassword(what + ": " + describe(error), config.url),
        "database.url");
  }
  return database;
}

Poco::Data::Session Database::session() {
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(std::max(busyTimeoutMs_, 1000));
  for (;;) {
    try {
      return pool_->get();
    } catch (const Poco::Data::SessionPoolExhaustedException&) {
      // Poco does not queue callers; wait briefly for another thread to return one.
      if (std::chrono::steady_clock::now() >= deadline) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
}

std::string Database::dialect(std::string_view sql) const {
  return sqlite_ ? std::string(sql) : withDollarPlaceholders(sql);
}

Status Database::failure(const std::exception& error, const std::string& action) const {
  std::string text = describe(error);
  std::string message = redactPassword(action + " failed: " + text, conninfo_);
  if (looksLikeConnectionProblem(error, text)) return {ErrorCode::Unavailable, std::move(message)};
  if (isUniqueViolation(error, text)) return {ErrorCode::AlreadyExists, std::move(message)};
  return {ErrorCode::Internal, std::move(message)};
}

WriteTransaction::WriteTransaction(Poco::Data::Session& session, bool sqlite)
    : session_(session), sqlite_(sqlite) {
  if (sqlite_) {
    session_ << "BEGIN IMMEDIATE", now;
  } else {
    session_.begin();
  }
}

WriteTransaction::~WriteTransaction() {
  if (!open_) return;
  try {
    if (sqlite_) {
      session_ << "ROLLBACK", now;
    } else {
      session_.rollback();
    }
  } catch (...) {
    // The original failure is already being reported; a failed rollback on a
    // broken connection only means the server discards the transaction itself.
  }
}

void WriteTransaction::commit() {
  if (sqlite_) {
    session_ << "COMMIT", now;
  } else {
    session_.commit();
  }
  open_ = false;
}

}  // namespace sb::store
