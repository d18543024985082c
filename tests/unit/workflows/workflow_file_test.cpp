#include <gtest/gtest.h>

#include "workflows/workflow_file.hpp"

namespace sb::workflows {
namespace {

constexpr const char* kValid =
    "id: 3f2b8c1e-0d4a-4e6b-9a7c-5d1e2f3a4b5c\n"
    "name: deploy\n"
    "description: ships it\n"
    "parameters:\n"
    "  - {name: env, type: string, required: true}\n"
    "  - {name: retries, type: integer, default: 3}\n"
    "  - {name: dry, type: boolean, default: false}\n"
    "steps:\n"
    "  - {provider: supabase, action: test-connection, params: {verbose: true, label: \"7\"}}\n"
    "  - workflow: 11111111-2222-4333-8444-555555555555\n"
    "    params: {env: prod}\n";

TEST(WorkflowFile, ParsesEveryField) {
  const ParsedWorkflow parsed = parseWorkflowFile("workflows/deploy.yaml", kValid);
  ASSERT_TRUE(parsed.definition) << parsed.problem.text();
  const WorkflowDefinition& d = *parsed.definition;
  EXPECT_EQ(d.id, "3f2b8c1e-0d4a-4e6b-9a7c-5d1e2f3a4b5c");
  EXPECT_EQ(d.name, "deploy");
  EXPECT_EQ(d.description, "ships it");
  ASSERT_EQ(d.parameters.size(), 3u);
  EXPECT_TRUE(d.parameters[0].required);
  EXPECT_EQ(d.parameters[1].type, "integer");
  EXPECT_EQ(d.parameters[1].defaultJson, "3");
  EXPECT_EQ(d.parameters[2].defaultJson, "false");
  ASSERT_EQ(d.steps.size(), 2u);
  EXPECT_EQ(d.steps[0].provider, "supabase");
  EXPECT_EQ(d.steps[0].paramsJson, "{\"label\":\"7\",\"verbose\":true}") << "sorted keys; quoted stays a string";
  EXPECT_TRUE(d.steps[1].isCall());
  EXPECT_EQ(d.steps[1].workflow, "11111111-2222-4333-8444-555555555555");
}

TEST(WorkflowFile, JsonRoundTripKeepsParametersAndSteps) {
  const ParsedWorkflow parsed = parseWorkflowFile("workflows/deploy.yaml", kValid);
  ASSERT_TRUE(parsed.definition);
  const auto parameters = parametersFromJson(parametersJson(parsed.definition->parameters));
  ASSERT_EQ(parameters.size(), 3u);
  EXPECT_EQ(parameters[1].defaultJson, "3");
  const auto steps = stepsFromJson(stepsJson(parsed.definition->steps));
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[1].workflow, parsed.definition->steps[1].workflow);
  EXPECT_EQ(steps[0].paramsJson, parsed.definition->steps[0].paramsJson);
}

struct BadFile {
  const char* text;
  int line;
  int column;
  const char* says;
};

class WorkflowFileProblems : public ::testing::TestWithParam<BadFile> {};

TEST_P(WorkflowFileProblems, NameFileLineAndColumn) {
  const BadFile& bad = GetParam();
  const ParsedWorkflow parsed = parseWorkflowFile("workflows/x.yaml", bad.text);
  ASSERT_FALSE(parsed.definition);
  EXPECT_EQ(parsed.problem.file, "workflows/x.yaml");
  EXPECT_EQ(parsed.problem.line, bad.line) << parsed.problem.text();
  EXPECT_EQ(parsed.problem.column, bad.column) << parsed.problem.text();
  EXPECT_NE(parsed.problem.message.find(bad.says), std::string::npos) << parsed.problem.text();
  EXPECT_EQ(parsed.problem.text().rfind("workflows/x.yaml:" + std::to_string(bad.line) + ":", 0), 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, WorkflowFileProblems,
    ::testing::Values(
        BadFile{"id: [unclosed\n", 2, 1, "end of sequence"},
        BadFile{"id: not-a-uuid\nname: x\nsteps: [{provider: a, action: b}]\n", 1, 5, "UUID"},
        BadFile{"id: 3f2b8c1e-0d4a-4e6b-9a7c-5d1e2f3a4b5c\nname: x\nsteps: []\n", 3, 8, "non-empty"},
        BadFile{"id: 3f2b8c1e-0d4a-4e6b-9a7c-5d1e2f3a4b5c\nname: x\nparameters:\n  - {name: a, type: float}\n"
                "steps: [{provider: a, action: b}]\n",
                4, 21, "string, integer or boolean"},
        BadFile{"id: 3f2b8c1e-0d4a-4e6b-9a7c-5d1e2f3a4b5c\nname: x\nsteps:\n  - provider: a\n", 4, 5,
                "'action' is required"},
        BadFile{"id: 3f2b8c1e-0d4a-4e6b-9a7c-5d1e2f3a4b5c\nname: x\nstpes: []\n", 3, 1, "unknown key 'stpes'"},
        BadFile{"id: 3f2b8c1e-0d4a-4e6b-9a7c-5d1e2f3a4b5c\nname: x\nparameters:\n"
                "  - {name: n, type: integer, default: abc}\nsteps: [{provider: a, action: b}]\n",
                4, 39, "not of type integer"}));

TEST(WorkflowFile, OnlyYamlFilesDirectlyUnderWorkflowsAreWorkflows) {
  EXPECT_TRUE(isWorkflowPath("workflows/deploy.yaml"));
  EXPECT_FALSE(isWorkflowPath("workflows/.yaml"));
  EXPECT_FALSE(isWorkflowPath("workflows/sub/deploy.yaml"));
  EXPECT_FALSE(isWorkflowPath("workflows/deploy.yml"));
  EXPECT_FALSE(isWorkflowPath("other/deploy.yaml"));
}

}  // namespace
}  // namespace sb::workflows
