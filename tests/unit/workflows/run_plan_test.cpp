#include <map>

#include <gtest/gtest.h>

#include "workflows/run_plan.hpp"

namespace sb::workflows {
namespace {

WorkflowStep action(const char* provider, const char* name) { return {provider, name, "", "{}"}; }
WorkflowStep call(const char* id, const char* params = "{}") { return {"", "", id, params}; }

class RunPlan : public ::testing::Test {
 protected:
  WorkflowLookup lookup() {
    return [this](const std::string& id) -> std::optional<RunnableWorkflow> {
      auto found = known.find(id);
      if (found == known.end()) return std::nullopt;
      return found->second;
    };
  }
  std::map<std::string, RunnableWorkflow> known;
};

TEST_F(RunPlan, ChecksParametersAndFillsDefaults) {
  RunnableWorkflow root{"root", true, {{"env", "string", true, ""}, {"n", "integer", false, "3"}}, {action("a", "b")}};
  auto filled = checkedParams(root, R"({"env":"prod"})");
  ASSERT_TRUE(filled) << filled.status().message();
  EXPECT_EQ(*filled, R"({"env":"prod","n":3})");
  EXPECT_EQ(checkedParams(root, "{}").status().field(), "params.env");
  EXPECT_EQ(checkedParams(root, R"({"env":1})").status().field(), "params.env");
  EXPECT_EQ(checkedParams(root, R"({"env":"x","n":true})").status().field(), "params.n");
  EXPECT_EQ(checkedParams(root, R"({"env":"x","zzz":1})").status().field(), "params.zzz");
}

TEST_F(RunPlan, ExpandsCallsInPlaceWithStablePaths) {
  known["child"] = {"child", true, {{"env", "string", true, ""}}, {action("s", "t")}};
  RunnableWorkflow root{"root", true, {}, {action("a", "b"), call("child", R"({"env":"p"})")}};
  auto planned = planRun(lookup(), root, "{}");
  ASSERT_TRUE(planned) << planned.status().message();
  ASSERT_EQ(planned->size(), 2u);
  EXPECT_EQ((*planned)[0].path, "root/0");
  EXPECT_EQ((*planned)[1].path, "root/1/child/0");
  EXPECT_EQ((*planned)[1].workflowId, "child");
}

TEST_F(RunPlan, RefusesCyclesUnknownCallsBadCallParamsAndDeactivated) {
  known["a"] = {"a", true, {}, {call("b")}};
  known["b"] = {"b", true, {}, {call("a")}};
  auto cycle = planRun(lookup(), known["a"], "{}");
  ASSERT_FALSE(cycle);
  EXPECT_NE(cycle.status().message().find("a -> b -> a"), std::string::npos) << cycle.status().message();
  EXPECT_EQ(planRun(lookup(), {"x", true, {}, {call("nobody")}}, "{}").status().code(), ErrorCode::InvalidArgument);
  known["needs"] = {"needs", true, {{"env", "string", true, ""}}, {action("a", "b")}};
  EXPECT_EQ(planRun(lookup(), {"x", true, {}, {call("needs")}}, "{}").status().field(), "params.env");
  known["off"] = {"off", false, {}, {action("a", "b")}};
  EXPECT_EQ(planRun(lookup(), {"x", true, {}, {call("off")}}, "{}").status().code(), ErrorCode::Conflict);
  // The same workflow twice in a row is no cycle.
  known["leaf"] = {"leaf", true, {}, {action("a", "b")}};
  auto twice = planRun(lookup(), {"x", true, {}, {call("leaf"), call("leaf")}}, "{}");
  ASSERT_TRUE(twice) << twice.status().message();
  EXPECT_EQ(twice->size(), 2u);
}

TEST_F(RunPlan, SubstitutesRunParametersIntoStepsAndThroughCalls) {
  known["child"] = {"child", true, {{"count", "integer", true, ""}, {"label", "string", false, "\"c\""}},
                    {{"s", "t", "", R"({"n":"${{ params.count }}","label":"${{ params.label }}"})"}}};
  RunnableWorkflow root{"root", true, {{"env", "string", true, ""}, {"n", "integer", false, "2"}},
                        {{"a", "b", "", R"({"target":"${{ params.env }}","note":"env=${{ params.env }}"})"},
                         call("child", R"({"count":"${{ params.n }}"})")}};
  auto planned = planRun(lookup(), root, R"({"env":"prod"})");
  ASSERT_TRUE(planned) << planned.status().message();
  ASSERT_EQ(planned->size(), 2u);
  EXPECT_EQ((*planned)[0].paramsJson, R"({"note":"env=prod","target":"prod"})");
  EXPECT_EQ((*planned)[1].paramsJson, R"({"label":"c","n":2})") << "the default reaches the call, typed";
  // A call passing a string where the called workflow wants an integer is refused there.
  root.steps[1] = call("child", R"({"count":"${{ params.env }}"})");
  EXPECT_EQ(planRun(lookup(), root, R"({"env":"prod"})").status().field(), "params.count");
  // An unknown reference is refused before anything is planned.
  root.steps[1] = call("child", R"({"count":"${{ params.missing }}"})");
  auto unknown = planRun(lookup(), root, R"({"env":"prod"})");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.status().code(), ErrorCode::InvalidArgument);
  EXPECT_NE(unknown.status().message().find("step 2 of workflow 'root'"), std::string::npos);
}

}  // namespace
}  // namespace sb::workflows
