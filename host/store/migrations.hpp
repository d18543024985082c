// The forward-only schema history compiled into the binary. A schema change is
// a new entry at the end, never an edit of an old one. Statements are single
// SQL statements (PostgreSQL prepares them one by one), the same on SQLite and
// PostgreSQL unless the dialects differ (identity columns), when a statement
// carries one text per backend. Thread-safety: immutable after first use.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace sb::store {

struct MigrationStatement {
  MigrationStatement(const char* both) : sqlite(both) {}  // NOLINT: implicit by design
  MigrationStatement(std::string sqliteSql, std::string postgresSql)
      : sqlite(std::move(sqliteSql)), postgres(std::move(postgresSql)) {}
  const std::string& forBackend(bool isSqlite) const {
    return isSqlite || postgres.empty() ? sqlite : postgres;
  }
  std::string sqlite;
  std::string postgres;  // empty: the same text as on SQLite
};

struct Migration {
  int version = 0;
  std::string name;
  std::vector<MigrationStatement> statements;
};

// Ordered by version, starting at 1, without gaps. (The runner applies each
// version not yet recorded, in order, so it would tolerate a gap too.)
const std::vector<Migration>& schemaMigrations();

}  // namespace sb::store
