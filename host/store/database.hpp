// The connection side of the store: one Poco SessionPool per Store, sessions
// handed out with per-connection settings applied, SQL dialect translation,
// and the mapping from Poco exceptions to Status (passwords redacted).
// Owned by a SqlStore. Thread-safety: session() may be called from any thread;
// a Session it returns belongs to the calling thread until destroyed.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include <Poco/Data/Session.h>
#include <Poco/Data/SessionPool.h>

#include "config/config.hpp"
#include "core/result.hpp"

namespace sb::store {

class Database {
 public:
  // Opens the pool and proves it works by taking one session.
  static Result<std::unique_ptr<Database>> open(const DatabaseConfig& config);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  bool isSqlite() const { return sqlite_; }

  // A pooled session with foreign keys, WAL and busy timeout applied (SQLite).
  // Waits up to the busy timeout for a free session. Throws Poco exceptions.
  Poco::Data::Session session();

  // Runs read-only `work(session)`. A pooled PostgreSQL connection that the
  // server closed (restart, failover, idle kill) fails on its first use and is
  // then dropped by the pool; reads are safe to repeat, so they try another
  // session while the failure is about the connection, at most pool size + 1
  // times. Writes are never repeated: a lost COMMIT acknowledgement is
  // ambiguous. Throws what the last attempt threw.
  template <class Work>
  auto read(Work&& work) -> decltype(work(std::declval<Poco::Data::Session&>())) {
    for (int attempt = 1;; ++attempt) {
      Poco::Data::Session session = this->session();
      try {
        return work(session);
      } catch (const std::exception& error) {
        if (sqlite_ || attempt > maxSessions_ || !isConnectionProblem(error)) throw;
      }
    }
  }

  // SQL written with `?` placeholders, in this backend's dialect.
  std::string dialect(std::string_view sql) const;

  // Turns any exception into a Status: connection trouble -> Unavailable,
  // unique violations -> AlreadyExists, anything else -> Internal.
  // `action` says what was being done ("create project").
  Status failure(const std::exception& error, const std::string& action) const;

 private:
  Database(std::unique_ptr<Poco::Data::SessionPool> pool, bool sqlite, int busyTimeoutMs,
           int maxSessions, std::string conninfo);
  static bool isConnectionProblem(const std::exception& error);

  std::unique_ptr<Poco::Data::SessionPool> pool_;
  bool sqlite_;
  int busyTimeoutMs_;
  int maxSessions_;
  std::string conninfo_;  // kept only to redact its password from messages
};

// A write transaction. SQLite: BEGIN IMMEDIATE, so writers queue on the busy
// timeout instead of failing when a read-then-write transaction is upgraded.
// Rolls back on destruction unless committed.
class WriteTransaction {
 public:
  WriteTransaction(Poco::Data::Session& session, bool sqlite);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void commit();

 private:
  Poco::Data::Session& session_;
  bool sqlite_;
  bool open_ = true;
};

}  // namespace sb::store
