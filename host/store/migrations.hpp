// The forward-only schema history compiled into the binary. A schema change is
// a new entry at the end, never an edit of an old one. Statements are single
// SQL statements (PostgreSQL prepares them one by one) valid on both SQLite
// and PostgreSQL. Thread-safety: immutable after first use.
#pragma once

#include <string>
#include <vector>

namespace sb::store {

struct Migration {
  int version = 0;
  std::string name;
  std::vector<std::string> statements;
};

// Ordered by version, starting at 1, without gaps.
const std::vector<Migration>& schemaMigrations();

}  // namespace sb::store
