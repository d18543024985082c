// PostgreSQL connection strings for Poco's connector, and password redaction.
// Poco 1.11 only understands space-separated `key=value` conninfo, so URL form
// (postgresql://user:pass@host:port/db?opt=v) is rewritten here first.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sb::store {

// Returns `key=value ...` conninfo accepted by Poco's PostgreSQL connector.
// Adds connect_timeout=10 when absent so an unreachable server fails fast.
Result<std::string> toKeywordConninfo(const std::string& conninfo);

// Removes any password contained in `conninfo` from `message` (key=value
// form, URL user:password@ form, and the literal password value itself).
std::string redactPassword(std::string message, const std::string& conninfo);

// Rewrites `?` placeholders to PostgreSQL's `$1, $2, ...`, leaving quoted
// literals and identifiers untouched.
std::string withDollarPlaceholders(std::string_view sql);

}  // namespace sb::store
