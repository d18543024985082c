// One test per loader failure mode, each against a tiny broken plugin from
// tests/plugins, asserting the exact message the registry reports.
#include <gtest/gtest.h>

#include "plugins/loaded_plugin.hpp"
#include "plugins/plugin_loader.hpp"
#include "plugins/registry.hpp"
#include "test_plugin_paths.hpp"

namespace sb {
namespace {

using test::testPluginDir;
using test::hostAbi;
using test::testPluginPath;

// Loads one plugin through the registry, as the server does.
PluginInfo loadThroughRegistry(const std::string& name) {
  PluginRegistry registry;
  PluginsConfig config;
  PluginEntry entry;
  entry.name = name;
  config.enabled.push_back(entry);
  registry.loadAll(config, testPluginDir());
  return registry.plugins().at(0);
}

void expectFailure(const std::string& name, const std::string& message) {
  const PluginInfo info = loadThroughRegistry(name);
  EXPECT_EQ(info.state, PluginState::Failed) << name;
  EXPECT_EQ(info.error, message) << name;
  EXPECT_EQ(info.path, testPluginPath(name));
}

TEST(LoaderFailures, MissingFileReportsTheDlopenMessage) {
  const std::string path = testPluginPath("does_not_exist");
  expectFailure("does_not_exist", "cannot load " + path + ": " + path +
                                      ": cannot open shared object file: No such file or directory");
}

TEST(LoaderFailures, NoEntrySymbol) {
  expectFailure("no_entry_symbol",
                "entry symbol switchboard_plugin_entry not found in " +
                    testPluginPath("no_entry_symbol"));
}

TEST(LoaderFailures, EntryReturnsNull) {
  expectFailure("entry_returns_null", "entry function switchboard_plugin_entry returned NULL");
}

TEST(LoaderFailures, AbiMajorMismatchNamesBothVersions) {
  expectFailure("abi_major_mismatch", "plugin ABI major 2 != host ABI major 1");
  EXPECT_EQ(loadThroughRegistry("abi_major_mismatch").abiVersion, "2." + std::to_string(SB_ABI_VERSION_MINOR));
}

TEST(LoaderFailures, AbiMinorNewerNamesBothVersions) {
  expectFailure("abi_minor_newer", "plugin ABI 1." + std::to_string(SB_ABI_VERSION_MINOR + 1) + " is newer than host ABI " + hostAbi());
}

TEST(LoaderFailures, StructTooLargeNamesBothSizes) {
  expectFailure("struct_too_large", "sb_plugin struct_size 512 is larger than the host's " +
                                        std::to_string(sizeof(sb_plugin)) + " for ABI " + hostAbi());
}

TEST(LoaderFailures, MissingRequiredFunction) {
  expectFailure("missing_required_fn", "required function on_destroy is NULL");
}

TEST(LoaderFailures, MissingCapabilityFunction) {
  expectFailure("missing_capability_fn", "required function sb_status_adapter.on_status is NULL");
}

TEST(LoaderFailures, EmptyId) {
  expectFailure("empty_id",
                "invalid plugin id \"\": must match [a-z][a-z0-9_-]* (at most 64 characters)");
  // A plugin that failed before declaring an id is listed under its configured name.
  EXPECT_EQ(loadThroughRegistry("empty_id").id, "empty_id");
}

TEST(LoaderFailures, BadSchemaNamesSchemaAndField) {
  expectFailure("bad_schema", "schema \"bad-schema\" field \"token\": duplicate key");
}

TEST(LoaderFailures, InitFailureIncludesThePluginsReason) {
  expectFailure("init_fails",
                "on_init failed with SB_ERR_INVALID_ARGUMENT: missing required setting \"token\"");
  EXPECT_EQ(loadThroughRegistry("init_fails").id, "init-fails");
}

TEST(LoaderFailures, InitThrowingIsCaughtAndReported) {
  expectFailure("init_throws", "on_init threw an exception: boom from on_init");
}

TEST(LoaderFailures, ValidationHappensBeforeAnyPluginFunction) {
  // init_fails would fail in on_init; openPlugin alone must succeed, proving
  // that opening calls nothing but the entry function.
  Result<OpenedPlugin> opened = openPlugin(testPluginPath("init_fails"));
  ASSERT_TRUE(opened.isOk()) << opened.status().message();
  EXPECT_EQ(opened->descriptor.id, "init-fails");
}

}  // namespace
}  // namespace sb
