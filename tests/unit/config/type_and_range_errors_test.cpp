#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace sb {
namespace {

using testing::expectError;

TEST(ConfigTypeErrors, Server) {
  expectError("server:\n  port: abc\n", "2:9: server.port: expected an integer, got 'abc'",
              "server.port");
  expectError("server:\n  threads: [1]\n",
              "2:12: server.threads: expected an integer, got a sequence", "server.threads");
  expectError("server:\n  max_body_bytes: {a: 1}\n",
              "2:19: server.max_body_bytes: expected an integer, got a mapping",
              "server.max_body_bytes");
  expectError("server:\n  port: 80.5\n", "2:9: server.port: expected an integer, got '80.5'",
              "server.port");
  expectError("server:\n  port:\n", "2:3: server.port: expected an integer, got null",
              "server.port");
  expectError("server:\n  host: [a]\n", "2:9: server.host: expected a string, got a sequence",
              "server.host");
  expectError("server: 5\n", "1:9: server: expected a mapping, got '5'", "server");
  expectError("server:\n  reuse_port: yes\n", "2:15: server.reuse_port: expected true or false, got 'yes'",
              "server.reuse_port");
}

TEST(ConfigTypeErrors, Database) {
  expectError("database:\n  pool_max: many\n",
              "2:13: database.pool_max: expected an integer, got 'many'", "database.pool_max");
  expectError("database:\n  url: [sqlite]\n",
              "2:8: database.url: expected a string, got a sequence", "database.url");
  expectError("database: [url]\n", "1:11: database: expected a mapping, got a sequence",
              "database");
}

TEST(ConfigTypeErrors, Plugins) {
  expectError("plugins:\n  directory: {a: b}\n",
              "2:14: plugins.directory: expected a string, got a mapping", "plugins.directory");
  expectError("plugins:\n  enabled: github\n",
              "2:12: plugins.enabled: expected a list of plugins, got 'github'",
              "plugins.enabled");
  expectError("plugins:\n  enabled:\n    - [github]\n",
              "3:7: plugins.enabled[0]: expected a plugin name or a mapping with 'name', got a "
              "sequence",
              "plugins.enabled[0]");
  expectError("plugins:\n  enabled:\n    - name: github\n      timeout_ms: soon\n",
              "4:19: plugins.enabled[0].timeout_ms: expected an integer, got 'soon'",
              "plugins.enabled[0].timeout_ms");
  expectError("plugins:\n  enabled:\n    - name: github\n      settings: [1, 2]\n",
              "4:17: plugins.enabled[0].settings: expected a mapping, got a sequence",
              "plugins.enabled[0].settings");
}

TEST(ConfigTypeErrors, SecretsAndLogging) {
  expectError("secrets:\n  key: [1]\n", "2:8: secrets.key: expected a string, got a sequence",
              "secrets.key");
  expectError("secrets:\n  key_file: {}\n",
              "2:13: secrets.key_file: expected a string, got a mapping", "secrets.key_file");
  expectError("logging:\n  level: [info]\n",
              "2:10: logging.level: expected a string, got a sequence", "logging.level");
  expectError("logging:\n  access_log: {}\n",
              "2:15: logging.access_log: expected a string, got a mapping", "logging.access_log");
}

TEST(ConfigRangeErrors, Server) {
  expectError("server:\n  port: 65536\n",
              "2:9: server.port: must be between 0 and 65535, got 65536", "server.port");
  expectError("server:\n  port: -1\n", "2:9: server.port: must be between 0 and 65535, got -1",
              "server.port");
  expectError("server:\n  threads: 0\n",
              "2:12: server.threads: must be between 1 and 1024, got 0", "server.threads");
  expectError("server:\n  threads: 1025\n",
              "2:12: server.threads: must be between 1 and 1024, got 1025", "server.threads");
  expectError("server:\n  max_body_bytes: 0\n",
              "2:19: server.max_body_bytes: must be between 1 and 1073741824, got 0",
              "server.max_body_bytes");
  expectError("server:\n  idle_timeout_ms: 0\n",
              "2:20: server.idle_timeout_ms: must be between 1 and 2147483647, got 0",
              "server.idle_timeout_ms");
  expectError("server:\n  header_timeout_ms: 99999999999999999999999\n",
              "2:22: server.header_timeout_ms: must be between 1 and 2147483647, got "
              "99999999999999999999999",
              "server.header_timeout_ms");
  expectError("server:\n  max_header_bytes: 100\n",
              "2:21: server.max_header_bytes: must be between 256 and 1048576, got 100",
              "server.max_header_bytes");
  expectError("server:\n  stream_outbox_bytes: 1\n",
              "2:24: server.stream_outbox_bytes: must be between 4096 and 1073741824, got 1",
              "server.stream_outbox_bytes");
  expectError("server:\n  host: ''\n",
              "2:9: server.host: must not be empty (use 0.0.0.0 to listen on every interface)",
              "server.host");
}

TEST(ConfigRangeErrors, Database) {
  expectError("database:\n  pool_min: 0\n",
              "2:13: database.pool_min: must be between 1 and 1024, got 0", "database.pool_min");
  expectError("database:\n  pool_min: 4\n  pool_max: 2\n",
              "3:13: database.pool_max: pool_max (2) must be >= pool_min (4)",
              "database.pool_max");
  // Only pool_min given: the default pool_max (16) is the one it conflicts with.
  expectError("database:\n  pool_min: 20\n",
              "2:13: database.pool_min: pool_max (16) must be >= pool_min (20)",
              "database.pool_min");
  expectError("database:\n  busy_timeout_ms: 0\n",
              "2:20: database.busy_timeout_ms: must be between 1 and 2147483647, got 0",
              "database.busy_timeout_ms");
  expectError("database:\n  url: mysql://root:hunter2@db/sb\n",
              "2:8: database.url: must be 'sqlite:PATH' or a PostgreSQL connection string "
              "('postgresql://...', 'postgres://...' or 'host=... dbname=...')",
              "database.url");
  expectError("database:\n  url: 'sqlite:'\n",
              "2:8: database.url: 'sqlite:' needs a file path (e.g. sqlite:var/switchboard.db)",
              "database.url");
}

TEST(ConfigRangeErrors, DatabaseUrlPasswordIsNeverEchoed) {
  Result<Config> result = testing::parse("database:\n  url: mysql://root:hunter2@db/sb\n");
  ASSERT_FALSE(result.isOk());
  EXPECT_EQ(result.status().message().find("hunter2"), std::string::npos);
}

TEST(ConfigRangeErrors, PluginsAndLogging) {
  expectError("plugins:\n  enabled:\n    - name: github\n      timeout_ms: 0\n",
              "4:19: plugins.enabled[0].timeout_ms: must be between 1 and 600000, got 0",
              "plugins.enabled[0].timeout_ms");
  expectError("plugins:\n  enabled:\n    - name: github\n      max_response_bytes: 0\n",
              "4:27: plugins.enabled[0].max_response_bytes: must be between 1 and 1073741824, "
              "got 0",
              "plugins.enabled[0].max_response_bytes");
  expectError("logging:\n  level: verbose\n",
              "2:10: logging.level: must be one of 'trace', 'debug', 'info', 'warning', "
              "'error', got 'verbose'",
              "logging.level");
  expectError("logging:\n  file: ''\n",
              "2:9: logging.file: must be '-' (stderr) or a file path", "logging.file");
}

}  // namespace
}  // namespace sb

namespace sb {
namespace {

TEST(StatusSection, ReadsValuesAndRefusesAnInvertedTtlRange) {
  auto config = parseConfig("status:\n  deadline_ms: 500\n  cache_ttl_min_ms: 1000\n  cache_ttl_max_ms: 2000\n"
                            "  breaker_failures: 5\n", "switchboard.yaml");
  ASSERT_TRUE(config) << config.status().message();
  EXPECT_EQ(config->status.deadlineMs, 500);
  EXPECT_EQ(config->status.cacheTtlMaxMs, 2000);
  EXPECT_EQ(config->status.breakerFailures, 5);
  auto inverted = parseConfig("status:\n  cache_ttl_min_ms: 3000\n  cache_ttl_max_ms: 2000\n", "switchboard.yaml");
  ASSERT_FALSE(inverted);
  EXPECT_NE(inverted.status().message().find("switchboard.yaml:3:"), std::string::npos) << inverted.status().message();
  EXPECT_EQ(inverted.status().field(), "status.cache_ttl_max_ms");
  auto tooShort = parseConfig("status:\n  deadline_ms: 5\n", "switchboard.yaml");
  ASSERT_FALSE(tooShort);
  EXPECT_EQ(tooShort.status().field(), "status.deadline_ms");
}

}  // namespace
}  // namespace sb

namespace sb {
namespace {

TEST(ConfigEvents, DefaultsAndRanges) {
  auto defaults = testing::parse("");
  ASSERT_TRUE(defaults.isOk());
  EXPECT_EQ(defaults->events.heartbeatMs, 15000);
  EXPECT_EQ(defaults->events.retentionHours, 24);
  EXPECT_EQ(defaults->events.ticketTtlMs, 60000);
  auto set = testing::parse("events:\n  heartbeat_ms: 100\n  poll_ms: 50\n  retention_hours: 2\n");
  ASSERT_TRUE(set.isOk()) << set.status().message();
  EXPECT_EQ(set->events.heartbeatMs, 100);
  EXPECT_EQ(set->events.pollMs, 50);
  EXPECT_EQ(set->events.retentionHours, 2);
  testing::expectError("events:\n  heartbeat_ms: 0\n",
                       "2:17: events.heartbeat_ms: must be between 10 and 3600000, got 0", "events.heartbeat_ms");
  testing::expectError("events:\n  retention_hours: many\n",
                       "2:20: events.retention_hours: expected an integer, got 'many'", "events.retention_hours");
}

}  // namespace
}  // namespace sb
