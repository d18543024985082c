#include "store/sql_query.hpp"

#include <charconv>

#include <Poco/Data/RecordSet.h>

namespace sb::store {

SqlQuery::SqlQuery(Poco::Data::Session& session, const Database& database, std::string_view sql)
    : statement_(session) {
  statement_ << database.dialect(sql);
}

SqlQuery& SqlQuery::arg(const std::string& value) {
  statement_.addBind(Poco::Data::Keywords::bind(value));
  return *this;
}

SqlQuery& SqlQuery::arg(int value) {
  statement_.addBind(Poco::Data::Keywords::bind(value));
  return *this;
}

SqlQuery& SqlQuery::arg(std::int64_t value) {
  statement_.addBind(Poco::Data::Keywords::bind(static_cast<Poco::Int64>(value)));
  return *this;
}

std::size_t SqlQuery::run() { return statement_.execute(); }

std::vector<Row> SqlQuery::rows() {
  statement_.execute();
  Poco::Data::RecordSet records(statement_);
  const std::size_t columns = records.columnCount();
  const std::size_t count = records.rowCount();
  std::vector<Row> out;
  out.reserve(count);
  for (std::size_t r = 0; r < count; ++r) {
    Row row;
    row.reserve(columns);
    for (std::size_t c = 0; c < columns; ++c) {
      Poco::Dynamic::Var value = records.value(c, r);
      row.push_back(value.isEmpty() ? std::string() : value.convert<std::string>());
    }
    out.push_back(std::move(row));
  }
  return out;
}

int toInt(const std::string& text) {
  int value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::int64_t toInt64(const std::string& text) {
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

bool toFlag(const std::string& text) { return text == "1" || text == "t" || text == "true"; }

}  // namespace sb::store
