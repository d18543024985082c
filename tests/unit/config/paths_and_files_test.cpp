#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>
#include <unistd.h>

#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>

#include "config/path_resolution.hpp"
#include "config_test_support.hpp"

namespace sb {
namespace {

using testing::fakeEnv;

TEST(PathResolution, RelativePathsFollowTheConfigFile) {
  Result<Config> result = parseConfig(R"(
database:
  url: sqlite:../var/switchboard.db
plugins:
  directory: plugins/
  enabled:
    - name: github
      path: ./custom/github.so
    - name: abs
      path: /opt/abs.so
secrets:
  key_file: ../var/secret.key
logging:
  access_log: logs/access.jsonl
  file: "-"
)",
                                      "/srv/sb/config/switchboard.yaml", fakeEnv());
  ASSERT_TRUE(result.isOk()) << result.status().message();
  EXPECT_EQ(result->database.url, "sqlite:/srv/sb/var/switchboard.db");
  EXPECT_EQ(result->database.sqlitePath(), "/srv/sb/var/switchboard.db");
  EXPECT_EQ(result->plugins.directory, "/srv/sb/config/plugins/");
  EXPECT_EQ(result->plugins.enabled[0].path, "/srv/sb/config/custom/github.so");
  EXPECT_EQ(result->plugins.enabled[1].path, "/opt/abs.so");
  EXPECT_EQ(result->secrets.keyFile, "/srv/sb/var/secret.key");
  EXPECT_EQ(result->logging.accessLog, "/srv/sb/config/logs/access.jsonl");
  EXPECT_EQ(result->logging.file, "-");
}

TEST(PathResolution, EmptyAndStandardStreamValuesAreNotPaths) {
  Result<Config> result = parseConfig(
      "plugins:\n  directory: ${SWITCHBOARD_PLUGIN_DIR:-}\nlogging:\n  access_log: ''\n",
      "/srv/sb/switchboard.yaml", fakeEnv());
  ASSERT_TRUE(result.isOk()) << result.status().message();
  EXPECT_EQ(result->plugins.directory, "");
  EXPECT_EQ(result->logging.accessLog, "");
}

TEST(PathResolution, InMemoryTextResolvesAgainstTheCurrentDirectory) {
  Result<Config> result = parseConfig("secrets:\n  key_file: k.key\n", "", fakeEnv());
  ASSERT_TRUE(result.isOk()) << result.status().message();
  EXPECT_EQ(result->secrets.keyFile, Poco::Path::current() + "k.key");
  EXPECT_EQ(result->sourcePath, "");
}

TEST(PathResolution, RelativeConfigFileNameIsMadeAbsolute) {
  EXPECT_EQ(config::configDirectory("conf/switchboard.yaml"), Poco::Path::current() + "conf/");
  EXPECT_EQ(config::resolveAgainst("/a/b/", "../c"), "/a/c");
  EXPECT_EQ(config::resolveAgainst("/a/b/", "/x/y"), "/x/y");
  EXPECT_EQ(config::resolveAgainst("/a/b/", ""), "");
}

TEST(LoadConfig, MissingFileIsAnError) {
  Result<Config> result = loadConfig("/nonexistent/switchboard.yaml", fakeEnv());
  ASSERT_FALSE(result.isOk());
  EXPECT_EQ(result.status().code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(result.status().message(),
            "/nonexistent/switchboard.yaml: cannot open config file: No such file or directory");
}

TEST(LoadConfig, DirectoryIsAnError) {
  Result<Config> result = loadConfig("/tmp", fakeEnv());
  ASSERT_FALSE(result.isOk());
  EXPECT_EQ(result.status().message(), "/tmp: cannot open config file: is a directory");
}

TEST(LoadConfig, ReadsAFileAndNamesItInErrors) {
  Poco::TemporaryFile file;
  {
    std::ofstream out(file.path());
    out << "server:\n  port: 7000\n";
  }
  Result<Config> good = loadConfig(file.path(), fakeEnv());
  ASSERT_TRUE(good.isOk()) << good.status().message();
  EXPECT_EQ(good->server.port, 7000);
  EXPECT_EQ(good->sourcePath, file.path());
  {
    std::ofstream out(file.path());
    out << "server:\n  port: 70000\n";
  }
  Result<Config> bad = loadConfig(file.path(), fakeEnv());
  ASSERT_FALSE(bad.isOk());
  EXPECT_EQ(bad.status().message(),
            file.path() + ":2:9: server.port: must be between 0 and 65535, got 70000");
}

TEST(ShippedConfig, ParsesWithDefaultsAndAllBundledPlugins) {
  const std::string path = std::string(SB_SOURCE_DIR) + "/config/switchboard.yaml";
  Result<Config> result = loadConfig(path, fakeEnv());
  ASSERT_TRUE(result.isOk()) << result.status().message();
  const Config& config = *result;
  EXPECT_EQ(config.server.host, "127.0.0.1");
  EXPECT_EQ(config.server.port, 8080);
  const std::string root = Poco::Path(std::string(SB_SOURCE_DIR) + "/").makeAbsolute().toString();
  EXPECT_EQ(config.database.url, "sqlite:" + root + "var/switchboard.db");
  EXPECT_EQ(config.plugins.directory, "");
  std::vector<std::string> names;
  for (const PluginEntry& entry : config.plugins.enabled) names.push_back(entry.name);
  EXPECT_EQ(names, (std::vector<std::string>{"github", "vercel", "sanity", "supabase", "mcp_oauth"}));
  EXPECT_EQ(config.secrets.keyFile, root + "var/secret.key");
  EXPECT_EQ(config.logging.level, "info");
}

TEST(ShippedConfig, PluginDirectoryComesFromTheEnvironment) {
  const std::string path = std::string(SB_SOURCE_DIR) + "/config/switchboard.yaml";
  Result<Config> result = loadConfig(path, fakeEnv({{"SWITCHBOARD_PLUGIN_DIR", "/opt/sb/plugins"}}));
  ASSERT_TRUE(result.isOk()) << result.status().message();
  EXPECT_EQ(result->plugins.directory, "/opt/sb/plugins");
}

}  // namespace
}  // namespace sb
