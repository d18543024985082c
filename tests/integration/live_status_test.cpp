// status.changed end to end: the real binary and the bundled plugins against
// the provider fakes, an owner and a viewer subscribed over SSE, and nobody
// polling the status route. A change at a fake reaches both within a TTL or
// so, rendered for each role; a provider that does not change yields no
// further events; an item above the viewer's role never reaches the viewer.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "project_setup.hpp"
#include "server_process.hpp"
#include "sse_client.hpp"

using namespace sbtest;
using sb::testing::ParsedSseEvent;
using sb::testing::SseClient;

namespace {

constexpr const char* kSections =
    "status:\n  deadline_ms: 1000\n  cache_ttl_min_ms: 150\n  cache_ttl_max_ms: 250\n"
    "events:\n  heartbeat_ms: 100\n  poll_ms: 50\n";

class LiveStatusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db.ok()) << "test database unavailable";
    std::string plugins;
    for (const auto& [name, fake] : fakes) plugins += fakePluginEntry(name, fake->baseUrl());
    configPath = writeConfig(dir, db, plugins, secretsSection(dir) + kSections);
    server = std::make_unique<ServerProcess>(configPath);
    ASSERT_TRUE(server->ok()) << server->output();
    // Supabase only for admins and owners.
    auto links = providerLinks();
    std::string& supabase = links["supabase"];
    supabase.insert(supabase.size() - 1, R"(,"visibleTo":"admin")");
    projectId = linkedProject(*server, server->adminToken(), links);
  }

  std::string target() const { return "/api/v1/integrations/events?projectId=" + projectId; }
  static std::map<std::string, std::string> bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
  }

  // Reads events until one about `subject` arrives (others are returned in `skipped`).
  static std::optional<ParsedSseEvent> nextAbout(SseClient& client, const std::string& subject,
                                                 std::vector<ParsedSseEvent>* skipped = nullptr) {
    for (int i = 0; i < 100; ++i) {
      auto got = client.next(1);
      if (got.empty()) return std::nullopt;
      if (got[0].type == "status.changed" && parseObject(got[0].data)->getValue<std::string>("key") == subject) {
        return got[0];
      }
      if (skipped != nullptr) skipped->push_back(got[0]);
    }
    return std::nullopt;
  }

  // What arrives within `waitMs`, without Supabase's items.
  static std::vector<ParsedSseEvent> otherThanSupabase(SseClient& client, int waitMs) {
    std::vector<ParsedSseEvent> others;
    for (const auto& event : client.next(100, waitMs)) {
      if (parseObject(event.data)->getValue<std::string>("key") != "supabase") others.push_back(event);
    }
    return others;
  }

  ScratchDirectory dir;
  ScratchDatabase db;
  ProviderFakes fakes = startProviderFakes();
  std::string configPath;
  std::unique_ptr<ServerProcess> server;
  std::string projectId;
};

TEST_F(LiveStatusTest, AChangeAtAProviderReachesEachRoleRenderedForItWithoutPolling) {
  const std::string viewerToken = memberToken(configPath, projectId, "vera", "viewer");
  SseClient owner(server->port(), target(), bearer(server->adminToken()));
  // The owner's stream makes the project active, and its baseline may be
  // written before the viewer's request is taken: the viewer resumes from
  // the start of the log (no event was written for the project before it
  // had a subscriber), so it gets the baseline whichever comes first.
  auto viewerHeaders = bearer(viewerToken);
  viewerHeaders["Last-Event-ID"] = "0";
  SseClient viewer(server->port(), target(), viewerHeaders);
  ASSERT_EQ(owner.status(), 200) << owner.body();
  ASSERT_EQ(viewer.status(), 200) << viewer.body();

  // The first background refresh publishes each item once: four for the
  // owner, three for the viewer (Supabase is above its role).
  auto ownerBaseline = owner.next(4);
  ASSERT_EQ(ownerBaseline.size(), 4u);
  std::map<std::string, std::string> ownerItems;
  for (const auto& event : ownerBaseline) {
    EXPECT_EQ(event.type, "status.changed");
    EXPECT_FALSE(event.lastEventId.empty());
    ownerItems[parseObject(event.data)->getValue<std::string>("key")] = event.data;
  }
  ASSERT_EQ(ownerItems.size(), 4u);
  EXPECT_EQ(parseObject(ownerItems["github"])->getValue<std::string>("status"), "connected");
  EXPECT_EQ(parseObject(ownerItems["github"])->getObject("resource")->getValue<std::string>("label"), "acme/web");
  EXPECT_EQ(ownerItems["github"].find("ghp_integration"), std::string::npos);

  auto viewerBaseline = viewer.next(3);
  ASSERT_EQ(viewerBaseline.size(), 3u);
  std::set<std::string> viewerKeys;
  for (const auto& event : viewerBaseline) {
    viewerKeys.insert(parseObject(event.data)->getValue<std::string>("key"));
    EXPECT_EQ(event.data.find("acme/web"), std::string::npos) << "a viewer never gets the private name";
  }
  EXPECT_EQ(viewerKeys, (std::set<std::string>{"github", "vercel", "sanity"}));
  for (const auto& event : viewerBaseline) {
    if (parseObject(event.data)->getValue<std::string>("key") != "github") continue;
    auto resource = parseObject(event.data)->getObject("resource");
    EXPECT_EQ(resource->getValue<std::string>("label"), "Private repo");
    EXPECT_FALSE(resource->has("url"));
  }

  // Unchanged providers, refreshed every TTL: no duplicate events. (Supabase's
  // summary carries the measured latency, "Database healthy · 1ms avg": when
  // that changes, the status route's hash changes too, and so an event is due.)
  for (const auto& extra : otherThanSupabase(owner, 1500)) ADD_FAILURE() << "a duplicate: " << extra.data;
  for (const auto& extra : viewer.next(1, 100)) ADD_FAILURE() << "a duplicate: " << extra.data;

  // Supabase's health drops: the owner hears of it, the viewer does not.
  // Events already due for a new latency in the summary may come first (a
  // slow build, ASan, refreshes in between); the change must follow them.
  fakes["supabase"]->setMode("auth_unhealthy");
  auto supabase = nextAbout(owner, "supabase");
  for (int i = 0; i < 20 && supabase && parseObject(supabase->data)->getValue<std::string>("status") == "connected"; ++i) {
    supabase = nextAbout(owner, "supabase");
  }
  ASSERT_TRUE(supabase) << "a change at the fake reaches the owner";
  EXPECT_EQ(parseObject(supabase->data)->getValue<std::string>("status"), "warning");

  // GitHub refuses the token: an error for both, each rendered for its role.
  fakes["github"]->setMode("unauthorized");
  std::vector<ParsedSseEvent> skipped;
  auto ownerGithub = nextAbout(owner, "github", &skipped);
  ASSERT_TRUE(ownerGithub);
  for (const auto& other : skipped) EXPECT_EQ(parseObject(other.data)->getValue<std::string>("key"), "supabase");
  skipped.clear();
  auto viewerGithub = nextAbout(viewer, "github", &skipped);
  ASSERT_TRUE(viewerGithub);
  for (const auto& other : skipped) ADD_FAILURE() << "the viewer got " << other.data;
  EXPECT_EQ(parseObject(ownerGithub->data)->getValue<std::string>("status"), "error");
  EXPECT_EQ(parseObject(viewerGithub->data)->getValue<std::string>("status"), "error");
  EXPECT_EQ(ownerGithub->lastEventId, viewerGithub->lastEventId) << "one event, one rendering per role";
  EXPECT_EQ(viewerGithub->data.find("acme/web"), std::string::npos);

  // The event carries the item exactly as the status route shows that role
  // (both are rendered within a TTL, to the second: compare without updatedAt).
  auto stripTransient = [](const std::string& json) {
    auto object = parseObject(json);
    object->remove("updatedAt");
    object->remove("stale");
    if (object->has("problem")) object->getObject("problem")->remove("retryAfter");
    std::ostringstream out;
    object->stringify(out);
    return out.str();
  };
  auto status = server->request("GET", "/api/v1/integrations/status?projectId=" + projectId, viewerToken);
  ASSERT_EQ(status.status, 200) << status.body;
  std::ostringstream routeItem;
  parseObject(status.body)->getArray("items")->getObject(0)->stringify(routeItem);
  EXPECT_EQ(stripTransient(viewerGithub->data), stripTransient(routeItem.str()));

  // And again nothing more while nothing changes.
  for (const auto& extra : otherThanSupabase(owner, 1500)) ADD_FAILURE() << "a duplicate: " << extra.data;
  for (const auto& extra : viewer.next(1, 100)) ADD_FAILURE() << "a duplicate: " << extra.data;
}

}  // namespace
