// The actions capability across ABI versions, through the host's loader:
// a plugin built against the frozen 1.1 header (no on_list_for, no kinds,
// host_progress only) still loads, serves status and lists and runs its
// actions; a 1.2 plugin's on_list_for sees the link context, its structured
// steps reach PluginCall::step validated (malformed ones dropped), and the
// shapes of on_list(_for) and on_run output are checked.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "plugins/action_shapes.hpp"
#include "plugins/loaded_plugin.hpp"
#include "plugins/plugin_loader.hpp"
#include "plugins/progress_step.hpp"
#include "load_test_plugin.hpp"

namespace sb {
namespace {

std::shared_ptr<LoadedPlugin> load(const std::string& name) { return test::loadTestPlugin(name); }

const std::string kContext = R"({"projectId":"p1","key":"x","settings":{},"secretNames":["token"]})";
const std::string kRunRequest =
    R"({"projectId":"p1","key":"x","baseUrl":"","settings":{},"secrets":{},"params":{}})";

TEST(ActionsAbi11, LoadsAndServesStatus) {
  auto plugin = load("abi_1_1_actions");
  ASSERT_NE(plugin, nullptr);
  EXPECT_EQ(plugin->info().abiVersion, "1.1");
  EXPECT_TRUE(plugin->provides(PluginHook::ActionsRun));
  EXPECT_FALSE(plugin->provides(PluginHook::ActionsListFor));
  Result<std::string> status = plugin->callStatus(R"({"projectId":"p1","settings":{},"secrets":{}})");
  ASSERT_TRUE(status.isOk()) << status.status().message();
  EXPECT_NE(status->find("Served by an ABI 1.1 plugin"), std::string::npos);
}

TEST(ActionsAbi11, ListForFallsBackToOnListAndMissingKindReadsAsConfigure) {
  auto plugin = load("abi_1_1_actions");
  ASSERT_NE(plugin, nullptr);
  Result<std::vector<PluginAction>> actions = plugin->actionsListFor(kContext);
  ASSERT_TRUE(actions.isOk()) << actions.status().message();
  ASSERT_EQ(actions->size(), 2u);
  EXPECT_EQ((*actions)[0].id, "ping");
  EXPECT_EQ((*actions)[0].minRole, Role::Editor);
  EXPECT_EQ((*actions)[0].kind, ActionKind::Configure);
  EXPECT_EQ((*actions)[1].kind, ActionKind::Open);
}

TEST(ActionsAbi11, RunsActionsWithPlainProgress) {
  auto plugin = load("abi_1_1_actions");
  ASSERT_NE(plugin, nullptr);
  std::vector<std::string> messages;
  PluginCall call;
  call.progress = [&](uint64_t, uint64_t, const std::string& message) { messages.push_back(message); };
  Result<ActionRunOutcome> run = plugin->actionsRun("ping", kRunRequest, call);
  ASSERT_TRUE(run.isOk()) << run.status().message();
  EXPECT_TRUE(run->ok());
  EXPECT_EQ(run->resultJson, R"({"pong":true})");
  EXPECT_EQ(messages, std::vector<std::string>{"pinged"});

  Result<ActionRunOutcome> unknown = plugin->actionsRun("nope", kRunRequest);
  ASSERT_TRUE(unknown.isOk()) << unknown.status().message();
  EXPECT_EQ(unknown->status, SB_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(unknown->reason, "unknown action");
}

TEST(ActionsAbi12, OnListForSeesTheContext) {
  auto plugin = load("actions_steps");
  ASSERT_NE(plugin, nullptr);
  EXPECT_TRUE(plugin->provides(PluginHook::ActionsListFor));
  Result<std::vector<PluginAction>> withToken = plugin->actionsListFor(kContext);
  ASSERT_TRUE(withToken.isOk()) << withToken.status().message();
  ASSERT_EQ(withToken->size(), 1u);
  EXPECT_TRUE(withToken->front().enabled);
  EXPECT_EQ(withToken->front().kind, ActionKind::Check);

  Result<std::vector<PluginAction>> without =
      plugin->actionsListFor(R"({"projectId":"p1","key":"x","settings":{},"secretNames":[]})");
  ASSERT_TRUE(without.isOk()) << without.status().message();
  EXPECT_FALSE(without->front().enabled);
  EXPECT_EQ(without->front().reason, "add a token first");
}

TEST(ActionsAbi12, A12ListWithoutKindIsRefused) {
  auto plugin = load("actions_steps");
  ASSERT_NE(plugin, nullptr);
  Result<std::vector<PluginAction>> actions =
      plugin->actionsListFor(R"({"projectId":"kindless","key":"x","settings":{},"secretNames":[]})");
  ASSERT_FALSE(actions.isOk());
  EXPECT_EQ(actions.status().code(), ErrorCode::Unavailable);
  EXPECT_EQ(actions.status().message(),
            "plugin actions-steps returned a malformed action list from on_list_for: actions[0].kind is required");
}

TEST(ActionsAbi12, StepsAreValidatedAndMalformedOnesDropped) {
  auto plugin = load("actions_steps");
  ASSERT_NE(plugin, nullptr);
  std::vector<PluginStep> steps;
  PluginCall call;
  call.step = [&](const PluginStep& step) { steps.push_back(step); };
  Result<ActionRunOutcome> run = plugin->actionsRun("work", kRunRequest, call);
  ASSERT_TRUE(run.isOk()) << run.status().message();
  EXPECT_EQ(run->resultJson, R"({"worked":true})");
  // Of seven steps, five are malformed: not JSON, an unknown state, a bad
  // id, done past total, longer than SB_MAX_STEP_JSON.
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].step, "first");
  EXPECT_EQ(steps[0].state, StepState::Running);
  EXPECT_EQ(steps[0].total, 2u);
  EXPECT_EQ(steps[1].state, StepState::Succeeded);
  EXPECT_EQ(steps[1].done, 2u);
  EXPECT_EQ(steps[1].detail, "all done");
  EXPECT_EQ(steps[1].toJson(),
            R"({"step":"first","label":"First","state":"succeeded","done":2,"total":2,"detail":"all done"})");
}

TEST(ActionsAbi12, StepsReachProgressWhenNoStepSinkIsSet) {
  auto plugin = load("actions_steps");
  ASSERT_NE(plugin, nullptr);
  std::vector<std::string> labels;
  PluginCall call;
  call.progress = [&](uint64_t, uint64_t, const std::string& label) { labels.push_back(label); };
  ASSERT_TRUE(plugin->actionsRun("work", kRunRequest, call).isOk());
  EXPECT_EQ(labels, (std::vector<std::string>{"First", "First"}));
}

TEST(ActionsAbi12, RateLimitCarriesRetryAfter) {
  auto plugin = load("actions_steps");
  ASSERT_NE(plugin, nullptr);
  Result<ActionRunOutcome> run = plugin->actionsRun("limited", kRunRequest);
  ASSERT_TRUE(run.isOk()) << run.status().message();
  EXPECT_EQ(run->status, SB_ERR_RATE_LIMITED);
  EXPECT_EQ(run->reason, "slow down");
  ASSERT_TRUE(run->retryAfterSeconds.has_value());
  EXPECT_EQ(*run->retryAfterSeconds, 42);

  Result<ActionRunOutcome> plain = plugin->actionsRun("plain-failure", kRunRequest);
  ASSERT_TRUE(plain.isOk());
  EXPECT_EQ(plain->status, SB_ERR_UNAVAILABLE);
  EXPECT_EQ(plain->reason, "the provider is down");
  EXPECT_FALSE(plain->retryAfterSeconds.has_value());
}

TEST(ActionsAbi12, MalformedResultsAreRefused) {
  auto plugin = load("actions_steps");
  ASSERT_NE(plugin, nullptr);
  Result<ActionRunOutcome> badUrl = plugin->actionsRun("bad-url", kRunRequest);
  ASSERT_FALSE(badUrl.isOk());
  EXPECT_EQ(badUrl.status().code(), ErrorCode::Unavailable);
  EXPECT_EQ(badUrl.status().message().rfind("plugin actions-steps returned a malformed result from on_run: url ", 0),
            0u)
      << badUrl.status().message();
  Result<ActionRunOutcome> array = plugin->actionsRun("not-object", kRunRequest);
  ASSERT_FALSE(array.isOk());
  EXPECT_EQ(array.status().message(),
            "plugin actions-steps returned a malformed result from on_run: the action result is not a JSON object");
}

TEST(ActionShapes, ActionListChecks) {
  EXPECT_TRUE(parseActionList(R"([{"id":"a","label":"A","minRole":"viewer","kind":"open"}])", true).isOk());
  const std::vector<std::pair<std::string, std::string>> refused{
      {R"({"id":"a"})", "the action list is not a JSON array"},
      {R"([{"id":"A b","label":"A","minRole":"viewer","kind":"open"}])", "actions[0].id must match [a-z0-9][a-z0-9_-]*"},
      {R"([{"id":"a","label":"A","minRole":"boss","kind":"open"}])", "actions[0].minRole must be owner, admin, editor or viewer"},
      {R"([{"id":"a","label":"A","minRole":"admin","kind":"deploy"}])", "actions[0].kind is not a known kind"},
      {R"([{"id":"a","label":"A","minRole":"admin","kind":"push","enabled":"no"}])", "actions[0].enabled must be a boolean"},
      {R"([{"id":"a","label":"A","minRole":"admin","kind":"push"},{"id":"a","label":"B","minRole":"admin","kind":"push"}])",
       "actions[1].id repeats \"a\""},
  };
  for (const auto& [json, message] : refused) {
    Result<std::vector<PluginAction>> parsed = parseActionList(json, true);
    ASSERT_FALSE(parsed.isOk()) << json;
    EXPECT_EQ(parsed.status().message(), message) << json;
  }
  for (const char* kind : {"connect", "disconnect", "configure", "deploy-production", "deploy-preview", "push",
                           "content-sync", "check", "open"}) {
    const std::optional<ActionKind> parsed = parseActionKind(kind);
    ASSERT_TRUE(parsed.has_value()) << kind;
    EXPECT_STREQ(actionKindName(*parsed), kind);
  }
}

TEST(ActionShapes, StepChecks) {
  EXPECT_TRUE(parseProgressStep(R"({"step":"a-1","label":"A","state":"skipped"})").isOk());
  const std::vector<std::pair<std::string, std::string>> refused{
      {"[]", "step is not a JSON object"},
      {R"({"label":"A","state":"running"})", "step step is required"},
      {R"({"step":"-a","label":"A","state":"running"})", "step step must match [a-z0-9][a-z0-9-]*"},
      {R"({"step":"a","label":"","state":"running"})", "step label must not be empty"},
      {R"({"step":"a","label":"A","state":"done"})", "step state must be running, succeeded, failed or skipped"},
      {R"({"step":"a","label":"A","state":"running","done":-1})", "step done must be a non-negative integer"},
      {R"({"step":"a","label":"A","state":"running","detail":7})", "step detail must be a string"},
  };
  for (const auto& [json, message] : refused) {
    Result<PluginStep> parsed = parseProgressStep(json);
    ASSERT_FALSE(parsed.isOk()) << json;
    EXPECT_EQ(parsed.status().message(), message) << json;
  }
}

}  // namespace
}  // namespace sb
