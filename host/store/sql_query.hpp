// One parameterised SQL statement, written once with `?` placeholders and run
// on either backend; rows come back as text (NULL -> "") so callers parse
// them the same way whatever column types the driver reports.
// Thread-safety: use on the thread that owns the session.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include "store/database.hpp"

namespace sb::store {

using Row = std::vector<std::string>;

class SqlQuery {
 public:
  SqlQuery(Poco::Data::Session& session, const Database& database, std::string_view sql);

  SqlQuery& arg(const std::string& value);
  SqlQuery& arg(const char* value) { return arg(std::string(value)); }
  SqlQuery& arg(int value);
  SqlQuery& arg(std::int64_t value);
  SqlQuery& flag(bool value) { return arg(value ? 1 : 0); }

  // Executes; returns the number of rows affected (for writes).
  std::size_t run();
  // Executes; returns every row.
  std::vector<Row> rows();

 private:
  Poco::Data::Statement statement_;
};

int toInt(const std::string& text);  // 0 for text that is not a number
std::int64_t toInt64(const std::string& text);  // 0 for text that is not a number
bool toFlag(const std::string& text);  // "1"/"t"/"true" -> true

}  // namespace sb::store
