#include <limits>

#include "config/path_resolution.hpp"
#include "config/sections.hpp"

namespace sb::config {
namespace {

constexpr const char* kSqlitePrefix = "sqlite:";
constexpr const char* kInMemory = ":memory:";

bool startsWith(const std::string& text, const char* prefix) {
  return text.rfind(prefix, 0) == 0;
}

bool isPostgresUrl(const std::string& url) {
  return startsWith(url, "postgresql://") || startsWith(url, "postgres://") ||
         url.find("dbname=") != std::string::npos || url.find("host=") != std::string::npos;
}

}  // namespace

std::string resolveDatabaseUrl(const std::string& url, const std::string& baseDirectory) {
  if (!startsWith(url, kSqlitePrefix)) return url;
  const std::string path = url.substr(std::string(kSqlitePrefix).size());
  if (path == kInMemory) return url;
  return kSqlitePrefix + resolveAgainst(baseDirectory, path);
}

void readDatabaseSection(MappingReader& section, DatabaseConfig& out) {
  section.expectKeys({"url", "pool_min", "pool_max", "busy_timeout_ms"});
  constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();
  std::string url;
  section.readString("url", url);
  if (section.ok() && section.has("url")) {
    // The URL may carry a password: messages describe it, never echo it.
    if (startsWith(url, kSqlitePrefix)) {
      if (url.size() == std::string(kSqlitePrefix).size()) {
        section.fail("url", "'sqlite:' needs a file path (e.g. sqlite:var/switchboard.db)");
      }
    } else if (!isPostgresUrl(url)) {
      section.fail("url",
                   "must be 'sqlite:PATH' or a PostgreSQL connection string "
                   "('postgresql://...', 'postgres://...' or 'host=... dbname=...')");
    }
    if (section.ok()) out.url = url;
  }
  section.readInt("pool_min", out.poolMin, 1, 1024);
  section.readInt("pool_max", out.poolMax, 1, 1024);
  if (section.ok() && out.poolMax < out.poolMin) {
    section.fail(section.has("pool_max") ? "pool_max" : "pool_min",
                 "pool_max (" + std::to_string(out.poolMax) + ") must be >= pool_min (" +
                     std::to_string(out.poolMin) + ")");
  }
  section.readInt("busy_timeout_ms", out.busyTimeoutMs, 1, kIntMax);
  if (section.ok()) {
    try {
      out.url = resolveDatabaseUrl(out.url, section.source().baseDirectory);
    } catch (const std::exception& error) {
      section.fail("url", std::string("not a usable sqlite path: ") + error.what());
    }
  }
}

}  // namespace sb::config
