// Nothing a plugin throws may cross the ABI: every trampoline turns it into
// SB_ERR_INTERNAL with the exception's text in the output.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "switchboard/fake_host.hpp"
#include "switchboard/sdk.hpp"

using switchboard::Call;
using switchboard::Outcome;
using switchboard::testing::FakeHost;
using switchboard::testing::PluginHarness;

namespace {

class ThrowingPlugin : public switchboard::Plugin {
 public:
  static constexpr switchboard::Identity identity{"throwing", "Throwing", "1.0.0", "throws from every hook"};
  Outcome status(Call&, std::string_view request) override {
    if (request == "int") throw 42;
    throw std::runtime_error("status exploded");
  }
  Outcome listActions() override { throw std::logic_error("no list today"); }
  Outcome runAction(Call&, std::string_view, std::string_view) override { return Outcome::ok("{}"); }
};

class ThrowingInitPlugin : public switchboard::Plugin {
 public:
  static constexpr switchboard::Identity identity{"throwing-init", "Throwing init", "1.0.0", ""};
  Outcome init(std::string_view) override { throw std::runtime_error("cannot start"); }
};

class RefusingInitPlugin : public switchboard::Plugin {
 public:
  static constexpr switchboard::Identity identity{"refusing", "Refusing", "1.0.0", ""};
  Outcome init(std::string_view settings) override {
    if (settings.find("\"region\"") == std::string_view::npos) {
      return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "settings.region is required");
    }
    return Outcome::ok("ignored on success");
  }
};

int destroyed = 0;
class CountingPlugin : public switchboard::Plugin {
 public:
  static constexpr switchboard::Identity identity{"counting", "Counting", "1.0.0", ""};
  ~CountingPlugin() override { ++destroyed; }
};

}  // namespace

TEST(ExceptionBarrier, StdExceptionBecomesInternalWithMessage) {
  FakeHost host;
  PluginHarness plugin(switchboard::descriptorFor<ThrowingPlugin>(), host);
  ASSERT_EQ(plugin.init("{}").status, SB_OK);
  const Outcome outcome = plugin.status("{}");
  EXPECT_EQ(outcome.status, SB_ERR_INTERNAL);
  EXPECT_EQ(outcome.output, "plugin threw an exception: status exploded");
  const Outcome list = plugin.listActions();
  EXPECT_EQ(list.status, SB_ERR_INTERNAL);
  EXPECT_EQ(list.output, "plugin threw an exception: no list today");
}

TEST(ExceptionBarrier, NonStandardExceptionIsCaughtToo) {
  FakeHost host;
  PluginHarness plugin(switchboard::descriptorFor<ThrowingPlugin>(), host);
  ASSERT_EQ(plugin.init().status, SB_OK);
  const Outcome outcome = plugin.status("int");
  EXPECT_EQ(outcome.status, SB_ERR_INTERNAL);
  EXPECT_EQ(outcome.output, "plugin threw a non-standard exception");
}

TEST(ExceptionBarrier, ThrowingInitFailsCleanlyWithoutAnInstance) {
  FakeHost host;
  const sb_plugin* descriptor = switchboard::descriptorFor<ThrowingInitPlugin>();
  sb_output* error = nullptr;
  switchboard::testing::OutputBuffer buffer;
  error = buffer.raw();
  void* instance = reinterpret_cast<void*>(0x1);
  const sb_status status = descriptor->on_init(host.api(), switchboard::toSb("{}"), &instance, error);
  EXPECT_EQ(status, SB_ERR_INTERNAL);
  EXPECT_EQ(instance, nullptr);
  EXPECT_EQ(buffer.bytes, "plugin threw an exception: cannot start");
}

TEST(PluginInit, RefusalCarriesTheReasonAndSuccessWritesNothing) {
  FakeHost host;
  PluginHarness plugin(switchboard::descriptorFor<RefusingInitPlugin>(), host);
  const Outcome refused = plugin.init("{\"zone\":1}");
  EXPECT_EQ(refused.status, SB_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(refused.output, "settings.region is required");
  EXPECT_FALSE(plugin.initialised());
  const Outcome accepted = plugin.init("{\"region\":\"eu\"}");
  EXPECT_EQ(accepted.status, SB_OK);
  EXPECT_EQ(accepted.output, "");
  EXPECT_TRUE(plugin.initialised());
}

TEST(PluginInit, MalformedSettingsAreRejectedBeforeConstruction) {
  FakeHost host;
  PluginHarness plugin(switchboard::descriptorFor<RefusingInitPlugin>(), host);
  const Outcome broken = plugin.init("{\"region\": ");
  EXPECT_EQ(broken.status, SB_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(broken.output, "settings: invalid JSON at byte 11: expected a value, found end of input");
  const Outcome array = plugin.init("[\"region\"]");
  EXPECT_EQ(array.status, SB_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(array.output, "settings: invalid JSON at byte 0: expected a JSON object");
}

TEST(PluginInit, AbsentSettingsMeanAnEmptyObject) {
  FakeHost host;
  const sb_plugin* descriptor = switchboard::descriptorFor<CountingPlugin>();
  void* instance = nullptr;
  EXPECT_EQ(descriptor->on_init(host.api(), sb_str{nullptr, 0}, &instance, nullptr), SB_OK);
  ASSERT_NE(instance, nullptr);
  destroyed = 0;
  descriptor->on_destroy(instance);
  EXPECT_EQ(destroyed, 1);
}

TEST(PluginInit, NullArgumentsAreRefusedNotDereferenced) {
  FakeHost host;
  const sb_plugin* descriptor = switchboard::descriptorFor<CountingPlugin>();
  switchboard::testing::OutputBuffer error;
  EXPECT_EQ(descriptor->on_init(host.api(), switchboard::toSb("{}"), nullptr, error.raw()), SB_ERR_INVALID_ARGUMENT);
  EXPECT_FALSE(error.bytes.empty());
  void* instance = nullptr;
  EXPECT_EQ(descriptor->on_init(nullptr, switchboard::toSb("{}"), &instance, nullptr), SB_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(instance, nullptr);
}

TEST(Hooks, NullInstanceOrOutputIsInvalidArgument) {
  const sb_plugin* descriptor = switchboard::descriptorFor<ThrowingPlugin>();
  switchboard::testing::OutputBuffer out;
  EXPECT_EQ(descriptor->status_adapter->on_status(nullptr, nullptr, switchboard::toSb("{}"), out.raw()),
            SB_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(descriptor->actions->on_list(nullptr, out.raw()), SB_ERR_INVALID_ARGUMENT);
}
