// GET /api/v1/integrations/events end to end: the real binary, a real SQLite
// file or PostgreSQL, and an SSE client on a loopback socket. Events are
// appended through a second Store on the same database, as another instance
// would, so delivery also proves the cross-instance path (the hub's poll).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "project_setup.hpp"
#include "server_process.hpp"
#include "sse_client.hpp"
#include "store/store.hpp"

using namespace sbtest;
using sb::testing::SseClient;

namespace {

constexpr const char* kEventsSection =
    "events:\n  heartbeat_ms: 100\n  poll_ms: 50\n  retry_ms: 2500\n  ticket_ttl_ms: 1000\n";

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class EventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db.ok()) << "test database unavailable";
    configPath = writeConfig(dir, db, "", kEventsSection);
    server = std::make_unique<ServerProcess>(configPath);
    ASSERT_TRUE(server->ok()) << server->output();
    auto created = server->request("POST", "/api/v1/projects", server->adminToken(), R"({"name":"Live"})");
    ASSERT_EQ(created.status, 201) << created.body;
    projectId = parseObject(created.body)->getValue<std::string>("id");
    auto opened = sb::Store::open(db.config());
    ASSERT_TRUE(opened.isOk()) << opened.status().message();
    other = std::move(opened).value();
  }

  // An event "another instance" writes: `owner` for owners, admins and
  // editors, `viewer` for viewers ("" = viewers do not get it).
  std::int64_t append(const std::string& owner, const std::string& viewer = {}) {
    sb::NewEvent event;
    event.projectId = projectId;
    event.type = "status.changed";
    event.subject = "github";
    for (sb::Role role : {sb::Role::Editor, sb::Role::Admin, sb::Role::Owner}) {
      event.payloads[sb::roleIndex(role)] = owner;
    }
    if (!viewer.empty()) event.payloads[sb::roleIndex(sb::Role::Viewer)] = viewer;
    auto id = other->events().append(event, nowMs());
    EXPECT_TRUE(id.isOk()) << id.status().message();
    return id.isOk() ? *id : 0;
  }

  std::string target(const std::string& extra = {}) const {
    return "/api/v1/integrations/events?projectId=" + projectId + extra;
  }

  std::map<std::string, std::string> bearer(const std::string& token) const {
    return {{"Authorization", "Bearer " + token}};
  }

  ScratchDirectory dir;
  ScratchDatabase db;
  std::string configPath;
  std::unique_ptr<ServerProcess> server;
  std::string projectId;
  std::unique_ptr<sb::Store> other;
};

TEST_F(EventsTest, AFirstConnectGetsTheStreamHeadersRetryAndHeartbeats) {
  SseClient client(server->port(), target(), bearer(server->adminToken()));
  ASSERT_EQ(client.status(), 200) << client.body();
  EXPECT_EQ(client.header("content-type"), "text/event-stream");
  EXPECT_EQ(client.header("cache-control"), "no-cache");
  EXPECT_EQ(client.header("x-accel-buffering"), "no");
  EXPECT_EQ(client.header("content-encoding"), "");
  EXPECT_GE(client.waitForComments(3), 3u) << "a :hb every heartbeat_ms";
  EXPECT_EQ(client.parser().retryMs().value_or(-1), 2500);
  // A first connect replays nothing from before it.
  EXPECT_TRUE(client.next(1, 300).empty());
}

TEST_F(EventsTest, AnEventAppendedElsewhereReachesTheSubscriber) {
  SseClient client(server->port(), target(), bearer(server->adminToken()));
  ASSERT_EQ(client.status(), 200);
  client.waitForComments(1);  // subscribed
  const std::int64_t id = append(R"({"key":"github","status":"connected"})");
  auto got = client.next(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].type, "status.changed");
  EXPECT_EQ(got[0].data, R"({"key":"github","status":"connected"})");
  EXPECT_EQ(got[0].lastEventId, std::to_string(id));
}

TEST_F(EventsTest, ResumingWithLastEventIdHasNoGapAndNoDuplicateAcrossARestart) {
  const std::int64_t first = append(R"({"n":1})");
  const std::int64_t second = append(R"({"n":2})");
  std::int64_t third = 0;
  {
    auto headers = bearer(server->adminToken());
    headers["Last-Event-ID"] = std::to_string(first);
    SseClient client(server->port(), target(), headers);
    ASSERT_EQ(client.status(), 200);
    auto got = client.next(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].data, R"({"n":2})") << "strictly after the id";
    EXPECT_EQ(got[0].lastEventId, std::to_string(second));
    third = append(R"({"n":3})");
    got = client.next(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].data, R"({"n":3})");
    EXPECT_TRUE(client.next(1, 300).empty()) << "no duplicate";
  }
  const std::string token = server->adminToken();
  EXPECT_EQ(server->stop(), 0);
  append(R"({"n":4})");  // written while no server runs
  server = std::make_unique<ServerProcess>(configPath);
  ASSERT_TRUE(server->ok()) << server->output();
  auto headers = bearer(token);
  headers["Last-Event-ID"] = std::to_string(third);
  SseClient client(server->port(), target(), headers);
  ASSERT_EQ(client.status(), 200);
  auto got = client.next(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].data, R"({"n":4})");
  EXPECT_TRUE(client.next(1, 300).empty());
}

TEST_F(EventsTest, APrunedOrUnknownIdGetsResetFirst) {
  const std::int64_t old = append(R"({"n":1})");
  ASSERT_TRUE(other->events().pruneBefore(nowMs() + 1000, nowMs()).isOk());
  const std::int64_t live = append(R"({"n":2})");
  for (const std::string& lastId : {std::to_string(old - 1), std::string("999999999"), std::string("garbage")}) {
    auto headers = bearer(server->adminToken());
    headers["Last-Event-ID"] = lastId;
    SseClient client(server->port(), target(), headers);
    ASSERT_EQ(client.status(), 200) << lastId;
    auto got = client.next(1);
    ASSERT_EQ(got.size(), 1u) << lastId;
    EXPECT_EQ(got[0].type, "reset") << lastId;
    EXPECT_EQ(got[0].lastEventId, std::to_string(live)) << lastId;
    EXPECT_TRUE(client.next(1, 200).empty()) << "after a reset only live events follow";
  }
}

TEST_F(EventsTest, EachRoleGetsItsOwnRenderingAndAViewerNeverAnEditorsView) {
  const std::string viewerToken = memberToken(configPath, projectId, "vic", "viewer");
  SseClient owner(server->port(), target(), bearer(server->adminToken()));
  SseClient viewer(server->port(), target(), bearer(viewerToken));
  ASSERT_EQ(owner.status(), 200);
  ASSERT_EQ(viewer.status(), 200);
  owner.waitForComments(1);
  viewer.waitForComments(1);
  append(R"({"resource":{"label":"acme/secret-repo"}})", R"({"resource":{"label":"Private repo"}})");
  append(R"({"onlyFor":"editors"})");  // no viewer rendering: viewers skip it
  append(R"({"n":3})", R"({"n":3})");
  auto ownerGot = owner.next(3);
  ASSERT_EQ(ownerGot.size(), 3u);
  EXPECT_EQ(ownerGot[0].data, R"({"resource":{"label":"acme/secret-repo"}})");
  auto viewerGot = viewer.next(2);
  ASSERT_EQ(viewerGot.size(), 2u);
  EXPECT_EQ(viewerGot[0].data, R"({"resource":{"label":"Private repo"}})");
  EXPECT_EQ(viewerGot[1].data, R"({"n":3})");
  EXPECT_TRUE(viewer.next(1, 300).empty());
}

TEST_F(EventsTest, RemovalFromTheProjectEndsTheStreamAndTheResumeGets204) {
  const std::string token = memberToken(configPath, projectId, "eve", "editor");
  SseClient client(server->port(), target(), bearer(token));
  ASSERT_EQ(client.status(), 200);
  client.waitForComments(1);
  const std::int64_t id = append(R"({"n":1})");
  ASSERT_EQ(client.next(1).size(), 1u);
  auto removed = server->request("DELETE", "/api/v1/projects/" + projectId + "/members/eve", server->adminToken());
  ASSERT_EQ(removed.status, 204) << removed.body;
  EXPECT_TRUE(client.waitForEnd()) << "the removed member's stream ends";

  auto headers = bearer(token);
  headers["Last-Event-ID"] = std::to_string(id);
  SseClient resume(server->port(), target(), headers);
  EXPECT_EQ(resume.status(), 204) << resume.body();
  SseClient fresh(server->port(), target(), bearer(token));
  EXPECT_EQ(fresh.status(), 404) << "a first connect is refused like every route";
  EXPECT_EQ(fresh.header("content-type"), "application/problem+json");
}

TEST_F(EventsTest, TicketsAreSingleUseShortLivedAndBoundToUserAndProject) {
  auto minted = server->request("POST", "/api/v1/integrations/events/tickets", server->adminToken(),
                                R"({"projectId":")" + projectId + R"("})");
  ASSERT_EQ(minted.status, 201) << minted.body;
  EXPECT_EQ(minted.header("cache-control"), "no-store");
  const std::string ticket = parseObject(minted.body)->getValue<std::string>("ticket");
  ASSERT_GE(ticket.size(), 40u);
  {
    SseClient client(server->port(), target("&ticket=" + ticket));
    EXPECT_EQ(client.status(), 200) << client.body();
  }
  SseClient reused(server->port(), target("&ticket=" + ticket));
  EXPECT_EQ(reused.status(), 401) << "single use";
  EXPECT_EQ(reused.header("content-type"), "application/problem+json");

  // For another project.
  auto otherProject = server->request("POST", "/api/v1/projects", server->adminToken(), R"({"name":"Other"})");
  ASSERT_EQ(otherProject.status, 201);
  const std::string otherId = parseObject(otherProject.body)->getValue<std::string>("id");
  auto foreign = server->request("POST", "/api/v1/integrations/events/tickets", server->adminToken(),
                                 R"({"projectId":")" + otherId + R"("})");
  ASSERT_EQ(foreign.status, 201);
  SseClient wrongProject(server->port(),
                         target("&ticket=" + parseObject(foreign.body)->getValue<std::string>("ticket")));
  EXPECT_EQ(wrongProject.status(), 401);

  // Another user's ticket, presented with my token.
  const std::string mallory = memberToken(configPath, projectId, "mallory", "editor");
  auto admins = server->request("POST", "/api/v1/integrations/events/tickets", server->adminToken(),
                                R"({"projectId":")" + projectId + R"("})");
  ASSERT_EQ(admins.status, 201);
  SseClient stolen(server->port(), target("&ticket=" + parseObject(admins.body)->getValue<std::string>("ticket")),
                   bearer(mallory));
  EXPECT_EQ(stolen.status(), 401);

  // Expired (ticket_ttl_ms: 1000).
  auto later = server->request("POST", "/api/v1/integrations/events/tickets", server->adminToken(),
                               R"({"projectId":")" + projectId + R"("})");
  ASSERT_EQ(later.status, 201);
  std::this_thread::sleep_for(std::chrono::milliseconds(1300));
  SseClient expired(server->port(), target("&ticket=" + parseObject(later.body)->getValue<std::string>("ticket")));
  EXPECT_EQ(expired.status(), 401);

  // Neither tickets nor tokens reach the access log.
  server->stop();
  const std::string log = fileText(dir.file("access.log"));
  EXPECT_FALSE(log.empty());
  EXPECT_EQ(log.find(ticket), std::string::npos);
  EXPECT_EQ(log.find(server->adminToken()), std::string::npos);
}

TEST_F(EventsTest, GzipAndPlainStreamsStayLiveSideBySide) {
  auto gzipHeaders = bearer(server->adminToken());
  gzipHeaders["Accept-Encoding"] = "gzip";
  SseClient gzip(server->port(), target(), gzipHeaders);
  SseClient plain(server->port(), target(), bearer(server->adminToken()));
  ASSERT_EQ(gzip.status(), 200);
  ASSERT_EQ(plain.status(), 200);
  EXPECT_EQ(gzip.header("content-encoding"), "gzip");
  EXPECT_EQ(gzip.header("vary"), "Accept-Encoding");
  EXPECT_EQ(plain.header("content-encoding"), "");
  gzip.waitForComments(1);
  plain.waitForComments(1);
  for (int n = 1; n <= 3; ++n) {
    append(R"({"n":)" + std::to_string(n) + "}");
    // Each event arrives on its own: the compressor flushes per event.
    auto fromGzip = gzip.next(1);
    auto fromPlain = plain.next(1);
    ASSERT_EQ(fromGzip.size(), 1u) << n;
    ASSERT_EQ(fromPlain.size(), 1u) << n;
    EXPECT_EQ(fromGzip[0].data, fromPlain[0].data);
  }
}

TEST_F(EventsTest, BadRequestsAreProblems) {
  SseClient anonymous(server->port(), target());
  EXPECT_EQ(anonymous.status(), 401);
  SseClient noProject(server->port(), "/api/v1/integrations/events", bearer(server->adminToken()));
  EXPECT_EQ(noProject.status(), 400);
  SseClient unknownParam(server->port(), target("&token=abc"), bearer(server->adminToken()));
  EXPECT_EQ(unknownParam.status(), 400);
  SseClient unknownProject(server->port(), "/api/v1/integrations/events?projectId=prj_nope",
                           bearer(server->adminToken()));
  EXPECT_EQ(unknownProject.status(), 404);
  auto noBody = server->request("POST", "/api/v1/integrations/events/tickets", server->adminToken(), "{}");
  EXPECT_EQ(noBody.status, 400);
}

}  // namespace
