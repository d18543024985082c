// PluginRegistry: config order, failures recorded without stopping, duplicate
// ids refused, `path` winning over `name`, and schema conversion.
#include <gtest/gtest.h>

#include "plugins/loaded_plugin.hpp"
#include "plugins/registry.hpp"
#include "test_plugin_paths.hpp"

namespace sb {
namespace {

using test::testPluginDir;
using test::testPluginPath;

PluginEntry named(const std::string& name) {
  PluginEntry entry;
  entry.name = name;
  return entry;
}

TEST(PluginRegistry, GoodPluginLoadsWithItsSchemaConverted) {
  PluginRegistry registry;
  PluginsConfig config;
  config.enabled.push_back(named("good_minimal"));
  registry.loadAll(config, testPluginDir());
  ASSERT_TRUE(registry.allLoaded()) << registry.plugins().at(0).error;

  const PluginInfo info = registry.plugins().at(0);
  EXPECT_EQ(info.id, "good-minimal");
  EXPECT_EQ(info.name, "Good Minimal");
  EXPECT_EQ(info.version, "1.0.0");
  EXPECT_EQ(info.description, "Valid minimal test plugin");
  EXPECT_EQ(info.abiVersion, test::hostAbi());
  EXPECT_EQ(info.path, testPluginPath("good_minimal"));
  EXPECT_TRUE(info.capabilities.empty());
  EXPECT_TRUE(info.error.empty());
  ASSERT_EQ(info.schemas.size(), 1u);

  const IntegrationSchema& schema = info.schemas[0];
  EXPECT_EQ(schema.id, "good-minimal");
  EXPECT_EQ(schema.pluginId, "good-minimal");
  EXPECT_EQ(schema.name, "Good Minimal");
  EXPECT_EQ(schema.category, "testing");
  EXPECT_EQ(schema.description, "A minimal test integration");
  EXPECT_EQ(schema.docsUrl, "https://example.test/docs");
  EXPECT_EQ(schema.iconUrl, "https://example.test/icon.svg");
  EXPECT_EQ(schema.displayOrder, 7);
  EXPECT_TRUE(schema.featured);
  ASSERT_EQ(schema.fields.size(), 2u);
  EXPECT_EQ(schema.fields[0].key, "apiToken");
  EXPECT_EQ(schema.fields[0].type, "string");
  EXPECT_EQ(schema.fields[0].level, "org");
  EXPECT_TRUE(schema.fields[0].required);
  EXPECT_TRUE(schema.fields[0].secret);
  EXPECT_EQ(schema.fields[0].description, "API token");
  EXPECT_EQ(schema.fields[0].placeholder, "tok_...");
  EXPECT_EQ(schema.fields[1].key, "region");
  EXPECT_EQ(schema.fields[1].type, "select");
  EXPECT_EQ(schema.fields[1].level, "project");
  EXPECT_FALSE(schema.fields[1].required);
  EXPECT_EQ(schema.fields[1].options, (std::vector<std::string>{"eu", "us"}));
  ASSERT_NE(registry.find("good-minimal"), nullptr);
  EXPECT_EQ(registry.find("good-minimal")->info().id, "good-minimal");
}

// Built against the frozen ABI 1.0 header: a plugin shipped before 1.1 keeps
// loading in this host, its 1.0-sized fields convert, and it serves status.
TEST(PluginRegistry, AnAbi10PluginKeepsLoadingAndServingStatus) {
  PluginRegistry registry;
  PluginsConfig config;
  config.enabled.push_back(named("abi_1_0_status"));
  registry.loadAll(config, testPluginDir());
  ASSERT_TRUE(registry.allLoaded()) << registry.plugins().at(0).error;
  const PluginInfo info = registry.plugins().at(0);
  EXPECT_EQ(info.abiVersion, "1.0");
  EXPECT_EQ(info.capabilities, std::vector<std::string>{"status"});
  ASSERT_EQ(info.schemas.size(), 1u);
  const std::vector<SchemaField>& fields = info.schemas[0].fields;
  ASSERT_EQ(fields.size(), 3u);
  EXPECT_EQ(fields[0].key, "token");
  EXPECT_TRUE(fields[0].secret);
  EXPECT_EQ(fields[1].key, "apiBaseUrl");
  EXPECT_EQ(fields[1].type, "url");
  EXPECT_EQ(fields[2].key, "region");
  EXPECT_EQ(fields[2].options, (std::vector<std::string>{"eu", "us"}));
  for (const SchemaField& field : fields) {
    EXPECT_FALSE(field.destination) << field.key << ": 1.0 has no destination flag";
    EXPECT_EQ(field.maxLength, 0u) << field.key;
  }
  auto plugin = registry.find("abi-1-0-status");
  ASSERT_NE(plugin, nullptr);
  Result<std::string> status = plugin->callStatus(R"({"projectId":"p","key":"legacy-status","settings":{}})");
  ASSERT_TRUE(status.isOk()) << status.status().message();
  EXPECT_EQ(*status, R"({"status":"connected","summary":"Served by an ABI 1.0 plugin"})");
}

TEST(PluginRegistry, MixOfGoodAndBrokenKeepsLoadingAndReportsEach) {
  PluginRegistry registry;
  PluginsConfig config;
  config.directory = testPluginDir();
  for (const char* name : {"abi_major_mismatch", "good_minimal", "init_throws", "no_entry_symbol",
                           "malformed_output", "bad_schema"}) {
    config.enabled.push_back(named(name));
  }
  registry.loadAll(config, "/nonexistent-default-dir");

  const std::vector<PluginInfo> infos = registry.plugins();
  ASSERT_EQ(infos.size(), 6u);
  EXPECT_FALSE(registry.allLoaded());
  EXPECT_EQ(infos[0].state, PluginState::Failed);
  EXPECT_EQ(infos[0].error, "plugin ABI major 2 != host ABI major 1");
  EXPECT_EQ(infos[1].state, PluginState::Loaded);
  EXPECT_EQ(infos[1].id, "good-minimal");
  EXPECT_EQ(infos[2].error, "on_init threw an exception: boom from on_init");
  EXPECT_EQ(infos[3].state, PluginState::Failed);
  EXPECT_EQ(infos[4].state, PluginState::Loaded);
  EXPECT_EQ(infos[4].capabilities, std::vector<std::string>{"status"});
  EXPECT_EQ(infos[5].error, "schema \"bad-schema\" field \"token\": duplicate key");
  EXPECT_NE(registry.find("good-minimal"), nullptr);
  EXPECT_NE(registry.find("malformed-output"), nullptr);
  EXPECT_EQ(registry.find("init-throws"), nullptr);
  EXPECT_EQ(registry.find("abi_major_mismatch"), nullptr);
}

TEST(PluginRegistry, DuplicateIdIsRefusedAndTheFirstKept) {
  PluginRegistry registry;
  PluginsConfig config;
  config.enabled = {named("good_minimal"), named("duplicate_id")};
  registry.loadAll(config, testPluginDir());

  const std::vector<PluginInfo> infos = registry.plugins();
  ASSERT_EQ(infos.size(), 2u);
  EXPECT_EQ(infos[0].state, PluginState::Loaded);
  EXPECT_EQ(infos[1].state, PluginState::Failed);
  EXPECT_EQ(infos[1].id, "good-minimal");
  EXPECT_EQ(infos[1].error, "duplicate plugin id \"good-minimal\": already loaded from " +
                                testPluginPath("good_minimal"));
  EXPECT_EQ(registry.find("good-minimal")->info().path, testPluginPath("good_minimal"));
}

TEST(PluginRegistry, ExplicitPathWinsOverName) {
  PluginRegistry registry;
  PluginsConfig config;
  PluginEntry entry = named("some-other-name");
  entry.path = testPluginPath("good_minimal");
  config.enabled.push_back(entry);
  registry.loadAll(config, "/nonexistent-default-dir");
  ASSERT_TRUE(registry.allLoaded()) << registry.plugins().at(0).error;
  EXPECT_EQ(registry.plugins().at(0).path, testPluginPath("good_minimal"));
}

TEST(PluginRegistry, SettingsJsonReachesOnInit) {
  PluginRegistry registry;
  PluginsConfig config;
  PluginEntry entry = named("good_minimal");
  entry.settingsJson = "{not json";
  config.enabled.push_back(entry);
  registry.loadAll(config, testPluginDir());
  EXPECT_EQ(registry.plugins().at(0).error,
            "on_init failed with SB_ERR_INVALID_ARGUMENT: settings must be a JSON object");
}

TEST(PluginRegistry, EmptyConfigMeansAllLoaded) {
  PluginRegistry registry;
  registry.loadAll(PluginsConfig{}, testPluginDir());
  EXPECT_TRUE(registry.plugins().empty());
  EXPECT_TRUE(registry.allLoaded());
  EXPECT_EQ(registry.find("good-minimal"), nullptr);
}

}  // namespace
}  // namespace sb
