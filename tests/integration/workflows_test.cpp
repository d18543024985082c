// Workflows derived from workflows/*.yaml, end to end over HTTP on SQLite and
// PostgreSQL: invalid files with line and column, orphans through every
// endpoint (list, filter, get, compatible replacements, replace, recreate,
// deactivate), a workflow that survives its file's deletion and still runs
// real plugin actions against the provider fakes, and run idempotency.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include <Poco/JSON/Array.h>

#include "project_setup.hpp"
#include "server_process.hpp"

using namespace sbtest;

namespace {

constexpr const char* kDeployId = "3f2b8c1e-0d4a-4e6b-9a7c-5d1e2f3a4b5c";
constexpr const char* kCheckId = "11111111-2222-4333-8444-555555555555";
constexpr const char* kOtherId = "22222222-3333-4444-8555-666666666666";
constexpr const char* kCallerId = "33333333-4444-4555-8666-777777777777";

std::string checkWorkflow(const std::string& id, const std::string& name, const std::string& extraParams = "") {
  return "id: " + id + "\nname: " + name +
         "\ndescription: checks supabase\nparameters:\n  - {name: env, type: string, required: true}\n" + extraParams +
         "steps:\n  - {provider: supabase, action: test-connection}\n";
}

class WorkflowsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db.ok()) << "test database unavailable";
    std::string plugins;
    for (const auto& [name, fake] : fakes) plugins += fakePluginEntry(name, fake->baseUrl());
    configPath = writeConfig(dir, db, plugins, secretsSection(dir) + "actions:\n  rate_limit: 1000\n");
    server = std::make_unique<ServerProcess>(configPath);
    ASSERT_TRUE(server->ok()) << server->output();
    token = server->adminToken();
    project = linkedProject(*server, token);
  }

  std::string base() const { return "/api/v1/projects/" + project + "/workflows"; }

  HttpResponse put(const std::string& path, const std::string& text, const std::string& who = {}) {
    return server->request("PUT", "/api/v1/projects/" + project + "/files/" + path, who.empty() ? token : who, text);
  }
  HttpResponse remove(const std::string& path) {
    return server->request("DELETE", "/api/v1/projects/" + project + "/files/" + path, token);
  }
  Poco::JSON::Object::Ptr workflow(const std::string& id) {
    auto reply = server->request("GET", base() + "/" + id, token);
    EXPECT_EQ(reply.status, 200) << reply.body;
    return parseObject(reply.body);
  }
  Poco::JSON::Array::Ptr items(const std::string& target) {
    auto reply = server->request("GET", target, token);
    EXPECT_EQ(reply.status, 200) << reply.body;
    return parseObject(reply.body)->getArray("items");
  }
  HttpResponse run(const std::string& id, const std::string& body, const std::string& key,
                   const std::string& who = {}) {
    return server->request("POST", base() + "/" + id + "/runs", who.empty() ? token : who, body,
                           {{"Idempotency-Key", key}});
  }
  Poco::JSON::Object::Ptr action(const std::string& actionId) {
    auto reply = server->request("GET", "/api/v1/integrations/actions/" + actionId, token);
    EXPECT_EQ(reply.status, 200) << reply.body;
    return parseObject(reply.body);
  }
  std::string waitAction(const std::string& actionId) {
    for (int i = 0; i < 300; ++i) {
      const std::string state = action(actionId)->getValue<std::string>("state");
      if (state == "succeeded" || state == "failed") return state;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return "timeout";
  }
  // The run record once every step has ended.
  Poco::JSON::Object::Ptr waitRun(const std::string& location) {
    Poco::JSON::Object::Ptr record;
    for (int i = 0; i < 300; ++i) {
      auto reply = server->request("GET", location, token);
      EXPECT_EQ(reply.status, 200) << reply.body;
      record = parseObject(reply.body);
      auto steps = record->getArray("steps");
      bool ended = true;
      for (std::size_t s = 0; s < steps->size(); ++s) {
        const std::string state = steps->getObject(static_cast<unsigned>(s))->getValue<std::string>("state");
        ended = ended && state != "pending" && state != "running";
      }
      if (ended) return record;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return record;
  }

  ScratchDirectory dir;
  ScratchDatabase db;
  ProviderFakes fakes = startProviderFakes();
  std::string configPath;
  std::unique_ptr<ServerProcess> server;
  std::string token;
  std::string project;
};

TEST_F(WorkflowsTest, InvalidFilesNameLineAndColumnAndKeepTheLastGoodDefinition) {
  auto fresh = put("workflows/broken.yaml", "id: " + std::string(kCheckId) + "\nname: x\nsteps: []\n");
  ASSERT_EQ(fresh.status, 201) << fresh.body;
  auto problem = parseObject(fresh.body)->getObject("workflowProblem");
  ASSERT_TRUE(problem) << fresh.body;
  EXPECT_EQ(problem->getValue<std::string>("file"), "workflows/broken.yaml");
  EXPECT_EQ(problem->getValue<int>("line"), 3);
  EXPECT_EQ(problem->getValue<int>("column"), 8);
  EXPECT_EQ(items(base())->size(), 0u) << "an invalid file that was never valid defines nothing";

  ASSERT_EQ(put("workflows/check.yaml", checkWorkflow(kCheckId, "check")).status, 201);
  auto bad = put("workflows/check.yaml", "id: " + std::string(kCheckId) + "\nname: check\nsteps:\n  - {provider: a}\n");
  ASSERT_EQ(bad.status, 200) << bad.body;
  auto kept = workflow(kCheckId);
  EXPECT_EQ(kept->getValue<std::string>("name"), "check");
  EXPECT_EQ(kept->getArray("steps")->getObject(0)->getValue<std::string>("action"), "test-connection");
  auto shown = kept->getObject("problem");
  ASSERT_TRUE(shown);
  EXPECT_EQ(shown->getValue<int>("line"), 4);
  EXPECT_EQ(shown->getValue<int>("column"), 5);
  EXPECT_NE(shown->getValue<std::string>("message").find("'action' is required"), std::string::npos);

  ASSERT_EQ(put("workflows/check.yaml", checkWorkflow(kCheckId, "check again")).status, 200);
  auto fixed = workflow(kCheckId);
  EXPECT_FALSE(fixed->has("problem"));
  EXPECT_EQ(fixed->getValue<std::string>("name"), "check again");
}

TEST_F(WorkflowsTest, AWorkflowSurvivesItsFilesDeletionAndStillRuns) {
  ASSERT_EQ(put("workflows/check.yaml", checkWorkflow(kCheckId, "check")).status, 201);
  ASSERT_EQ(remove("workflows/check.yaml").status, 204);
  auto orphan = workflow(kCheckId);
  EXPECT_TRUE(orphan->getValue<bool>("orphaned"));
  EXPECT_TRUE(orphan->getValue<bool>("active"));
  EXPECT_NE(orphan->getValue<std::string>("source").find("test-connection"), std::string::npos);

  auto accepted = run(kCheckId, R"({"params":{"env":"prod"}})", "run-1");
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  auto record = parseObject(accepted.body);
  EXPECT_EQ(accepted.header("location"), base() + "/" + kCheckId + "/runs/" + record->getValue<std::string>("id"));
  auto actions = record->getArray("actions");
  ASSERT_EQ(actions->size(), 1u);
  EXPECT_EQ(waitAction(actions->getElement<std::string>(0)), "succeeded");

  // The same key replays the run; no second action starts.
  auto again = run(kCheckId, R"({"params":{"env":"prod"}})", "run-1");
  ASSERT_EQ(again.status, 202) << again.body;
  EXPECT_EQ(parseObject(again.body)->getArray("actions")->getElement<std::string>(0),
            actions->getElement<std::string>(0));
  EXPECT_EQ(workflow(kCheckId)->getValue<int>("runs"), 1);
  auto read = server->request("GET", accepted.header("location"), token);
  EXPECT_EQ(read.status, 200) << read.body;
}

TEST_F(WorkflowsTest, RunsCheckParametersCallsAndPermissions) {
  ASSERT_EQ(put("workflows/check.yaml", checkWorkflow(kCheckId, "check")).status, 201);
  auto missing = run(kCheckId, "{}", "p-1");
  EXPECT_EQ(missing.status, 422) << missing.body;
  EXPECT_EQ(missing.header("content-type"), "application/problem+json");
  EXPECT_EQ(run(kCheckId, R"({"params":{"env":3}})", "p-2").status, 422);
  EXPECT_EQ(run(kCheckId, R"({"params":{"env":"x","nope":1}})", "p-3").status, 422);
  EXPECT_EQ(server->request("POST", base() + "/" + kCheckId + "/runs", token, "{}").status, 400) << "no key";

  // A call of another workflow, and a cycle.
  ASSERT_EQ(put("workflows/caller.yaml", "id: " + std::string(kCallerId) +
                                             "\nname: caller\nsteps:\n  - {workflow: " + kCheckId +
                                             ", params: {env: prod}}\n  - {provider: supabase, action: test-connection}\n")
                .status,
            201);
  auto nested = run(kCallerId, "{}", "n-1");
  ASSERT_EQ(nested.status, 202) << nested.body;
  EXPECT_EQ(parseObject(nested.body)->getArray("actions")->size(), 2u);
  ASSERT_EQ(put("workflows/check.yaml", "id: " + std::string(kCheckId) +
                                            "\nname: check\nparameters: [{name: env, type: string}]\nsteps:\n"
                                            "  - {workflow: " + kCallerId + "}\n")
                .status,
            200);
  auto cycle = run(kCallerId, "{}", "n-2");
  EXPECT_EQ(cycle.status, 422) << cycle.body;
  EXPECT_NE(cycle.body.find("cycle"), std::string::npos);

  // Each step meets the caller's permission: an editor may not deploy to production.
  ASSERT_EQ(put("workflows/deploy.yaml", "id: " + std::string(kDeployId) +
                                             "\nname: deploy\nsteps:\n  - {provider: vercel, action: deploy, params: "
                                             "{waitForReady: false}}\n")
                .status,
            201);
  const std::string editor = memberToken(configPath, project, "eddie", "editor");
  EXPECT_EQ(run(kDeployId, "{}", "d-1", editor).status, 403);
  const std::string viewer = memberToken(configPath, project, "vic", "viewer");
  EXPECT_EQ(run(kDeployId, "{}", "d-2", viewer).status, 403);
  EXPECT_EQ(server->request("GET", base(), viewer).status, 200) << "viewers read";
}

TEST_F(WorkflowsTest, OrphansThroughEveryEndpoint) {
  ASSERT_EQ(put("workflows/check.yaml", checkWorkflow(kCheckId, "check")).status, 201);
  ASSERT_EQ(put("workflows/other.yaml", checkWorkflow(kOtherId, "other",
                                                      "  - {name: dry, type: boolean, default: false}\n"))
                .status,
            201);
  ASSERT_EQ(put("workflows/deploy.yaml", checkWorkflow(kDeployId, "deploy",
                                                       "  - {name: region, type: string, required: true}\n"))
                .status,
            201);
  ASSERT_EQ(put("workflows/caller.yaml", "id: " + std::string(kCallerId) +
                                             "\nname: caller\nsteps:\n  - {workflow: " + kCheckId +
                                             ", params: {env: prod}}\n")
                .status,
            201);
  EXPECT_EQ(items(base() + "?orphaned=true")->size(), 0u);
  EXPECT_EQ(items(base())->size(), 4u);
  EXPECT_EQ(server->request("GET", base() + "?orphaned=maybe", token).status, 400);
  EXPECT_EQ(server->request("GET", base() + "/nope", token).status, 404);

  // Changing a file's id orphans the workflow it declared.
  ASSERT_EQ(put("workflows/check.yaml", checkWorkflow("44444444-5555-4666-8777-888888888888", "renamed")).status, 200);
  auto orphans = items(base() + "?orphaned=true");
  ASSERT_EQ(orphans->size(), 1u);
  EXPECT_EQ(orphans->getObject(0)->getValue<std::string>("id"), kCheckId);

  // Compatible replacements: same required parameters and types, nothing more required.
  auto compatible = items(base() + "/" + kCheckId + "/compatible-replacements");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < compatible->size(); ++i) ids.insert(compatible->getObject(i)->getValue<std::string>("id"));
  EXPECT_EQ(ids, (std::set<std::string>{kOtherId, "44444444-5555-4666-8777-888888888888"}));

  // Recreate writes the stored source back; here the path is taken, so 409.
  EXPECT_EQ(server->request("POST", base() + "/" + kCheckId + "/recreate", token).status, 409);

  // Replace: incompatible 422, then a compatible one repoints the caller's file.
  ASSERT_EQ(run(kCheckId, R"({"params":{"env":"prod"}})", "before-replace").status, 202);
  auto refused = server->request("POST", base() + "/" + kCheckId + "/replace", token,
                                 R"({"replacementId":")" + std::string(kDeployId) + "\"}");
  EXPECT_EQ(refused.status, 422) << refused.body;
  auto replaced = server->request("POST", base() + "/" + kCheckId + "/replace", token,
                                  R"({"replacementId":")" + std::string(kOtherId) + "\"}");
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_EQ(server->request("GET", base() + "/" + kCheckId, token).status, 404) << "the orphan is gone";
  EXPECT_EQ(workflow(kOtherId)->getValue<int>("runs"), 1) << "its run history moved";
  auto callerFile = server->request("GET", "/api/v1/projects/" + project + "/files/workflows/caller.yaml", token);
  EXPECT_NE(callerFile.body.find(kOtherId), std::string::npos) << callerFile.body;
  EXPECT_EQ(callerFile.body.find(kCheckId), std::string::npos);

  // Recreate after a delete: the file comes back and the flag clears.
  ASSERT_EQ(remove("workflows/deploy.yaml").status, 204);
  EXPECT_TRUE(workflow(kDeployId)->getValue<bool>("orphaned"));
  auto recreated = server->request("POST", base() + "/" + kDeployId + "/recreate", token);
  ASSERT_EQ(recreated.status, 200) << recreated.body;
  EXPECT_FALSE(workflow(kDeployId)->getValue<bool>("orphaned"));
  EXPECT_EQ(server->request("GET", "/api/v1/projects/" + project + "/files/workflows/deploy.yaml", token).status, 200);

  // Deactivate: owners and admins only; a later run is 409.
  const std::string editor = memberToken(configPath, project, "eddie", "editor");
  EXPECT_EQ(server->request("POST", base() + "/" + kDeployId + "/deactivate", editor).status, 403);
  auto stopped = server->request("POST", base() + "/" + kDeployId + "/deactivate", token);
  ASSERT_EQ(stopped.status, 200) << stopped.body;
  EXPECT_FALSE(parseObject(stopped.body)->getValue<bool>("active"));
  auto later = run(kDeployId, R"({"params":{"env":"a","region":"b"}})", "after-deactivate");
  EXPECT_EQ(later.status, 409) << later.body;
  EXPECT_EQ(later.header("content-type"), "application/problem+json");
}

TEST_F(WorkflowsTest, RunParametersReachTheStepsWithTheirTypes) {
  ASSERT_EQ(put("workflows/release.yaml", "id: " + std::string(kDeployId) +
                                              "\nname: release\nparameters:\n"
                                              "  - {name: since, type: string, required: true}\n"
                                              "  - {name: wait, type: boolean, default: false}\n"
                                              "steps:\n"
                                              "  - provider: sanity\n    action: sync\n"
                                              "    params:\n      since: ${{ params.since }}\n"
                                              "  - {provider: vercel, action: deploy, params: {waitForReady: "
                                              "'${{ params.wait }}'}}\n")
                .status,
            201);
  fakes["sanity"]->clearRequests();
  auto accepted = run(kDeployId, R"({"params":{"since":"2026-01-02T03:04:05Z"}})", "subst-1");
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  auto record = waitRun(accepted.header("location"));
  ASSERT_EQ(record->getValue<std::string>("state"), "succeeded") << accepted.body;
  auto actions = record->getArray("actions");
  ASSERT_EQ(actions->size(), 2u);
  // The sanity action echoes the `since` it received and sent it to the fake.
  EXPECT_EQ(action(actions->getElement<std::string>(0))->getObject("result")->getValue<std::string>("since"),
            "2026-01-02T03:04:05Z");
  bool sent = false;
  for (const auto& request : fakes["sanity"]->requests()) {
    auto since = request.query.find("$since");
    sent = sent || (since != request.query.end() && since->second == "\"2026-01-02T03:04:05Z\"");
  }
  EXPECT_TRUE(sent);
  // The default `false` arrived as a boolean: the deploy did not wait (a string would be refused).
  auto progress = action(actions->getElement<std::string>(1))->getArray("progress");
  bool skippedWait = false;
  for (std::size_t i = 0; i < progress->size(); ++i) {
    auto step = progress->getObject(static_cast<unsigned>(i));
    skippedWait = skippedWait || (step->getValue<std::string>("step") == "wait-ready" &&
                                  step->getValue<std::string>("state") == "skipped");
  }
  EXPECT_TRUE(skippedWait);

  // A missing required parameter and an unknown reference are 422 problems at submit.
  auto missing = run(kDeployId, "{}", "subst-2");
  EXPECT_EQ(missing.status, 422) << missing.body;
  EXPECT_EQ(missing.header("content-type"), "application/problem+json");
  ASSERT_EQ(put("workflows/release.yaml", "id: " + std::string(kDeployId) +
                                              "\nname: release\nsteps:\n  - {provider: sanity, action: sync, "
                                              "params: {since: '${{ params.nope }}'}}\n")
                .status,
            200);
  auto unknown = run(kDeployId, "{}", "subst-3");
  EXPECT_EQ(unknown.status, 422) << unknown.body;
  EXPECT_EQ(unknown.header("content-type"), "application/problem+json");
  EXPECT_NE(unknown.body.find("params.nope"), std::string::npos) << unknown.body;
}

TEST_F(WorkflowsTest, StepsRunInOrderAndAFailureSkipsTheRest) {
  ASSERT_EQ(put("workflows/chain.yaml", "id: " + std::string(kCheckId) +
                                            "\nname: chain\nsteps:\n"
                                            "  - {provider: supabase, action: test-connection}\n"
                                            "  - {provider: sanity, action: sync}\n")
                .status,
            201);
  auto& supabase = *fakes["supabase"];
  auto& sanity = *fakes["sanity"];
  supabase.setMode("hang");
  supabase.clearRequests();
  sanity.clearRequests();
  auto accepted = run(kCheckId, "{}", "order-1");
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  const std::string location = accepted.header("location");
  for (int i = 0; i < 200 && supabase.requestCount() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  ASSERT_GT(supabase.requestCount(), 0u) << "step 1 started";
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto during = parseObject(server->request("GET", location, token).body);
  EXPECT_EQ(during->getValue<std::string>("state"), "running");
  auto steps = during->getArray("steps");
  ASSERT_EQ(steps->size(), 2u);
  EXPECT_EQ(steps->getObject(0)->getValue<std::string>("state"), "running");
  EXPECT_EQ(steps->getObject(1)->getValue<std::string>("state"), "pending") << "step 2 waits for step 1";
  EXPECT_EQ(sanity.requestCount(), 0u);

  supabase.setMode("malformed");  // step 1 fails
  auto failed = waitRun(location);
  EXPECT_EQ(failed->getValue<std::string>("state"), "failed");
  EXPECT_EQ(failed->getArray("steps")->getObject(0)->getValue<std::string>("state"), "failed");
  EXPECT_EQ(failed->getArray("steps")->getObject(1)->getValue<std::string>("state"), "skipped");
  const std::string skipped = failed->getArray("actions")->getElement<std::string>(1);
  EXPECT_EQ(waitAction(skipped), "failed");
  EXPECT_EQ(action(skipped)->getObject("error")->getValue<std::string>("code"), "skipped");
  EXPECT_EQ(sanity.requestCount(), 0u) << "a skipped step never reaches its provider";

  supabase.setMode("ok");
  auto next = run(kCheckId, "{}", "order-2");
  ASSERT_EQ(next.status, 202) << next.body;
  auto done = waitRun(next.header("location"));
  EXPECT_EQ(done->getValue<std::string>("state"), "succeeded");
  EXPECT_GT(sanity.requestCount(), 0u);
}

}  // namespace
