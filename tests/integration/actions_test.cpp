// POST /api/v1/integrations/actions end to end: the real binary and bundled
// plugins against the provider fakes, on SQLite and PostgreSQL: the
// Idempotency-Key matrix (50 concurrent requests, one execution), the
// permission table for every role, the shared rate limit across two
// instances, and an action running in its plugin with progress over SSE.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include <Poco/DigestEngine.h>
#include <Poco/JSON/Array.h>
#include <Poco/SHA2Engine.h>

#include "project_setup.hpp"
#include "server_process.hpp"
#include "sse_client.hpp"
#include "store/store.hpp"

using namespace sbtest;
using sb::testing::SseClient;

namespace {

class ActionsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(db.ok()) << "test database unavailable"; }

  std::string config(const std::string& actions = "actions:\n  rate_limit: 1000\n") {
    std::string plugins;
    for (const auto& [name, fake] : fakes) plugins += fakePluginEntry(name, fake->baseUrl());
    return writeConfig(dir, db, plugins,
                       secretsSection(dir) + actions + "events:\n  heartbeat_ms: 100\n  poll_ms: 50\n");
  }

  static std::string body(const std::string& projectId, const std::string& provider, const std::string& action,
                          const std::string& params = "{}") {
    return R"({"projectId":")" + projectId + R"(","provider":")" + provider + R"(","action":")" + action +
           R"(","params":)" + params + "}";
  }

  static HttpResponse post(const ServerProcess& server, const std::string& token, const std::string& payload,
                           const std::string& key) {
    std::map<std::string, std::string> headers;
    if (!key.empty()) headers["Idempotency-Key"] = key;
    return server.request("POST", "/api/v1/integrations/actions", token, payload, headers);
  }

  // Waits until the action is no longer pending or running.
  static Poco::JSON::Object::Ptr waitDone(const ServerProcess& server, const std::string& token, const std::string& id) {
    for (int i = 0; i < 300; ++i) {
      auto reply = server.request("GET", "/api/v1/integrations/actions/" + id, token);
      EXPECT_EQ(reply.status, 200) << reply.body;
      auto record = parseObject(reply.body);
      const std::string state = record->getValue<std::string>("state");
      if (state == "succeeded" || state == "failed") return record;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "action " << id << " never finished";
    return nullptr;
  }

  ScratchDirectory dir;
  ScratchDatabase db;
  ProviderFakes fakes = startProviderFakes();
};

TEST_F(ActionsTest, TheKeyIsRequiredAndChecked) {
  ServerProcess server(config());
  ASSERT_TRUE(server.ok()) << server.output();
  const std::string id = linkedProject(server, server.adminToken());
  auto missing = post(server, server.adminToken(), body(id, "supabase", "test-connection"), "");
  EXPECT_EQ(missing.status, 400) << missing.body;
  EXPECT_EQ(missing.header("content-type"), "application/problem+json");
  EXPECT_NE(missing.body.find("Idempotency-Key"), std::string::npos);
  EXPECT_EQ(missing.header("ratelimit-policy"), "\"actions\";q=1000;w=60");
  auto tooLong = post(server, server.adminToken(), body(id, "supabase", "test-connection"), std::string(256, 'k'));
  EXPECT_EQ(tooLong.status, 400);
  auto badParams = post(server, server.adminToken(), body(id, "supabase", "test-connection", "[1]"), "k-params");
  EXPECT_EQ(badParams.status, 400) << badParams.body;
  auto unknownAction = post(server, server.adminToken(), body(id, "supabase", "explode"), "k-unknown");
  EXPECT_EQ(unknownAction.status, 404) << unknownAction.body;
  // A refused request gives its key back: the same key works once the request is fixed.
  auto fixed = post(server, server.adminToken(), body(id, "supabase", "test-connection"), "k-unknown");
  EXPECT_EQ(fixed.status, 202) << fixed.body;
}

TEST_F(ActionsTest, SameKeyReplaysTheStoredResponseAndADifferentPayloadIs422) {
  const std::string path = config();
  ServerProcess server(path);
  ASSERT_TRUE(server.ok()) << server.output();
  const std::string id = linkedProject(server, server.adminToken());
  auto first = post(server, server.adminToken(), body(id, "supabase", "test-connection"), "key-replay");
  ASSERT_EQ(first.status, 202) << first.body;
  const std::string location = first.header("location");
  EXPECT_EQ(location.rfind("/api/v1/integrations/actions/act_", 0), 0u) << location;
  EXPECT_EQ(parseObject(first.body)->getValue<std::string>("state"), "pending");
  EXPECT_FALSE(first.header("ratelimit").empty());

  auto again = post(server, server.adminToken(), body(id, "supabase", "test-connection"), "key-replay");
  EXPECT_EQ(again.status, 202);
  EXPECT_EQ(again.body, first.body) << "the stored response, as it was";
  EXPECT_EQ(again.header("location"), location);

  auto different = post(server, server.adminToken(), body(id, "supabase", "test-connection", R"({"x":1})"),
                        "key-replay");
  EXPECT_EQ(different.status, 422) << different.body;
  // Keys are per user: another user's identical key is their own.
  const std::string editor = memberToken(path, id, "eddie", "editor");
  auto theirs = post(server, editor, body(id, "supabase", "test-connection"), "key-replay");
  EXPECT_EQ(theirs.status, 202) << theirs.body;
  EXPECT_NE(theirs.body, first.body);
}

TEST_F(ActionsTest, FiftyConcurrentRequestsWithOneKeyExecuteOnce) {
  ServerProcess server(config());
  ASSERT_TRUE(server.ok()) << server.output();
  const std::string id = linkedProject(server, server.adminToken());
  std::vector<HttpResponse> replies(50);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < replies.size(); ++i) {
    threads.emplace_back([&, i] {
      replies[i] = post(server, server.adminToken(), body(id, "supabase", "test-connection"), "one-key");
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> bodies;
  for (const auto& reply : replies) {
    EXPECT_EQ(reply.status, 202) << reply.body;
    bodies.insert(reply.body);
  }
  EXPECT_EQ(bodies.size(), 1u) << "every reply is the one stored response";
  auto listed = server.request("GET", "/api/v1/integrations/actions?projectId=" + id, server.adminToken());
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(parseObject(listed.body)->getArray("items")->size(), 1u) << "exactly one execution";
}

TEST_F(ActionsTest, AnActionRunsInItsPluginAndReportsProgressOverSse) {
  ServerProcess server(config());
  ASSERT_TRUE(server.ok()) << server.output();
  const std::string id = linkedProject(server, server.adminToken());
  SseClient events(server.port(), "/api/v1/integrations/events?projectId=" + id,
                   {{"Authorization", "Bearer " + server.adminToken()}});
  ASSERT_EQ(events.status(), 200);
  events.waitForComments(1);
  auto accepted = post(server, server.adminToken(), body(id, "supabase", "test-connection"), "run-1");
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  const std::string actionId = parseObject(accepted.body)->getValue<std::string>("id");
  auto record = waitDone(server, server.adminToken(), actionId);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->getValue<std::string>("state"), "succeeded") << accepted.body;
  EXPECT_TRUE(record->getObject("result")->getValue<bool>("healthy"));
  EXPECT_GE(record->getArray("progress")->size(), 1u);
  EXPECT_EQ(record->getObject("result")->has("latencyMs"), true);

  // running, one or more steps, then completed: in order, each an event.
  std::vector<std::string> types;
  for (int i = 0; i < 20 && (types.empty() || types.back() != "action.completed"); ++i) {
    for (const auto& event : events.next(1)) types.push_back(event.type);
  }
  ASSERT_GE(types.size(), 3u);
  EXPECT_EQ(types.front(), "action.progress");
  EXPECT_EQ(types.back(), "action.completed");
  // No secret reaches the action record or its events.
  EXPECT_EQ(accepted.body.find("sbp_contract_token"), std::string::npos);
}

TEST_F(ActionsTest, EveryRoleMayRunExactlyWhatThePermissionTableAllows) {
  const std::string path = config();
  ServerProcess server(path);
  ASSERT_TRUE(server.ok()) << server.output();
  const std::string id = linkedProject(server, server.adminToken());
  const std::map<std::string, std::string> tokens{
      {"owner", server.adminToken()},
      {"admin", memberToken(path, id, "ada", "admin")},
      {"editor", memberToken(path, id, "eddie", "editor")},
      {"viewer", memberToken(path, id, "vic", "viewer")},
  };
  struct Case {
    std::string provider, action;
    std::set<std::string> allowed;
  };
  const std::vector<Case> cases{
      {"vercel", "deploy", {"owner", "admin"}},                         // deploy-production
      {"vercel", "deploy-preview", {"owner", "admin", "editor"}},       // deploy-preview
      {"vercel", "link", {"owner", "admin"}},                           // connect
      {"supabase", "test-connection", {"owner", "admin", "editor"}},    // check
      {"sanity", "sync", {"owner", "admin", "editor"}},                 // content-sync
      {"sanity", "open-studio", {"owner", "admin", "editor"}},          // open
      {"github", "push", {"owner", "admin", "editor"}},                 // push (run by the host's sync)
  };
  int n = 0;
  for (const auto& c : cases) {
    for (const auto& [role, token] : tokens) {
      SCOPED_TRACE(role + " " + c.provider + " " + c.action);
      auto reply = post(server, token, body(id, c.provider, c.action, R"({"waitForReady":false})"),
                        "perm-" + std::to_string(++n));
      if (c.allowed.count(role) != 0) {
        EXPECT_EQ(reply.status, 202) << reply.body;
      } else {
        EXPECT_EQ(reply.status, 403) << reply.body;
        EXPECT_EQ(reply.header("content-type"), "application/problem+json");
      }
    }
  }
}

TEST_F(ActionsTest, AnActionRunningWhenTheServerIsKilledIsInterruptedAfterTheRestart) {
  // A long poll interval keeps the Vercel deploy running (between polls) when the kill comes.
  std::string plugins;
  for (const auto& [name, fake] : fakes) {
    plugins += fakePluginEntry(name, fake->baseUrl());
    if (name == "vercel") plugins += "      settings: {deployPollIntervalMs: 60000}\n";
  }
  const std::string path = writeConfig(dir, db, plugins, secretsSection(dir) + "actions:\n  rate_limit: 1000\n");
  auto server = std::make_unique<ServerProcess>(path);
  ASSERT_TRUE(server->ok()) << server->output();
  const std::string token = server->adminToken();
  const std::string id = linkedProject(*server, token);
  auto accepted = post(*server, token, body(id, "vercel", "deploy"), "deploy-then-crash");
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  const std::string actionId = parseObject(accepted.body)->getValue<std::string>("id");
  bool running = false;
  for (int i = 0; i < 200 && !running; ++i) {
    auto record = parseObject(server->request("GET", "/api/v1/integrations/actions/" + actionId, token).body);
    running = record->getValue<std::string>("state") == "running" && record->getArray("progress")->size() >= 2;
    if (!running) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(running) << "the deploy should be waiting between polls";
  server->kill();

  server = std::make_unique<ServerProcess>(path);
  ASSERT_TRUE(server->ok()) << server->output();
  auto after = server->request("GET", "/api/v1/integrations/actions/" + actionId, token);
  ASSERT_EQ(after.status, 200) << after.body;
  auto record = parseObject(after.body);
  EXPECT_EQ(record->getValue<std::string>("state"), "failed");
  EXPECT_EQ(record->getObject("error")->getValue<std::string>("code"), "interrupted");
}

TEST_F(ActionsTest, ARepeatWhileTheFirstRequestIsStillBeingAnsweredIs409) {
  ServerProcess server(config("actions:\n  rate_limit: 1000\n  idempotency_wait_ms: 200\n"));
  ASSERT_TRUE(server.ok()) << server.output();
  const std::string id = linkedProject(server, server.adminToken());
  // Another instance has reserved the key for the same payload and not answered yet.
  auto other = sb::Store::open(db.config());
  ASSERT_TRUE(other.isOk()) << other.status().message();
  auto admin = (*other)->users().findUser("admin");
  ASSERT_TRUE(admin.isOk() && admin->has_value());
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(id + "\nsupabase\ntest-connection\n{}");
  const std::string hash = Poco::DigestEngine::digestToHex(sha.digest());
  const auto nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  auto reserved = (*other)->actions().reserveKey((*admin)->id, "in-flight", hash, nowMs, 0);
  ASSERT_TRUE(reserved.isOk() && reserved->reserved);

  auto busy = post(server, server.adminToken(), body(id, "supabase", "test-connection"), "in-flight");
  EXPECT_EQ(busy.status, 409) << busy.body;
  EXPECT_EQ(busy.header("content-type"), "application/problem+json");
  auto different = post(server, server.adminToken(), body(id, "supabase", "test-connection", R"({"x":1})"),
                        "in-flight");
  EXPECT_EQ(different.status, 422) << "a different payload is refused at once";
  // Once the first request stored its answer, a repeat replays it.
  ASSERT_TRUE((*other)->actions().completeKey((*admin)->id, "in-flight", 202, R"({"id":"act_elsewhere"})").isOk());
  auto replay = post(server, server.adminToken(), body(id, "supabase", "test-connection"), "in-flight");
  EXPECT_EQ(replay.status, 202);
  EXPECT_EQ(replay.body, R"({"id":"act_elsewhere"})");
  EXPECT_EQ(replay.header("location"), "/api/v1/integrations/actions/act_elsewhere");
}

TEST_F(ActionsTest, TheRateLimitIsSharedByTwoInstances) {
  const std::string path = config("actions:\n  rate_limit: 5\n");
  ServerProcess first(path);
  ASSERT_TRUE(first.ok()) << first.output();
  ServerProcess second(path);
  ASSERT_TRUE(second.ok()) << second.output();
  const std::string id = linkedProject(first, first.adminToken());
  const std::string token = first.adminToken();
  int accepted = 0;
  HttpResponse refused;
  for (int i = 0; i < 8; ++i) {
    const ServerProcess& server = i % 2 == 0 ? first : second;
    auto reply = post(server, token, body(id, "supabase", "test-connection"), "rate-" + std::to_string(i));
    EXPECT_EQ(reply.header("ratelimit-policy"), "\"actions\";q=5;w=60");
    if (reply.status == 202) {
      ++accepted;
    } else {
      EXPECT_EQ(reply.status, 429) << reply.body;
      refused = reply;
    }
  }
  EXPECT_EQ(accepted, 5);
  ASSERT_EQ(refused.status, 429);
  EXPECT_FALSE(refused.header("retry-after").empty());
  EXPECT_EQ(refused.header("ratelimit").rfind("\"actions\";r=0;t=", 0), 0u) << refused.header("ratelimit");
  EXPECT_EQ(refused.header("content-type"), "application/problem+json");
}

}  // namespace
