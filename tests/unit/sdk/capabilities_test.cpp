// A descriptor advertises a capability table only when the class overrides
// that capability's hooks; the tables route to the overrides.
#include <gtest/gtest.h>

#include <string>

#include "switchboard/conformance.hpp"
#include "switchboard/fake_host.hpp"
#include "switchboard/sdk.hpp"

using switchboard::Call;
using switchboard::Outcome;
using switchboard::testing::FakeCall;
using switchboard::testing::FakeHost;
using switchboard::testing::PluginHarness;

namespace {

class BarePlugin : public switchboard::Plugin {
 public:
  static constexpr switchboard::Identity identity{"bare", "Bare", "0.1.0", "declares nothing"};
};

class StatusPlugin : public switchboard::Plugin {
 public:
  static constexpr switchboard::Identity identity{"status-only", "Status", "0.1.0", ""};
  Outcome status(Call& call, std::string_view request) override {
    call.progress(1, 2, "checking");
    host().info("status requested");
    return Outcome::ok("{\"status\":\"connected\",\"summary\":" + switchboard::json::quote(request) + "}");
  }
};

class ConnectionPlugin : public switchboard::Plugin {
 public:
  static constexpr switchboard::Identity identity{"connection", "Connection", "0.1.0", ""};
  Outcome describeConnection() override { return Outcome::ok("{\"scopes\":[]}"); }
  Outcome tokenResponse(Call&, std::string_view) override { return Outcome::ok("{\"accessToken\":\"t\"}"); }
};

class DiscoveringPlugin : public ConnectionPlugin {
 public:
  static constexpr switchboard::Identity identity{"discovering", "Discovering", "0.1.0", ""};
  Outcome discover(Call&, std::string_view) override { return Outcome::ok("{\"issuer\":\"https://as\"}"); }
};

class EverythingPlugin : public switchboard::Plugin {
 public:
  static constexpr switchboard::Identity identity{"everything", "Everything", "0.1.0", ""};
  Outcome status(Call&, std::string_view) override { return Outcome::ok("{}"); }
  Outcome describeConnection() override { return Outcome::ok("{}"); }
  Outcome tokenResponse(Call&, std::string_view) override { return Outcome::ok("{}"); }
  Outcome listTree(Call&, std::string_view) override { return Outcome::ok("{\"head\":\"h\",\"entries\":[]}"); }
  Outcome read(Call&, std::string_view) override { return Outcome::ok("bytes"); }
  Outcome write(Call&, std::string_view) override { return Outcome::failure(SB_ERR_CONFLICT, "head moved"); }
  Outcome listActions() override { return Outcome::ok("[]"); }
  Outcome runAction(Call& call, std::string_view id, std::string_view) override {
    if (call.cancelled()) return Outcome::failure(SB_ERR_TIMEOUT, "cancelled");
    return Outcome::ok("{\"ran\":" + switchboard::json::quote(id) + "}");
  }
};

// A sync source with one of the ABI 1.4 set-up hooks.
class BranchListingPlugin : public switchboard::Plugin {
 public:
  static constexpr switchboard::Identity identity{"branch-listing", "Branches", "0.1.0", ""};
  Outcome listTree(Call&, std::string_view) override { return Outcome::ok("{\"head\":\"h\",\"entries\":[]}"); }
  Outcome read(Call&, std::string_view) override { return Outcome::ok("bytes"); }
  Outcome write(Call&, std::string_view) override { return Outcome::ok("{\"head\":\"h\"}"); }
  Outcome listBranches(Call&, std::string_view request) override {
    return Outcome::ok("{\"branches\":[],\"truncated\":false,\"asked\":" + switchboard::json::quote(request) + "}");
  }
};

}  // namespace

TEST(Capabilities, NoneClaimedWhenNothingIsOverridden) {
  const sb_plugin* plugin = switchboard::descriptorFor<BarePlugin>();
  ASSERT_NE(plugin, nullptr);
  EXPECT_EQ(plugin->status_adapter, nullptr);
  EXPECT_EQ(plugin->connection_provider, nullptr);
  EXPECT_EQ(plugin->sync_source, nullptr);
  EXPECT_EQ(plugin->actions, nullptr);
  EXPECT_TRUE(switchboard::capabilityNames(*plugin).empty());
  EXPECT_TRUE(switchboard::descriptorProblems(plugin).empty());
  EXPECT_EQ(plugin->schema_count, 0u);
  EXPECT_EQ(plugin->schemas, nullptr);
}

TEST(Capabilities, DescriptorCarriesIdentityAndVersions) {
  const sb_plugin* plugin = switchboard::descriptorFor<BarePlugin>();
  EXPECT_EQ(plugin->abi_major, SB_ABI_VERSION_MAJOR);
  EXPECT_EQ(plugin->abi_minor, SB_ABI_VERSION_MINOR);
  EXPECT_EQ(plugin->struct_size, sizeof(sb_plugin));
  EXPECT_EQ(switchboard::toView(plugin->id), "bare");
  EXPECT_EQ(switchboard::toView(plugin->name), "Bare");
  EXPECT_EQ(switchboard::toView(plugin->version), "0.1.0");
  EXPECT_EQ(switchboard::toView(plugin->description), "declares nothing");
  EXPECT_EQ(switchboard::descriptorFor<BarePlugin>(), plugin);  // one static descriptor
}

TEST(Capabilities, OnlyTheOverriddenTableAppears) {
  const sb_plugin* plugin = switchboard::descriptorFor<StatusPlugin>();
  ASSERT_NE(plugin->status_adapter, nullptr);
  EXPECT_EQ(plugin->status_adapter->struct_size, sizeof(sb_status_adapter));
  EXPECT_EQ(plugin->connection_provider, nullptr);
  EXPECT_EQ(plugin->sync_source, nullptr);
  EXPECT_EQ(plugin->actions, nullptr);
  EXPECT_EQ(switchboard::capabilityNames(*plugin), std::vector<std::string>{"status"});
}

TEST(Capabilities, DiscoveryIsOptionalWithinTheConnectionProvider) {
  const sb_plugin* plain = switchboard::descriptorFor<ConnectionPlugin>();
  ASSERT_NE(plain->connection_provider, nullptr);
  EXPECT_EQ(plain->connection_provider->struct_size, sizeof(sb_connection_provider));
  EXPECT_EQ(plain->connection_provider->on_discover, nullptr);
  const sb_plugin* discovering = switchboard::descriptorFor<DiscoveringPlugin>();
  ASSERT_NE(discovering->connection_provider, nullptr);
  EXPECT_NE(discovering->connection_provider->on_discover, nullptr);
  EXPECT_EQ(discovering->status_adapter, nullptr);
}

TEST(Capabilities, AllTablesWhenAllAreOverridden) {
  const sb_plugin* plugin = switchboard::descriptorFor<EverythingPlugin>();
  EXPECT_EQ(switchboard::capabilityNames(*plugin),
            (std::vector<std::string>{"status", "connection", "sync", "actions"}));
  EXPECT_TRUE(switchboard::descriptorProblems(plugin).empty());
  EXPECT_EQ(plugin->sync_source->struct_size, sizeof(sb_sync_source));
  EXPECT_EQ(plugin->actions->struct_size, sizeof(sb_actions));
}

TEST(Capabilities, HooksRouteToTheOverrides) {
  FakeHost host;
  PluginHarness plugin(switchboard::descriptorFor<EverythingPlugin>(), host);
  ASSERT_EQ(plugin.init().status, SB_OK);
  EXPECT_EQ(plugin.listTree("{}").output, "{\"head\":\"h\",\"entries\":[]}");
  EXPECT_EQ(plugin.read("{\"path\":\"a\"}").output, "bytes");
  const Outcome conflict = plugin.write("{}");
  EXPECT_EQ(conflict.status, SB_ERR_CONFLICT);
  EXPECT_EQ(conflict.output, "head moved");
  EXPECT_EQ(plugin.runAction("redeploy", "{}").output, "{\"ran\":\"redeploy\"}");
  FakeCall cancelled;
  cancelled.cancel();
  EXPECT_EQ(plugin.runAction("redeploy", "{}", &cancelled).status, SB_ERR_TIMEOUT);
  EXPECT_EQ(plugin.discover("{}").status, SB_ERR_NOT_SUPPORTED);
}

TEST(Capabilities, OnlyTheOverriddenSyncSetUpHooksAreInTheTable) {
  const sb_plugin* plugin = switchboard::descriptorFor<BranchListingPlugin>();
  ASSERT_NE(plugin->sync_source, nullptr);
  EXPECT_TRUE(switchboard::descriptorProblems(plugin).empty());
  EXPECT_EQ(plugin->sync_source->on_validate, nullptr);
  EXPECT_EQ(plugin->sync_source->on_list_repositories, nullptr);
  EXPECT_NE(plugin->sync_source->on_list_branches, nullptr);
  EXPECT_EQ(plugin->sync_source->on_list_commits, nullptr);
  EXPECT_EQ(switchboard::descriptorFor<EverythingPlugin>()->sync_source->on_list_branches, nullptr);

  FakeHost host;
  PluginHarness harness(plugin, host);
  ASSERT_EQ(harness.init().status, SB_OK);
  EXPECT_EQ(harness.listBranches("{\"params\":{}}").output,
            "{\"branches\":[],\"truncated\":false,\"asked\":\"{\\\"params\\\":{}}\"}");
  EXPECT_EQ(harness.listCommits("{}").status, SB_ERR_NOT_SUPPORTED);
  EXPECT_EQ(harness.validateSource("{}").status, SB_ERR_NOT_SUPPORTED);
}

TEST(Capabilities, StatusHookSeesCallAndHostServices) {
  FakeHost host;
  PluginHarness plugin(switchboard::descriptorFor<StatusPlugin>(), host);
  ASSERT_EQ(plugin.init().status, SB_OK);
  FakeCall call;
  const Outcome outcome = plugin.status("p\"1", &call);
  EXPECT_EQ(outcome.status, SB_OK);
  EXPECT_EQ(outcome.output, "{\"status\":\"connected\",\"summary\":\"p\\\"1\"}");
  ASSERT_EQ(call.progress().size(), 1u);
  EXPECT_EQ(call.progress()[0].done, 1u);
  EXPECT_EQ(call.progress()[0].total, 2u);
  EXPECT_EQ(call.progress()[0].message, "checking");
  EXPECT_TRUE(host.logged("status requested"));
  EXPECT_EQ(plugin.describeConnection().status, SB_ERR_NOT_SUPPORTED);
}
