// The 1.4 sync set-up hooks across ABI versions: a sync source built against
// the frozen 1.3 header still loads and lists its tree, and its missing
// set-up hooks read as "not provided" (a NotFound naming the hook) instead
// of being called past its table; a 1.3 table cannot claim the 1.4 size.
#include <cstddef>
#include <string>

#include <gtest/gtest.h>

#include "plugins/descriptor_validation.hpp"
#include "plugins/loaded_plugin.hpp"
#include "load_test_plugin.hpp"

namespace sb {
namespace {

const std::string kRequest =
    R"({"projectId":"p1","key":"legacy-sync","baseUrl":"","settings":{},"secrets":{},"params":{}})";

TEST(SyncSetupAbi13, LoadsAndListsItsTree) {
  auto plugin = test::loadTestPlugin("abi_1_3_sync");
  ASSERT_NE(plugin, nullptr);
  EXPECT_EQ(plugin->info().abiVersion, "1.3");
  EXPECT_TRUE(plugin->provides(PluginHook::SyncListTree));
  auto tree = plugin->syncListTree(kRequest);
  ASSERT_TRUE(tree) << tree.status().message();
  EXPECT_EQ(*tree, R"({"head":"legacy-head","entries":[]})");
}

TEST(SyncSetupAbi13, MissingSetUpHooksAreNotProvided) {
  auto plugin = test::loadTestPlugin("abi_1_3_sync");
  ASSERT_NE(plugin, nullptr);
  for (PluginHook hook : {PluginHook::SyncValidate, PluginHook::SyncListRepositories, PluginHook::SyncListBranches,
                          PluginHook::SyncListCommits}) {
    SCOPED_TRACE(hookName(hook));
    EXPECT_FALSE(plugin->provides(hook));
    auto outcome = plugin->syncSetup(hook, kRequest);
    ASSERT_FALSE(outcome);
    EXPECT_EQ(outcome.status().code(), ErrorCode::NotFound);
    EXPECT_EQ(outcome.status().message(), std::string("plugin abi-1-3-sync does not provide ") + hookName(hook));
  }
}

sb_status initOk(const sb_host_api*, sb_str, void**, sb_output*) { return SB_OK; }
void destroyNothing(void*) {}
sb_status hookOk(void*, sb_call*, sb_str, sb_output*) { return SB_OK; }

TEST(SyncSetupAbi13, A13TableCannotClaimThe14Size) {
  sb_sync_source table{};
  table.struct_size = sizeof(sb_sync_source);
  table.on_list_tree = hookOk;
  table.on_read = hookOk;
  table.on_write = hookOk;
  table.on_validate = hookOk;
  sb_plugin plugin{};
  plugin.abi_major = SB_ABI_VERSION_MAJOR;
  plugin.abi_minor = 3;
  plugin.struct_size = sizeof(sb_plugin);
  plugin.id = {"old", 3};
  plugin.name = {"Old", 3};
  plugin.version = {"1.0.0", 5};
  plugin.on_init = initOk;
  plugin.on_destroy = destroyNothing;
  plugin.sync_source = &table;
  auto refused = validateDescriptor(plugin);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.status().message(), "sb_sync_source struct_size " + std::to_string(sizeof(sb_sync_source)) +
                                            " is larger than ABI 1.3's " +
                                            std::to_string(offsetof(sb_sync_source, on_validate)));
  table.struct_size = offsetof(sb_sync_source, on_validate);
  auto accepted = validateDescriptor(plugin);
  ASSERT_TRUE(accepted) << accepted.status().message();
  EXPECT_EQ(accepted->syncSource->on_validate, nullptr);  // the bytes past 1.3 were never read
}

}  // namespace
}  // namespace sb
