// ABI 1.2 in the C++ SDK: Call::step sends structured steps (and falls back
// to host_progress on an older host), listActionsFor is advertised only when
// overridden, and Outcome::rateLimited writes the structured reason.
#include <gtest/gtest.h>

#include <cstddef>
#include <string>

#include "switchboard/fake_host.hpp"
#include "switchboard/sdk.hpp"

using switchboard::Call;
using switchboard::Outcome;
using switchboard::StepState;
using switchboard::testing::FakeCall;
using switchboard::testing::FakeHost;
using switchboard::testing::PluginHarness;

namespace {

class StepsPlugin : public switchboard::Plugin {
 public:
  static constexpr switchboard::Identity identity{"steps", "Steps", "0.1.0", ""};
  Outcome listActions() override { return Outcome::ok(R"([{"id":"go","label":"Go","minRole":"editor","kind":"check"}])"); }
  Outcome runAction(Call& call, std::string_view, std::string_view) override {
    call.step("fetch", "Fetching \"data\"", StepState::Running, 0, 2);
    call.step("fetch", "Fetching \"data\"", StepState::Succeeded, 2, 2);
    return Outcome::rateLimited("wait a bit", 30);
  }
};

class ContextPlugin : public StepsPlugin {
 public:
  static constexpr switchboard::Identity identity{"context", "Context", "0.1.0", ""};
  Outcome listActionsFor(Call&, std::string_view context) override {
    return Outcome::ok("[{\"id\":\"go\",\"label\":" + switchboard::json::quote(context) +
                       ",\"minRole\":\"editor\",\"kind\":\"check\"}]");
  }
};

TEST(ActionSteps, StepsReachTheHostAsJson) {
  FakeHost host;
  PluginHarness plugin(switchboard::descriptorFor<StepsPlugin>(), host);
  ASSERT_EQ(plugin.init().status, SB_OK);
  FakeCall call;
  Outcome outcome = plugin.runAction("go", "{}", &call);
  EXPECT_EQ(outcome.status, SB_ERR_RATE_LIMITED);
  EXPECT_EQ(outcome.output, R"({"reason":"wait a bit","retryAfter":30})");
  const auto steps = call.steps();
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].json, R"({"step":"fetch","label":"Fetching \"data\"","state":"running","done":0,"total":2})");
  EXPECT_TRUE(steps[1].has("state", "succeeded"));
  EXPECT_EQ(call.droppedSteps(), 0u);
  EXPECT_TRUE(call.progress().empty());
}

TEST(ActionSteps, AnOlderHostGetsPlainProgress) {
  FakeHost host;
  host.mutableApi().struct_size = offsetof(sb_host_api, host_progress_step);
  host.mutableApi().abi_minor = 1;
  PluginHarness plugin(switchboard::descriptorFor<StepsPlugin>(), host);
  ASSERT_EQ(plugin.init().status, SB_OK);
  FakeCall call;
  plugin.runAction("go", "{}", &call);
  EXPECT_TRUE(call.steps().empty());
  const auto progress = call.progress();
  ASSERT_EQ(progress.size(), 2u);
  EXPECT_EQ(progress[0].message, "Fetching \"data\": running");
  EXPECT_EQ(progress[1].done, 2u);
  EXPECT_EQ(progress[1].total, 2u);
  EXPECT_EQ(progress[1].message, "Fetching \"data\": succeeded");
}

TEST(ActionSteps, FakeCallDropsWhatTheHostWouldDrop) {
  FakeCall call;
  call.reportStep("not json");
  call.reportStep(std::string(SB_MAX_STEP_JSON + 1, ' '));
  call.reportStep(R"({"step":"a","label":"A","state":"running"})");
  EXPECT_EQ(call.droppedSteps(), 2u);
  EXPECT_EQ(call.steps().size(), 1u);
}

TEST(ActionSteps, ListActionsForIsAdvertisedOnlyWhenOverridden) {
  const sb_plugin* plain = switchboard::descriptorFor<StepsPlugin>();
  ASSERT_NE(plain->actions, nullptr);
  EXPECT_EQ(plain->actions->struct_size, sizeof(sb_actions));
  EXPECT_EQ(plain->actions->on_list_for, nullptr);
  const sb_plugin* withContext = switchboard::descriptorFor<ContextPlugin>();
  ASSERT_NE(withContext->actions, nullptr);
  EXPECT_NE(withContext->actions->on_list_for, nullptr);

  FakeHost host;
  PluginHarness contextual(withContext, host);
  ASSERT_EQ(contextual.init().status, SB_OK);
  Outcome listed = contextual.listActionsFor(R"({"projectId":"p"})");
  EXPECT_EQ(listed.status, SB_OK);
  EXPECT_NE(listed.output.find(R"(\"projectId\")"), std::string::npos) << listed.output;

  PluginHarness fallback(plain, host);
  ASSERT_EQ(fallback.init().status, SB_OK);
  EXPECT_EQ(fallback.listActionsFor(R"({"projectId":"p"})").output,
            R"([{"id":"go","label":"Go","minRole":"editor","kind":"check"}])");
}

TEST(ActionSteps, RateLimitedWithoutAKnownWaitOmitsRetryAfter) {
  EXPECT_EQ(Outcome::rateLimited("busy", -1).output, R"({"reason":"busy"})");
}

}  // namespace
