// The five bundled plugins, loaded as the host loads them (dlopen + the one
// entry symbol): descriptors are conformant, declare the agreed identity and
// schemas, claim exactly the capabilities they implement, and reject malformed settings.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "switchboard/conformance.hpp"
#include "switchboard/fake_host.hpp"
#include "loaded_library.hpp"

#include "loaded_library.hpp"

using switchboard::toView;
using switchboard::Outcome;
using switchboard::testing::FakeCall;
using switchboard::testing::FakeHost;
using switchboard::testing::LoadedLibrary;
using switchboard::testing::PluginHarness;

namespace {

struct ExpectedField {
  std::string key;
  sb_field_type type;
  sb_field_level level;
  bool required;
  bool secret;
};

struct ExpectedPlugin {
  std::string name;  // plugin id and .so name
  std::string path;
  std::string schemaId;
  std::string category;
  int displayOrder;
  bool featured;
  std::vector<ExpectedField> fields;
};

constexpr sb_field_level kOrg = SB_LEVEL_ORG;
constexpr sb_field_level kProject = SB_LEVEL_PROJECT;
constexpr sb_field_type kString = SB_FIELD_STRING;
constexpr sb_field_type kUrl = SB_FIELD_URL;

std::vector<ExpectedPlugin> expectedPlugins() {
  return {
      {"github", SB_PLUGIN_GITHUB, "github", "source-control", 10, true,
       {{"token", kString, kOrg, true, true},
        {"apiBaseUrl", kUrl, kOrg, false, false},
        {"repository", kString, kProject, true, false},
        {"branch", kString, kProject, false, false}}},
      {"vercel", SB_PLUGIN_VERCEL, "vercel", "hosting", 20, true,
       {{"token", kString, kOrg, true, true},
        {"teamId", kString, kOrg, false, false},
        {"projectId", kString, kProject, true, false}}},
      {"sanity", SB_PLUGIN_SANITY, "sanity", "cms", 30, true,
       {{"token", kString, kOrg, true, true},
        {"projectId", kString, kProject, true, false},
        {"dataset", kString, kProject, true, false},
        {"apiVersion", kString, kProject, false, false},
        {"studioUrl", kUrl, kProject, false, false}}},
      {"supabase", SB_PLUGIN_SUPABASE, "supabase", "database", 40, true,
       {{"accessToken", kString, kOrg, true, true}, {"projectRef", kString, kProject, true, false}}},
      {"mcp_oauth", SB_PLUGIN_MCP_OAUTH, "mcp-server", "ai", 50, false,
       {{"serverUrl", kUrl, kProject, true, false},
        {"clientId", kString, kProject, false, false},
        {"clientSecret", kString, kProject, false, true},
        {"scopes", kString, kProject, false, false}}},
  };
}

class BundledPlugin : public ::testing::TestWithParam<ExpectedPlugin> {};

}  // namespace

TEST_P(BundledPlugin, DescriptorIsConformantAndDeclaresTheAgreedIdentity) {
  const ExpectedPlugin& expected = GetParam();
  LoadedLibrary library(expected.path);
  const sb_plugin* plugin = library.descriptor();
  ASSERT_NE(plugin, nullptr) << library.error();
  EXPECT_EQ(switchboard::descriptorProblems(plugin), std::vector<std::string>{});
  EXPECT_EQ(plugin->abi_major, SB_ABI_VERSION_MAJOR);
  EXPECT_EQ(plugin->abi_minor, SB_ABI_VERSION_MINOR);
  EXPECT_EQ(plugin->struct_size, sizeof(sb_plugin));
  EXPECT_EQ(toView(plugin->id), expected.name);
  EXPECT_FALSE(toView(plugin->name).empty());
  EXPECT_EQ(toView(plugin->version), "0.1.0");
  EXPECT_FALSE(toView(plugin->description).empty());
  // The four providers report status and run actions (with on_list_for, ABI
  // 1.2), github is also a sync source; github, vercel and supabase are
  // connection providers (OAuth defaults); mcp_oauth is one with discovery.
  const auto capabilities = switchboard::capabilityNames(*plugin);
  if (expected.name == "mcp_oauth") {
    ASSERT_EQ(capabilities.size(), 1u);
    EXPECT_EQ(std::string(capabilities[0]), "connection");
    ASSERT_NE(plugin->connection_provider, nullptr);
    EXPECT_NE(plugin->connection_provider->on_discover, nullptr);
  } else {
    std::vector<std::string> names(capabilities.begin(), capabilities.end());
    std::vector<std::string> wanted{"status", "actions"};
    if (expected.name == "github") wanted = {"status", "connection", "sync", "actions"};
    if (expected.name == "vercel" || expected.name == "supabase") wanted = {"status", "connection", "actions"};
    ASSERT_EQ(names, wanted);
    ASSERT_NE(plugin->actions, nullptr);
    EXPECT_EQ(plugin->actions->struct_size, sizeof(sb_actions));
    EXPECT_NE(plugin->actions->on_list_for, nullptr);
  }
}

TEST_P(BundledPlugin, EveryListedActionRunsAndReportsAStep) {
  const ExpectedPlugin& expected = GetParam();
  LoadedLibrary library(expected.path);
  const sb_plugin* plugin = library.descriptor();
  ASSERT_NE(plugin, nullptr) << library.error();
  FakeHost host;  // no scripted replies: provider requests fail as unavailable
  PluginHarness harness(plugin, host);
  ASSERT_EQ(harness.init("{}").status, SB_OK);
  const Outcome listed = harness.listActions();
  if (expected.name == "mcp_oauth") {
    // No actions capability (it is a connection provider): the harness
    // says so, as the host would.
    EXPECT_EQ(plugin->actions, nullptr);
    EXPECT_EQ(listed.status, SB_ERR_NOT_SUPPORTED) << listed.output;
    return;
  }
  ASSERT_EQ(listed.status, SB_OK) << listed.output;
  // The ids, in the listed order, from the compact JSON the bundled plugins write.
  std::vector<std::string> ids;
  for (std::size_t at = listed.output.find("\"id\":\""); at != std::string::npos;
       at = listed.output.find("\"id\":\"", at + 1)) {
    const std::size_t start = at + 6;
    ids.push_back(listed.output.substr(start, listed.output.find('"', start) - start));
  }
  ASSERT_FALSE(ids.empty());
  const std::string request = R"({"projectId":"p","key":"k","baseUrl":"","settings":{"repository":"acme/web",)"
                              R"("projectId":"abc123de","dataset":"production","projectRef":"abcdefghijklmnopqrst"},)"
                              R"("secrets":{"token":"t","accessToken":"t"},"params":{}})";
  for (const std::string& id : ids) {
    FakeCall call;
    const Outcome ran = harness.runAction(id, request, &call);
    EXPECT_NE(ran.status, SB_ERR_INTERNAL) << id << ": " << ran.output;
    EXPECT_FALSE(call.steps().empty()) << id;
    EXPECT_EQ(call.droppedSteps(), 0u) << id;
  }
  EXPECT_EQ(harness.runAction("no-such-action", request).status, SB_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(host.openResponses(), 0u);
}

TEST_P(BundledPlugin, DeclaresItsIntegrationSchema) {
  const ExpectedPlugin& expected = GetParam();
  LoadedLibrary library(expected.path);
  const sb_plugin* plugin = library.descriptor();
  ASSERT_NE(plugin, nullptr) << library.error();
  ASSERT_EQ(plugin->schema_count, 1u);
  const sb_integration_schema& schema = plugin->schemas[0];
  EXPECT_EQ(toView(schema.id), expected.schemaId);
  EXPECT_EQ(toView(schema.category), expected.category);
  EXPECT_EQ(schema.display_order, expected.displayOrder);
  EXPECT_EQ(schema.featured != 0, expected.featured);
  EXPECT_FALSE(toView(schema.name).empty());
  EXPECT_FALSE(toView(schema.description).empty());
  EXPECT_EQ(toView(schema.docs_url).rfind("https://", 0), 0u);
  ASSERT_EQ(schema.field_count, expected.fields.size());
  for (std::size_t i = 0; i < expected.fields.size(); ++i) {
    const sb_schema_field& field = schema.fields[i];
    const ExpectedField& want = expected.fields[i];
    SCOPED_TRACE(want.key);
    EXPECT_EQ(toView(field.key), want.key);
    EXPECT_EQ(field.type, want.type);
    EXPECT_EQ(field.level, want.level);
    EXPECT_EQ(field.required != 0, want.required);
    EXPECT_EQ(field.secret != 0, want.secret);
    EXPECT_FALSE(toView(field.description).empty());
  }
}

TEST_P(BundledPlugin, InitAcceptsSettingsObjectsAndRejectsMalformedJson) {
  const ExpectedPlugin& expected = GetParam();
  LoadedLibrary library(expected.path);
  const sb_plugin* plugin = library.descriptor();
  ASSERT_NE(plugin, nullptr) << library.error();
  FakeHost host;
  {
    PluginHarness harness(plugin, host);
    EXPECT_EQ(harness.init("{}").status, SB_OK);
    EXPECT_EQ(harness.init("{\"pageSize\": 50, \"labels\": [\"a\"]}").status, SB_OK);
    const auto broken = harness.init("{\"pageSize\": 50,}");
    EXPECT_EQ(broken.status, SB_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(broken.output, "settings: invalid JSON at byte 16: expected a string key");
    EXPECT_FALSE(harness.initialised());
    const auto notObject = harness.init("\"token\"");
    EXPECT_EQ(notObject.status, SB_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(notObject.output, "settings: invalid JSON at byte 0: expected a JSON object");
    EXPECT_EQ(harness.init("{}").status, SB_OK);
    // A status request without the link's settings is refused before any request is sent.
    EXPECT_EQ(harness.status("{}").status,
              GetParam().name == "mcp_oauth" ? SB_ERR_NOT_SUPPORTED : SB_ERR_INVALID_ARGUMENT);
  }
  EXPECT_TRUE(host.requests().empty());
}

INSTANTIATE_TEST_SUITE_P(AllFive, BundledPlugin, ::testing::ValuesIn(expectedPlugins()),
                         [](const ::testing::TestParamInfo<ExpectedPlugin>& info) { return info.param.name; });
