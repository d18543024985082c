// Workspace files and sync with GitHub end to end: the real binary and the
// github plugin against the GitHub fake's Git Data API, on SQLite and
// PostgreSQL. Files API (roles, If-Match, binary, path rules), preview (the
// full three-way matrix, truncated trees walked, an unchanged head skips the
// tree), execute (conflicts resolved each way, binary both ways, one commit,
// a head moved mid-sync with nothing applied, progress over SSE), two
// instances on one database (one gets 409), kill -9 during execute.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <Poco/JSON/Array.h>

#include "github_git_data.hpp"
#include "project_setup.hpp"
#include "server_process.hpp"
#include "sse_client.hpp"

using namespace sbtest;
using sb::fakes::GitDataStore;
using sb::testing::SseClient;

namespace {

constexpr const char* kRepo = "acme/web";

std::string binaryBytes() {
  std::string bytes;
  for (int i = 255; i >= 0; --i) bytes.push_back(static_cast<char>(i));
  return bytes + std::string("\0PNG\r\n\x1a\n", 8);
}

class SyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db.ok()) << "test database unavailable";
    github = std::make_unique<sb::fakes::FakeServer>(sb::fakes::makeGithubFake());
    github->start();
  }

  GitDataStore& git() { return sb::fakes::githubGitData(github->provider()); }

  std::string config(const std::string& extra = {}) {
    return writeConfig(dir, db, fakePluginEntry("github", github->baseUrl()),
                       secretsSection(dir) + "events:\n  heartbeat_ms: 100\n  poll_ms: 50\n" + extra);
  }

  std::string project(const ServerProcess& server) {
    return linkedProject(server, tokenFor(server), {{"github", providerLinks().at("github")}});
  }

  // The bootstrap admin's token: printed by the first instance on a fresh
  // database only, so later instances (and restarts) reuse it.
  std::string tokenFor(const ServerProcess& server) {
    if (admin_.empty()) admin_ = server.adminToken();
    return admin_;
  }

  static HttpResponse put(const ServerProcess& server, const std::string& token, const std::string& id,
                          const std::string& path, const std::string& bytes,
                          std::map<std::string, std::string> headers = {}) {
    headers.emplace("Content-Type", "application/octet-stream");
    return server.request("PUT", "/api/v1/projects/" + id + "/files/" + path, token, bytes, headers);
  }

  Poco::JSON::Object::Ptr preview(const ServerProcess& server, const std::string& id) {
    auto reply = server.request("GET", "/api/v1/projects/" + id + "/sync", tokenFor(server));
    EXPECT_EQ(reply.status, 200) << reply.body;
    return reply.status == 200 ? parseObject(reply.body) : nullptr;
  }

  // path -> change of one list of the preview.
  static std::map<std::string, std::string> changes(const Poco::JSON::Object::Ptr& plan, const std::string& list) {
    std::map<std::string, std::string> out;
    Poco::JSON::Array::Ptr items = plan->getArray(list);
    for (std::size_t i = 0; items && i < items->size(); ++i) {
      auto item = items->getObject(static_cast<unsigned>(i));
      out[item->getValue<std::string>("path")] = item->getValue<std::string>("change");
    }
    return out;
  }

  Poco::JSON::Object::Ptr waitJob(const ServerProcess& server, const std::string& id, const std::string& jobId) {
    for (int i = 0; i < 600; ++i) {
      auto reply = server.request("GET", "/api/v1/projects/" + id + "/sync/jobs/" + jobId, tokenFor(server));
      EXPECT_EQ(reply.status, 200) << reply.body;
      if (reply.status != 200) return nullptr;
      auto job = parseObject(reply.body);
      const std::string state = job->getValue<std::string>("state");
      if (state == "succeeded" || state == "failed") return job;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "sync job " << jobId << " never finished";
    return nullptr;
  }

  // POST /sync and wait for the job; the finished job record.
  Poco::JSON::Object::Ptr sync(const ServerProcess& server, const std::string& id, const std::string& body = "{}") {
    auto accepted = server.request("POST", "/api/v1/projects/" + id + "/sync", tokenFor(server), body);
    EXPECT_EQ(accepted.status, 202) << accepted.body;
    if (accepted.status != 202) return nullptr;
    const std::string jobId = parseObject(accepted.body)->getValue<std::string>("jobId");
    EXPECT_EQ(accepted.header("location"), "/api/v1/projects/" + id + "/sync/jobs/" + jobId);
    return waitJob(server, id, jobId);
  }

  // path -> bytes of the workspace, read through the API.
  std::map<std::string, std::string> workspace(const ServerProcess& server, const std::string& id) {
    std::map<std::string, std::string> out;
    auto listed = server.request("GET", "/api/v1/projects/" + id + "/files", tokenFor(server));
    EXPECT_EQ(listed.status, 200) << listed.body;
    Poco::JSON::Array::Ptr items = parseObject(listed.body)->getArray("items");
    for (std::size_t i = 0; i < items->size(); ++i) {
      auto item = items->getObject(static_cast<unsigned>(i));
      if (item->getValue<std::string>("state") == "deleted") continue;
      const std::string path = item->getValue<std::string>("path");
      out[path] = server.request("GET", "/api/v1/projects/" + id + "/files/" + path, tokenFor(server)).body;
    }
    return out;
  }

  // The preview lists exactly workflow `wid` (at `path`) in will_orphan,
  // execute refuses naming it, and succeeds with confirm_orphans.
  void orphanOnlyWhenConfirmed(const ServerProcess& server, const std::string& id, const std::string& wid,
                               const std::string& path) {
    auto plan = preview(server, id);
    ASSERT_TRUE(plan);
    auto orphans = plan->getArray("will_orphan");
    ASSERT_EQ(orphans->size(), 1u);
    EXPECT_EQ(orphans->getObject(0)->getValue<std::string>("id"), wid);
    EXPECT_EQ(orphans->getObject(0)->getValue<std::string>("path"), path);
    auto refused = server.request("POST", "/api/v1/projects/" + id + "/sync", tokenFor(server), "{}");
    EXPECT_EQ(refused.status, 409) << refused.body;
    EXPECT_NE(refused.body.find(wid), std::string::npos) << refused.body;
    auto confirmed = sync(server, id, R"({"confirm_orphans":true})");
    ASSERT_TRUE(confirmed);
    ASSERT_EQ(confirmed->getValue<std::string>("state"), "succeeded");
  }

  // Runs the github quick action `action` and waits for its end; the action record.
  Poco::JSON::Object::Ptr quickAction(const ServerProcess& server, const std::string& id, const std::string& action,
                                      const std::string& params = "{}") {
    auto accepted = server.request("POST", "/api/v1/integrations/actions", tokenFor(server),
                                   R"({"projectId":")" + id + R"(","provider":"github","action":")" + action +
                                       R"(","params":)" + params + "}",
                                   {{"Idempotency-Key", "qa-" + std::to_string(++actionKeys_)}});
    EXPECT_EQ(accepted.status, 202) << accepted.body;
    if (accepted.status != 202) return nullptr;
    const std::string actionId = parseObject(accepted.body)->getValue<std::string>("id");
    for (int i = 0; i < 600; ++i) {
      auto record = parseObject(server.request("GET", "/api/v1/integrations/actions/" + actionId, tokenFor(server)).body);
      const std::string state = record->getValue<std::string>("state");
      if (state == "succeeded" || state == "failed") return record;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "action " << actionId << " never finished";
    return nullptr;
  }

  // The detail of a failed action record.
  static std::string failureDetail(const Poco::JSON::Object::Ptr& record) {
    auto error = record ? record->getObject("error") : nullptr;
    return error ? error->getValue<std::string>("detail") : std::string();
  }

  // The state of step `stepId` in an action record's progress ("" when absent).
  static std::string stepState(const Poco::JSON::Object::Ptr& record, const std::string& stepId) {
    auto steps = record->getArray("progress");
    for (std::size_t i = 0; steps && i < steps->size(); ++i) {
      auto step = steps->getObject(static_cast<unsigned>(i));
      if (step->getValue<std::string>("step") == stepId) return step->getValue<std::string>("state");
    }
    return {};
  }

  std::size_t requestsLike(const std::string& method, const std::string& pathPart) const {
    std::size_t count = 0;
    for (const auto& request : github->requests()) {
      if (request.method == method && request.path.find(pathPart) != std::string::npos) ++count;
    }
    return count;
  }

  ScratchDirectory dir;
  ScratchDatabase db;
  std::unique_ptr<sb::fakes::FakeServer> github;
  std::string admin_;
  int actionKeys_ = 0;
};

TEST_F(SyncTest, FilesAreRawBytesWithBlobShaETagsAndRoles) {
  const std::string path = config();
  ServerProcess server(path);
  ASSERT_TRUE(server.ok()) << server.output();
  const std::string id = project(server);
  const std::string admin = tokenFor(server);

  auto created = put(server, admin, id, "docs/hello.txt", "hello\n");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.header("etag"), "\"ce013625030ba8dba906f756967f9e9ca394464a\"") << "the git blob SHA";
  auto read = server.request("GET", "/api/v1/projects/" + id + "/files/docs/hello.txt", admin);
  EXPECT_EQ(read.status, 200);
  EXPECT_EQ(read.body, "hello\n");
  EXPECT_EQ(read.header("content-type"), "application/octet-stream");
  EXPECT_EQ(read.header("etag"), created.header("etag"));
  auto notModified = server.request("GET", "/api/v1/projects/" + id + "/files/docs/hello.txt", admin, "",
                                    {{"If-None-Match", created.header("etag")}});
  EXPECT_EQ(notModified.status, 304);
  EXPECT_TRUE(notModified.body.empty());

  // Binary content, every byte value.
  ASSERT_EQ(put(server, admin, id, "img/logo.png", binaryBytes()).status, 201);
  EXPECT_EQ(server.request("GET", "/api/v1/projects/" + id + "/files/img/logo.png", admin).body, binaryBytes());

  // If-Match: the blob SHA; anything else is 412 and changes nothing.
  auto stale = put(server, admin, id, "docs/hello.txt", "bye\n", {{"If-Match", "\"e69de29bb2d1d6434b8b29ae775ad8c2e48c5391\""}});
  EXPECT_EQ(stale.status, 412) << stale.body;
  EXPECT_EQ(stale.header("content-type"), "application/problem+json");
  auto weak = put(server, admin, id, "docs/hello.txt", "bye\n", {{"If-Match", "W/" + created.header("etag")}});
  EXPECT_EQ(weak.status, 412) << "If-Match compares strongly";
  auto malformed = put(server, admin, id, "docs/hello.txt", "bye\n", {{"If-Match", "no-quotes"}});
  EXPECT_EQ(malformed.status, 400) << malformed.body;
  EXPECT_EQ(server.request("GET", "/api/v1/projects/" + id + "/files/docs/hello.txt", admin).body, "hello\n");
  auto replaced = put(server, admin, id, "docs/hello.txt", "bye\n", {{"If-Match", created.header("etag")}});
  EXPECT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_EQ(put(server, admin, id, "docs/hello.txt", "x", {{"If-None-Match", "*"}}).status, 412);
  auto badDelete = server.request("DELETE", "/api/v1/projects/" + id + "/files/docs/hello.txt", admin, "",
                                  {{"If-Match", created.header("etag")}});
  EXPECT_EQ(badDelete.status, 412);

  // Roles: viewers read, editors write, non-members see nothing.
  const std::string viewer = memberToken(path, id, "vera", "viewer");
  const std::string editor = memberToken(path, id, "eddie", "editor");
  const std::string stranger = createToken(path, "stan");
  EXPECT_EQ(server.request("GET", "/api/v1/projects/" + id + "/files/docs/hello.txt", viewer).status, 200);
  EXPECT_EQ(server.request("GET", "/api/v1/projects/" + id + "/files", viewer).status, 200);
  auto refused = put(server, viewer, id, "docs/hello.txt", "viewer was here");
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(server.request("DELETE", "/api/v1/projects/" + id + "/files/docs/hello.txt", viewer).status, 403);
  EXPECT_EQ(put(server, editor, id, "docs/editor.txt", "ok").status, 201);
  EXPECT_EQ(server.request("GET", "/api/v1/projects/" + id + "/files/docs/hello.txt", stranger).status, 404);
  EXPECT_EQ(put(server, stranger, id, "x.txt", "no").status, 404);

  // Listing: path, sha, size, state.
  auto listed = server.request("GET", "/api/v1/projects/" + id + "/files", admin);
  ASSERT_EQ(listed.status, 200);
  auto items = parseObject(listed.body)->getArray("items");
  ASSERT_EQ(items->size(), 3u);
  auto first = items->getObject(0);
  EXPECT_EQ(first->getValue<std::string>("path"), "docs/editor.txt");
  EXPECT_EQ(first->getValue<std::string>("state"), "added");
  EXPECT_EQ(first->getValue<int>("size"), 2);

  EXPECT_EQ(server.request("DELETE", "/api/v1/projects/" + id + "/files/docs/hello.txt", admin).status, 204);
  EXPECT_EQ(server.request("GET", "/api/v1/projects/" + id + "/files/docs/hello.txt", admin).status, 404);
  EXPECT_EQ(server.request("DELETE", "/api/v1/projects/" + id + "/files/docs/hello.txt", admin).status, 404);
}

TEST_F(SyncTest, PathsAreValidatedBeforeAnythingHappens) {
  ServerProcess server(config());
  ASSERT_TRUE(server.ok()) << server.output();
  const std::string id = project(server);
  for (const std::string& bad : {std::string("a/%2E%2E/b"), std::string("%2E%2E"), std::string("a//b"),
                                 std::string("a%5Cb"), std::string("a%00b"), std::string("a/"),
                                 std::string("%2Fetc%2Fpasswd"), std::string(1100, 'a')}) {
    auto reply = put(server, tokenFor(server), id, bad, "x");
    EXPECT_EQ(reply.status, 400) << bad << ": " << reply.body;
    EXPECT_EQ(reply.header("content-type"), "application/problem+json") << bad;
    EXPECT_NE(reply.body.find("\"field\":\"path\""), std::string::npos) << reply.body;
    EXPECT_EQ(server.request("GET", "/api/v1/projects/" + id + "/files/" + bad, tokenFor(server)).status, 400);
  }
  auto listed = server.request("GET", "/api/v1/projects/" + id + "/files", tokenFor(server));
  EXPECT_EQ(parseObject(listed.body)->getArray("items")->size(), 0u) << "nothing was written";
}

TEST_F(SyncTest, TheFullMatrixPreviewsAndExecutesWithConflictsResolvedEachWay) {
  ServerProcess server(config());
  ASSERT_TRUE(server.ok()) << server.output();
  const std::string id = project(server);
  const std::string admin = tokenFor(server);
  git().commit(kRepo, "main",
               {{"a.txt", "A0"}, {"b.txt", "B0"}, {"c.txt", "C0"}, {"d.txt", "D0"}, {"e.txt", "E0"},
                {"f.txt", "F0"}, {"g.txt", "G0"}, {"img/pic.bin", binaryBytes()}});

  // First sync: everything is pulled.
  auto first = preview(server, id);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->getValue<std::string>("remoteHead"), git().head(kRepo, "main"));
  EXPECT_EQ(changes(first, "to_pull").size(), 8u);
  EXPECT_EQ(changes(first, "to_pull")["a.txt"], "added");
  EXPECT_FALSE(first->getValue<bool>("is_empty"));
  auto pulled = sync(server, id);
  ASSERT_TRUE(pulled);
  ASSERT_EQ(pulled->getValue<std::string>("state"), "succeeded") << pulled->get("error").toString();
  EXPECT_EQ(workspace(server, id), git().files(kRepo, "main")) << "binary included";
  EXPECT_TRUE(preview(server, id)->getValue<bool>("is_empty"));

  // Both sides change.
  git().commit(kRepo, "main",
               {{"a.txt", "A1"}, {"b.txt", std::nullopt}, {"h.txt", "H"}, {"e.txt", "E1"}, {"f.txt", "F1"},
                {"g.txt", std::nullopt}});
  ASSERT_EQ(put(server, admin, id, "c.txt", "C1").status, 200);
  ASSERT_EQ(server.request("DELETE", "/api/v1/projects/" + id + "/files/d.txt", admin).status, 204);
  ASSERT_EQ(put(server, admin, id, "i.bin", binaryBytes() + "i").status, 201);
  ASSERT_EQ(put(server, admin, id, "e.txt", "E2").status, 200);
  ASSERT_EQ(put(server, admin, id, "f.txt", "F1").status, 200);
  ASSERT_EQ(put(server, admin, id, "g.txt", "G2").status, 200);
  const std::string seededHead = git().head(kRepo, "main");

  auto plan = preview(server, id);
  ASSERT_TRUE(plan);
  EXPECT_EQ(changes(plan, "to_pull"),
            (std::map<std::string, std::string>{{"a.txt", "modified"}, {"b.txt", "deleted"}, {"h.txt", "added"}}));
  EXPECT_EQ(changes(plan, "to_push"),
            (std::map<std::string, std::string>{{"c.txt", "modified"}, {"d.txt", "deleted"}, {"i.bin", "added"}}));
  EXPECT_EQ(changes(plan, "conflicts"),
            (std::map<std::string, std::string>{{"e.txt", "modified"}, {"g.txt", "deleted"}}));
  EXPECT_EQ(changes(plan, "converged"), (std::map<std::string, std::string>{{"f.txt", "modified"}}));
  EXPECT_EQ(plan->getArray("will_orphan")->size(), 0u);
  // Preview is read-only: a second one says the same.
  EXPECT_EQ(changes(preview(server, id), "to_push").size(), 3u);

  // Unresolved conflicts are refused, naming them; so is a resolution of a non-conflict.
  auto unresolved = server.request("POST", "/api/v1/projects/" + id + "/sync", admin,
                                   R"({"conflict_resolutions":{"e.txt":"keep_local"}})");
  EXPECT_EQ(unresolved.status, 409) << unresolved.body;
  EXPECT_NE(unresolved.body.find("g.txt"), std::string::npos) << unresolved.body;
  auto stray = server.request("POST", "/api/v1/projects/" + id + "/sync", admin,
                              R"({"conflict_resolutions":{"e.txt":"keep_local","g.txt":"keep_remote","a.txt":"keep_local"}})");
  EXPECT_EQ(stray.status, 400) << stray.body;
  auto badSide = server.request("POST", "/api/v1/projects/" + id + "/sync", admin,
                                R"({"conflict_resolutions":{"e.txt":"merge","g.txt":"keep_remote"}})");
  EXPECT_EQ(badSide.status, 400) << badSide.body;
  auto unknown = server.request("POST", "/api/v1/projects/" + id + "/sync", admin, R"({"force":true})");
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_EQ(git().head(kRepo, "main"), seededHead) << "refusals change nothing";

  github->clearRequests();
  auto done = sync(server, id, R"({"conflict_resolutions":{"e.txt":"keep_local","g.txt":"keep_remote"}})");
  ASSERT_TRUE(done);
  ASSERT_EQ(done->getValue<std::string>("state"), "succeeded") << done->get("error").toString();
  auto result = done->getObject("result");
  EXPECT_EQ(result->getValue<int>("pulled"), 3);
  EXPECT_EQ(result->getValue<int>("pushed"), 3);
  EXPECT_EQ(result->getValue<int>("resolved"), 2);
  EXPECT_EQ(result->getValue<std::string>("head"), git().head(kRepo, "main"));

  const std::map<std::string, std::string> expected = {
      {"a.txt", "A1"}, {"c.txt", "C1"}, {"e.txt", "E2"},     {"f.txt", "F1"},
      {"h.txt", "H"},  {"i.bin", binaryBytes() + "i"}, {"img/pic.bin", binaryBytes()}};
  EXPECT_EQ(git().files(kRepo, "main"), expected);
  EXPECT_EQ(workspace(server, id), expected);
  // One commit, on top of the head that was previewed; binary through a blob, text inline.
  EXPECT_EQ(requestsLike("POST", "/git/trees"), 1u);
  EXPECT_EQ(requestsLike("POST", "/git/commits"), 1u);
  EXPECT_EQ(requestsLike("PATCH", "/git/refs/heads/main"), 1u);
  EXPECT_EQ(requestsLike("POST", "/git/blobs"), 1u) << "only i.bin is binary";
  auto commits = server.request("GET", "/api/v1/projects/" + id + "/sync", admin);
  EXPECT_TRUE(parseObject(commits.body)->getValue<bool>("is_empty")) << commits.body;
}

TEST_F(SyncTest, AnUnchangedHeadSkipsTheTreeAndTruncatedTreesAreWalked) {
  ServerProcess server(config());
  ASSERT_TRUE(server.ok()) << server.output();
  const std::string id = project(server);
  std::map<std::string, std::optional<std::string>> many;
  for (int d = 0; d < 5; ++d) {
    for (int f = 0; f < 8; ++f) many["dir" + std::to_string(d) + "/sub/f" + std::to_string(f) + ".txt"] = "x" + std::to_string(d * 10 + f);
  }
  git().commit(kRepo, "main", many);
  git().setTruncateAbove(10);
  github->clearRequests();
  auto plan = preview(server, id);
  ASSERT_TRUE(plan);
  EXPECT_EQ(changes(plan, "to_pull").size(), 40u) << "all of a truncated tree";
  EXPECT_GE(requestsLike("GET", "/git/trees/"), 2u) << "walked by subtrees";
  auto done = sync(server, id);
  ASSERT_TRUE(done);
  ASSERT_EQ(done->getValue<std::string>("state"), "succeeded") << done->get("error").toString();

  github->clearRequests();
  EXPECT_TRUE(preview(server, id)->getValue<bool>("is_empty"));
  EXPECT_EQ(requestsLike("GET", "/git/trees/"), 0u) << "the head did not move: no tree listing";
  EXPECT_EQ(requestsLike("GET", "/branches/main"), 1u);
}

TEST_F(SyncTest, AHeadMovedMidSyncChangesNothing) {
  ServerProcess server(config());
  ASSERT_TRUE(server.ok()) << server.output();
  const std::string id = project(server);
  git().commit(kRepo, "main", {{"shared.txt", "v0"}});
  ASSERT_EQ(sync(server, id)->getValue<std::string>("state"), "succeeded");
  ASSERT_EQ(put(server, tokenFor(server), id, "mine.txt", "local").status, 201);
  ASSERT_EQ(put(server, tokenFor(server), id, "shared.txt", "v1 local").status, 200);
  const auto before = workspace(server, id);
  const auto filesBefore = server.request("GET", "/api/v1/projects/" + id + "/files", tokenFor(server)).body;

  // Someone pushes between our commit and our ref update.
  GitDataStore& data = git();
  data.beforeNextRefUpdate([&data] { data.commit(kRepo, "main", {{"theirs.txt", "remote"}}); });
  auto failed = sync(server, id);
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->getValue<std::string>("state"), "failed");
  EXPECT_EQ(failed->getObject("error")->getValue<std::string>("code"), "head_moved") << failed->get("error").toString();
  EXPECT_EQ(workspace(server, id), before) << "nothing changed locally";
  EXPECT_EQ(server.request("GET", "/api/v1/projects/" + id + "/files", tokenFor(server)).body, filesBefore);
  EXPECT_EQ(git().files(kRepo, "main"),
            (std::map<std::string, std::string>{{"shared.txt", "v0"}, {"theirs.txt", "remote"}}))
      << "nothing of ours reached the branch";
  auto plan = preview(server, id);
  EXPECT_EQ(changes(plan, "to_pull"), (std::map<std::string, std::string>{{"theirs.txt", "added"}}));
  EXPECT_EQ(changes(plan, "to_push").size(), 2u);
  auto retried = sync(server, id);
  ASSERT_EQ(retried->getValue<std::string>("state"), "succeeded") << retried->get("error").toString();
  EXPECT_TRUE(preview(server, id)->getValue<bool>("is_empty"));
}

TEST_F(SyncTest, EveryFileOfEveryPhaseIsAProgressEvent) {
  ServerProcess server(config());
  ASSERT_TRUE(server.ok()) << server.output();
  const std::string id = project(server);
  git().commit(kRepo, "main", {{"workflows/deploy.yaml", "a: 1\n"}, {"README.md", "# hi\n"}});
  ASSERT_EQ(put(server, tokenFor(server), id, "notes.txt", "n").status, 201);
  SseClient events(server.port(), "/api/v1/integrations/events?projectId=" + id,
                   {{"Authorization", "Bearer " + tokenFor(server)}});
  ASSERT_EQ(events.status(), 200);
  events.waitForComments(1);
  ASSERT_EQ(sync(server, id)->getValue<std::string>("state"), "succeeded");
  std::vector<std::string> messages;
  bool completed = false;
  for (int i = 0; i < 30 && !completed; ++i) {
    for (const auto& event : events.next(1, 2000)) {
      if (event.type == "sync.completed") completed = true;
      if (event.type == "sync.progress") messages.push_back(parseObject(event.data)->getValue<std::string>("message"));
    }
  }
  EXPECT_TRUE(completed);
  EXPECT_EQ(messages, (std::vector<std::string>{"pulling 1/2: README.md", "pulling 2/2: workflows/deploy.yaml",
                                                "pushing 1/1: notes.txt"}));
}

TEST_F(SyncTest, TwoInstancesOnOneDatabaseRunOneSyncAtATime) {
  const std::string path = config();
  ServerProcess one(path);
  ASSERT_TRUE(one.ok()) << one.output();
  ServerProcess two(path);
  ASSERT_TRUE(two.ok()) << two.output();
  const std::string id = project(one);
  std::map<std::string, std::optional<std::string>> files;
  for (int i = 0; i < 20; ++i) files["f" + std::to_string(i) + ".txt"] = std::to_string(i);
  git().commit(kRepo, "main", files);
  github->setLatencyMs(100);  // the first sync reads 20 blobs: about two seconds
  auto first = one.request("POST", "/api/v1/projects/" + id + "/sync", tokenFor(one), "{}");
  ASSERT_EQ(first.status, 202) << first.body;
  auto second = two.request("POST", "/api/v1/projects/" + id + "/sync", tokenFor(one), "{}");
  EXPECT_EQ(second.status, 409) << second.body;
  EXPECT_NE(second.body.find("already running"), std::string::npos) << second.body;
  auto job = waitJob(one, id, parseObject(first.body)->getValue<std::string>("jobId"));
  ASSERT_EQ(job->getValue<std::string>("state"), "succeeded") << job->get("error").toString();
  github->setLatencyMs(0);
  EXPECT_TRUE(preview(one, id)->getValue<bool>("is_empty"));
  EXPECT_TRUE(preview(two, id)->getValue<bool>("is_empty"));
}

TEST_F(SyncTest, KillDuringExecuteLeavesTheLocalStateAllBefore) {
  const std::string path = config("sync:\n  lease_ms: 3000\n");
  auto server = std::make_unique<ServerProcess>(path);
  ASSERT_TRUE(server->ok()) << server->output();
  const std::string id = project(*server);
  std::map<std::string, std::optional<std::string>> files;
  for (int i = 0; i < 30; ++i) files["f" + std::to_string(i) + ".txt"] = std::to_string(i);
  git().commit(kRepo, "main", files);
  ASSERT_EQ(put(*server, tokenFor(*server), id, "local.txt", "mine").status, 201);
  const auto before = workspace(*server, id);
  github->setLatencyMs(100);
  auto accepted = server->request("POST", "/api/v1/projects/" + id + "/sync", tokenFor(*server), "{}");
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));  // mid-pull
  server->kill();
  github->setLatencyMs(0);

  server = std::make_unique<ServerProcess>(path);
  ASSERT_TRUE(server->ok()) << server->output();
  EXPECT_EQ(workspace(*server, id), before) << "all before: the pull is applied in one transaction";
  EXPECT_EQ(git().files(kRepo, "main").count("local.txt"), 0u);
  // The dead instance's job holds the project until its lease lapses, then a sync runs.
  HttpResponse retry;
  for (int i = 0; i < 100; ++i) {
    retry = server->request("POST", "/api/v1/projects/" + id + "/sync", tokenFor(*server), "{}");
    if (retry.status != 409) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(retry.status, 202) << retry.body;
  auto job = waitJob(*server, id, parseObject(retry.body)->getValue<std::string>("jobId"));
  ASSERT_EQ(job->getValue<std::string>("state"), "succeeded") << job->get("error").toString();
  auto old = server->request("GET", "/api/v1/projects/" + id + "/sync/jobs/" +
                                        parseObject(accepted.body)->getValue<std::string>("jobId"),
                             tokenFor(*server));
  EXPECT_NE(old.body.find("interrupted"), std::string::npos) << old.body;
  EXPECT_TRUE(preview(*server, id)->getValue<bool>("is_empty"));
  EXPECT_EQ(git().files(kRepo, "main").at("local.txt"), "mine");
}

TEST_F(SyncTest, ViewersPreviewButOnlyEditorsSync) {
  const std::string path = config();
  ServerProcess server(path);
  ASSERT_TRUE(server.ok()) << server.output();
  const std::string id = project(server);
  const std::string viewer = memberToken(path, id, "vera", "viewer");
  EXPECT_EQ(server.request("GET", "/api/v1/projects/" + id + "/sync", viewer).status, 200);
  EXPECT_EQ(server.request("POST", "/api/v1/projects/" + id + "/sync", viewer, "{}").status, 403);
  auto unlinked = server.request("POST", "/api/v1/projects", tokenFor(server), R"({"name":"Bare"})");
  const std::string bare = parseObject(unlinked.body)->getValue<std::string>("id");
  auto noSource = server.request("GET", "/api/v1/projects/" + bare + "/sync", tokenFor(server));
  EXPECT_EQ(noSource.status, 409) << noSource.body;
  // The token never leaves in a reply.
  EXPECT_EQ(server.request("GET", "/api/v1/projects/" + id + "/sync", tokenFor(server)).body.find("ghp_integration"),
            std::string::npos);
}

}  // namespace

namespace {

TEST_F(SyncTest, APullThatDeletesAWorkflowFileListsItInWillOrphanAndLeavesItRunnable) {
  ServerProcess server(config());
  ASSERT_TRUE(server.ok()) << server.output();
  const std::string id = project(server);
  const std::string admin = tokenFor(server);
  const std::string wid = "3f2b8c1e-0d4a-4e6b-9a7c-5d1e2f3a4b5c";
  const std::string source = "id: " + wid + "\nname: pulled\nsteps:\n  - {provider: github, action: sync}\n";
  git().commit(kRepo, "main", {{"workflows/pulled.yaml", source}, {"README.md", "hi"}});
  auto pulled = sync(server, id);
  ASSERT_TRUE(pulled);
  ASSERT_EQ(pulled->getValue<std::string>("state"), "succeeded");
  const std::string workflowPath = "/api/v1/projects/" + id + "/workflows/" + wid;
  auto derived = server.request("GET", workflowPath, admin);
  ASSERT_EQ(derived.status, 200) << "a pull derives the workflow: " << derived.body;
  EXPECT_FALSE(parseObject(derived.body)->getValue<bool>("orphaned"));

  git().commit(kRepo, "main", {{"workflows/pulled.yaml", std::nullopt}});
  ASSERT_NO_FATAL_FAILURE(orphanOnlyWhenConfirmed(server, id, wid, "workflows/pulled.yaml"));

  auto orphan = parseObject(server.request("GET", workflowPath, admin).body);
  EXPECT_TRUE(orphan->getValue<bool>("orphaned"));
  EXPECT_TRUE(orphan->getValue<bool>("active")) << "never deactivated automatically";
  EXPECT_EQ(orphan->getValue<std::string>("source"), source);
  EXPECT_EQ(preview(server, id)->getArray("will_orphan")->size(), 0u) << "an orphan is not orphaned again";
}

TEST_F(SyncTest, APullThatChangesAWorkflowsIdListsItInWillOrphanAndOrphansItOnExecute) {
  ServerProcess server(config());
  ASSERT_TRUE(server.ok()) << server.output();
  const std::string id = project(server);
  const std::string admin = tokenFor(server);
  const std::string wid = "3f2b8c1e-0d4a-4e6b-9a7c-5d1e2f3a4b5c";
  const std::string renamed = "11111111-2222-4333-8444-555555555555";
  const std::string source = "id: " + wid + "\nname: pulled\nsteps:\n  - {provider: github, action: connect}\n";
  git().commit(kRepo, "main", {{"workflows/pulled.yaml", source}});
  ASSERT_EQ(sync(server, id)->getValue<std::string>("state"), "succeeded");

  // An invalid remote file keeps the last good definition: nothing to orphan.
  git().commit(kRepo, "main", {{"workflows/pulled.yaml", std::string("id: " + wid + "\nname: broken\n")}});
  EXPECT_EQ(preview(server, id)->getArray("will_orphan")->size(), 0u);

  git().commit(kRepo, "main",
               {{"workflows/pulled.yaml", "id: " + renamed + "\nname: renamed\nsteps:\n  - {provider: github, action: connect}\n"}});
  // The id changes, so the workflow loses its file.
  ASSERT_NO_FATAL_FAILURE(orphanOnlyWhenConfirmed(server, id, wid, "workflows/pulled.yaml"));
  auto orphan = parseObject(server.request("GET", "/api/v1/projects/" + id + "/workflows/" + wid, admin).body);
  EXPECT_TRUE(orphan->getValue<bool>("orphaned"));
  EXPECT_TRUE(orphan->getValue<bool>("active"));
  EXPECT_EQ(orphan->getValue<std::string>("source"), source) << "the last source is kept";
  auto successor = server.request("GET", "/api/v1/projects/" + id + "/workflows/" + renamed, admin);
  ASSERT_EQ(successor.status, 200) << successor.body;
  EXPECT_FALSE(parseObject(successor.body)->getValue<bool>("orphaned"));
  auto run = server.request("POST", "/api/v1/projects/" + id + "/workflows/" + wid + "/runs", admin, "{}",
                            {{"Idempotency-Key", "orphan-still-runs"}});
  EXPECT_EQ(run.status, 202) << "an orphan stays runnable: " << run.body;
  EXPECT_EQ(preview(server, id)->getArray("will_orphan")->size(), 0u);
}

TEST_F(SyncTest, GithubPushPullAndSyncActionsRunTheHostsSync) {
  ServerProcess server(config("actions:\n  rate_limit: 1000\n"));
  ASSERT_TRUE(server.ok()) << server.output();
  const std::string id = project(server);
  const std::string admin = tokenFor(server);
  git().commit(kRepo, "main", {{"a.txt", "A0"}, {"c.txt", "C0"}});
  ASSERT_EQ(sync(server, id)->getValue<std::string>("state"), "succeeded");

  // A remote-only change and a local-only one: push moves only the local one.
  git().commit(kRepo, "main", {{"a.txt", "A1"}});
  ASSERT_EQ(put(server, admin, id, "b.txt", "B-local").status, 201);
  auto pushed = quickAction(server, id, "push");
  ASSERT_TRUE(pushed);
  ASSERT_EQ(pushed->getValue<std::string>("state"), "succeeded") << failureDetail(pushed);
  EXPECT_EQ(stepState(pushed, "pushing"), "succeeded") << "per-file progress as action steps";
  EXPECT_EQ(pushed->getObject("result")->getValue<int>("pushed"), 1);
  EXPECT_EQ(git().files(kRepo, "main")["b.txt"], "B-local");
  EXPECT_EQ(workspace(server, id)["a.txt"], "A0") << "a push pulls nothing";
  auto afterPush = preview(server, id);
  EXPECT_EQ(changes(afterPush, "to_pull"), (std::map<std::string, std::string>{{"a.txt", "modified"}}))
      << "the remote change is still to pull: the push did not record the head as synced";
  EXPECT_TRUE(changes(afterPush, "to_push").empty());

  auto pulled = quickAction(server, id, "pull");
  ASSERT_TRUE(pulled);
  ASSERT_EQ(pulled->getValue<std::string>("state"), "succeeded") << failureDetail(pulled);
  EXPECT_EQ(stepState(pulled, "pulling"), "succeeded");
  EXPECT_EQ(workspace(server, id)["a.txt"], "A1");
  EXPECT_TRUE(preview(server, id)->getValue<bool>("is_empty"));

  // sync moves both sides.
  git().commit(kRepo, "main", {{"d.txt", "D-remote"}});
  ASSERT_EQ(put(server, admin, id, "e.txt", "E-local").status, 201);
  auto both = quickAction(server, id, "sync");
  ASSERT_TRUE(both);
  ASSERT_EQ(both->getValue<std::string>("state"), "succeeded") << failureDetail(both);
  EXPECT_EQ(workspace(server, id), git().files(kRepo, "main"));
  EXPECT_TRUE(preview(server, id)->getValue<bool>("is_empty"));

  // A conflict fails every direction with how to resolve it; nothing moves.
  git().commit(kRepo, "main", {{"c.txt", "C-remote"}});
  ASSERT_EQ(put(server, admin, id, "c.txt", "C-local").status, 200);
  const std::string headBefore = git().head(kRepo, "main");
  for (const char* action : {"sync", "pull", "push"}) {
    auto refused = quickAction(server, id, action);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->getValue<std::string>("state"), "failed") << action;
    EXPECT_EQ(refused->getObject("error")->getValue<std::string>("code"), "conflict") << action;
    EXPECT_NE(failureDetail(refused).find("c.txt"), std::string::npos) << failureDetail(refused);
    EXPECT_NE(failureDetail(refused).find("conflict_resolutions"), std::string::npos) << failureDetail(refused);
  }
  EXPECT_EQ(git().head(kRepo, "main"), headBefore);
  EXPECT_EQ(workspace(server, id)["c.txt"], "C-local");
  ASSERT_EQ(sync(server, id, R"({"conflict_resolutions":{"c.txt":"keep_remote"}})")->getValue<std::string>("state"),
            "succeeded");

  // A pull that would orphan a workflow fails until confirmed.
  const std::string wid = "3f2b8c1e-0d4a-4e6b-9a7c-5d1e2f3a4b5c";
  git().commit(kRepo, "main",
               {{"workflows/w.yaml", "id: " + wid + "\nname: w\nsteps:\n  - {provider: github, action: pull}\n"}});
  ASSERT_EQ(quickAction(server, id, "pull")->getValue<std::string>("state"), "succeeded");
  git().commit(kRepo, "main", {{"workflows/w.yaml", std::nullopt}});
  auto unconfirmed = quickAction(server, id, "pull");
  ASSERT_TRUE(unconfirmed);
  EXPECT_EQ(unconfirmed->getValue<std::string>("state"), "failed");
  EXPECT_NE(failureDetail(unconfirmed).find(wid), std::string::npos) << failureDetail(unconfirmed);
  EXPECT_NE(failureDetail(unconfirmed).find("confirm_orphans"), std::string::npos) << failureDetail(unconfirmed);
  auto confirmed = quickAction(server, id, "pull", R"({"confirm_orphans":true})");
  ASSERT_TRUE(confirmed);
  EXPECT_EQ(confirmed->getValue<std::string>("state"), "succeeded") << failureDetail(confirmed);
  auto orphan = parseObject(server.request("GET", "/api/v1/projects/" + id + "/workflows/" + wid, admin).body);
  EXPECT_TRUE(orphan->getValue<bool>("orphaned"));
  EXPECT_TRUE(orphan->getValue<bool>("active"));
}

}  // namespace
