// What a plugin author's unit test looks like: the class under the fake host.
#include <gtest/gtest.h>

#include <switchboard/conformance.hpp>
#include <switchboard/fake_host.hpp>

#include "hello_plugin.hpp"

using switchboard::testing::FakeHost;
using switchboard::testing::PluginHarness;

TEST(Hello, DescriptorIsConformant) {
  const sb_plugin* plugin = switchboard::descriptorFor<HelloPlugin>();
  EXPECT_TRUE(switchboard::descriptorProblems(plugin).empty());
  EXPECT_EQ(switchboard::capabilityNames(*plugin), std::vector<std::string>{"status"});
}

TEST(Hello, ReportsConnected) {
  FakeHost host;
  PluginHarness plugin(switchboard::descriptorFor<HelloPlugin>(), host);
  ASSERT_EQ(plugin.init("{}").status, SB_OK);
  const auto outcome = plugin.status(R"({"projectId":"p1","settings":{},"secrets":{}})");
  EXPECT_EQ(outcome.status, SB_OK);
  EXPECT_EQ(outcome.output, R"({"status":"connected","summary":"Hello from an out-of-tree plugin"})");
  EXPECT_TRUE(host.logged("status requested"));
}

TEST(Hello, RejectsAMalformedRequest) {
  FakeHost host;
  PluginHarness plugin(switchboard::descriptorFor<HelloPlugin>(), host);
  ASSERT_EQ(plugin.init().status, SB_OK);
  const auto outcome = plugin.status("{");
  EXPECT_EQ(outcome.status, SB_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(outcome.output, "request: invalid JSON at byte 1: expected a string key");
}
