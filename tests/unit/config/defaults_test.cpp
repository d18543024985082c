#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace sb {
namespace {

using testing::kConfigFile;
using testing::parse;

TEST(ConfigDefaults, EmptyTextGivesStructDefaults) {
  for (const std::string text : {"", "\n\n", "# only a comment\n", "---\n", "~\n"}) {
    Result<Config> result = parse(text);
    ASSERT_TRUE(result.isOk()) << result.status().message();
    const Config& config = *result;
    EXPECT_EQ(config.server.host, "127.0.0.1");
    EXPECT_EQ(config.server.port, 8080);
    EXPECT_EQ(config.server.threads, 64);
    EXPECT_EQ(config.server.maxQueued, 1024);
    EXPECT_EQ(config.server.backlog, 1024);
    EXPECT_EQ(config.server.maxBodyBytes, std::size_t{1} << 20);
    EXPECT_EQ(config.server.headerTimeoutMs, 10000);
    EXPECT_EQ(config.server.idleTimeoutMs, 15000);
    EXPECT_EQ(config.server.maxKeepAliveRequests, 1000);
    EXPECT_EQ(config.server.ioThreads, 0);
    EXPECT_FALSE(config.server.reusePort);
    EXPECT_EQ(config.server.maxConnections, 20000);
    EXPECT_EQ(config.server.maxConnectionsPerClient, 256);
    EXPECT_EQ(config.server.maxHeaderBytes, 16384u);
    EXPECT_EQ(config.server.maxHeaderCount, 100);
    EXPECT_EQ(config.server.bodyTimeoutMs, 30000);
    EXPECT_EQ(config.server.writeTimeoutMs, 30000);
    EXPECT_EQ(config.server.streamOutboxBytes, 256u * 1024);
    // The default sqlite path is relative, so it is resolved like any other.
    EXPECT_EQ(config.database.url, "sqlite:/etc/switchboard/var/switchboard.db");
    EXPECT_EQ(config.database.poolMin, 1);
    EXPECT_EQ(config.database.poolMax, 16);
    EXPECT_EQ(config.database.busyTimeoutMs, 5000);
    EXPECT_EQ(config.plugins.directory, "");
    EXPECT_TRUE(config.plugins.enabled.empty());
    EXPECT_EQ(config.secrets.keyFile, "");
    EXPECT_EQ(config.secrets.key, "");
    EXPECT_EQ(config.logging.level, "info");
    EXPECT_EQ(config.logging.accessLog, "-");
    EXPECT_EQ(config.logging.file, "-");
    EXPECT_EQ(config.sourcePath, kConfigFile);
  }
}

TEST(ConfigDefaults, NullSectionsKeepDefaults) {
  Result<Config> result = parse("server:\ndatabase:\nplugins:\n  enabled:\nsecrets:\nlogging:\n");
  ASSERT_TRUE(result.isOk()) << result.status().message();
  EXPECT_EQ(result->server.port, 8080);
  EXPECT_TRUE(result->plugins.enabled.empty());
}

TEST(ConfigFull, EveryKeyIsRead) {
  const std::string yaml = R"(
server:
  host: 0.0.0.0
  port: 9090
  threads: 4
  max_queued: 50
  backlog: 64
  max_body_bytes: 2048
  header_timeout_ms: 3000
  idle_timeout_ms: 4000
  max_keep_alive_requests: 10
  io_threads: 3
  reuse_port: true
  max_connections: 500
  max_connections_per_client: 50
  max_header_bytes: 8192
  max_header_count: 40
  body_timeout_ms: 5000
  write_timeout_ms: 6000
  stream_outbox_bytes: 65536
database:
  url: "postgresql://sb@127.0.0.1:55432/sb"
  pool_min: 2
  pool_max: 8
  busy_timeout_ms: 250
plugins:
  directory: /opt/switchboard/plugins
  enabled:
    - github
    - name: vercel
      path: /opt/vercel.so
      base_url: https://api.vercel.example
      timeout_ms: 2500
      max_response_bytes: 4096
      settings:
        api_version: v6
secrets:
  key_file: /etc/switchboard/secret.key
  key: abc
logging:
  level: debug
  access_log: /var/log/sb/access.jsonl
  file: /var/log/sb/app.log
)";
  Result<Config> result = parse(yaml);
  ASSERT_TRUE(result.isOk()) << result.status().message();
  const Config& c = *result;
  EXPECT_EQ(c.server.host, "0.0.0.0");
  EXPECT_EQ(c.server.port, 9090);
  EXPECT_EQ(c.server.threads, 4);
  EXPECT_EQ(c.server.maxQueued, 50);
  EXPECT_EQ(c.server.backlog, 64);
  EXPECT_EQ(c.server.maxBodyBytes, 2048u);
  EXPECT_EQ(c.server.headerTimeoutMs, 3000);
  EXPECT_EQ(c.server.idleTimeoutMs, 4000);
  EXPECT_EQ(c.server.maxKeepAliveRequests, 10);
  EXPECT_EQ(c.server.ioThreads, 3);
  EXPECT_TRUE(c.server.reusePort);
  EXPECT_EQ(c.server.maxConnections, 500);
  EXPECT_EQ(c.server.maxConnectionsPerClient, 50);
  EXPECT_EQ(c.server.maxHeaderBytes, 8192u);
  EXPECT_EQ(c.server.maxHeaderCount, 40);
  EXPECT_EQ(c.server.bodyTimeoutMs, 5000);
  EXPECT_EQ(c.server.writeTimeoutMs, 6000);
  EXPECT_EQ(c.server.streamOutboxBytes, 65536u);
  EXPECT_EQ(c.database.url, "postgresql://sb@127.0.0.1:55432/sb");
  EXPECT_FALSE(c.database.isSqlite());
  EXPECT_EQ(c.database.poolMin, 2);
  EXPECT_EQ(c.database.poolMax, 8);
  EXPECT_EQ(c.database.busyTimeoutMs, 250);
  EXPECT_EQ(c.plugins.directory, "/opt/switchboard/plugins");
  ASSERT_EQ(c.plugins.enabled.size(), 2u);
  EXPECT_EQ(c.plugins.enabled[0].name, "github");
  EXPECT_EQ(c.plugins.enabled[0].path, "");
  EXPECT_EQ(c.plugins.enabled[0].baseUrl, "");
  EXPECT_EQ(c.plugins.enabled[0].settingsJson, "{}");
  EXPECT_EQ(c.plugins.enabled[0].timeoutMs, 10000);
  EXPECT_EQ(c.plugins.enabled[0].maxResponseBytes, std::size_t{8} << 20);
  EXPECT_EQ(c.plugins.enabled[0].sourceLocation, kConfigFile + ":29:7");
  EXPECT_EQ(c.plugins.enabled[1].name, "vercel");
  EXPECT_EQ(c.plugins.enabled[1].path, "/opt/vercel.so");
  EXPECT_EQ(c.plugins.enabled[1].baseUrl, "https://api.vercel.example");
  EXPECT_EQ(c.plugins.enabled[1].timeoutMs, 2500);
  EXPECT_EQ(c.plugins.enabled[1].maxResponseBytes, 4096u);
  EXPECT_EQ(c.plugins.enabled[1].settingsJson, R"({"api_version":"v6"})");
  EXPECT_EQ(c.plugins.enabled[1].sourceLocation, kConfigFile + ":30:7");
  EXPECT_EQ(c.secrets.keyFile, "/etc/switchboard/secret.key");
  EXPECT_EQ(c.secrets.key, "abc");
  EXPECT_EQ(c.logging.level, "debug");
  EXPECT_EQ(c.logging.accessLog, "/var/log/sb/access.jsonl");
  EXPECT_EQ(c.logging.file, "/var/log/sb/app.log");
}

TEST(ConfigFull, PostgresConninfoAndSqliteMemoryAreAccepted) {
  Result<Config> conninfo = parse("database:\n  url: host=127.0.0.1 port=55432 dbname=sb\n");
  ASSERT_TRUE(conninfo.isOk()) << conninfo.status().message();
  EXPECT_EQ(conninfo->database.url, "host=127.0.0.1 port=55432 dbname=sb");
  Result<Config> legacyScheme = parse("database:\n  url: postgres://u@h/db\n");
  ASSERT_TRUE(legacyScheme.isOk()) << legacyScheme.status().message();
  Result<Config> memory = parse("database:\n  url: \"sqlite::memory:\"\n");
  ASSERT_TRUE(memory.isOk()) << memory.status().message();
  EXPECT_EQ(memory->database.url, "sqlite::memory:");
}

TEST(ConfigFull, QuotedNumbersAreAcceptedForIntegers) {
  // Values often arrive quoted from ${VAR} templates; the text decides.
  Result<Config> result = parse("server:\n  port: \"9000\"\n  threads: +8\n");
  ASSERT_TRUE(result.isOk()) << result.status().message();
  EXPECT_EQ(result->server.port, 9000);
  EXPECT_EQ(result->server.threads, 8);
}

}  // namespace
}  // namespace sb
