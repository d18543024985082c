// Rendering for one caller: overall, hashes, actions per role, redaction.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "status/status_view.hpp"

namespace sb::status {
namespace {

constexpr int64_t kNow = 1'795'000'000'000;  // 2026-11-18

ProviderReport githubReport() {
  ProviderReport report;
  report.status = "connected";
  report.summary = "Linked to main · Last push 2m ago";
  report.resource = ReportedResource{"acme/web", "https://github.com/acme/web", true, "Private repo"};
  report.actions = {{"push", "Push", Role::Editor, true, "", "push"},
                    {"connect", "Reconnect", Role::Admin, true, "", "connect"},
                    {"pull", "Pull", Role::Editor, false, "GitHub token revoked", "content-sync"}};
  return report;
}

std::vector<ItemState> items(std::optional<ProviderReport> github, int64_t fetchedAt = kNow - 1000) {
  std::vector<ItemState> out;
  for (const char* key : {"github", "vercel", "sanity", "supabase"}) {
    ItemState item;
    item.key = key;
    item.displayName = key;
    out.push_back(item);
  }
  out[0].link = LinkState::Linked;
  if (github) out[0].report = std::make_shared<const ProviderReport>(std::move(*github));
  out[0].reportFetchedAtMs = fetchedAt;
  return out;
}

Poco::JSON::Object::Ptr parse(const std::string& body) {
  Poco::JSON::Parser parser;
  return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
}

TEST(StatusView, ListsAllFourKeysInOrderWithNotLinkedReasons) {
  auto rendered = renderStatus("p1", Role::Owner, items(githubReport()), kNow, 2000);
  auto body = parse(rendered.body);
  auto list = body->getArray("items");
  ASSERT_EQ(list->size(), 4u);
  EXPECT_EQ(list->getObject(0)->getValue<std::string>("key"), "github");
  EXPECT_EQ(list->getObject(3)->getValue<std::string>("key"), "supabase");
  auto vercel = list->getObject(1);
  EXPECT_FALSE(vercel->getValue<bool>("configured"));
  EXPECT_EQ(vercel->getValue<std::string>("configuredReason"), "not_linked");
  EXPECT_EQ(vercel->getValue<std::string>("status"), "disconnected");
  EXPECT_EQ(body->getValue<std::string>("overall"), "connected");  // unlinked items do not degrade it
  EXPECT_EQ(body->getValue<std::string>("hash"), rendered.hash);
  EXPECT_EQ(list->getObject(0)->getValue<std::string>("updatedAt"), "2026-11-18T11:06:39Z");
}

// Plugin text reaches the reply escaped: quotes, backslashes and control
// characters come back intact through a JSON parser.
TEST(StatusView, PluginTextIsEscaped) {
  auto report = githubReport();
  report.summary = "say \"hi\" \\ path\nnext\x01end";
  auto item = parse(renderStatus("p1", Role::Owner, items(report), kNow, 2000).body)->getArray("items")->getObject(0);
  EXPECT_EQ(item->getValue<std::string>("summary"), report.summary);
}

TEST(StatusView, OverallIsTheWorstConfiguredStatus) {
  EXPECT_EQ(overallOf({{"connected", true}, {"warning", true}}), "warning");
  EXPECT_EQ(overallOf({{"warning", true}, {"error", true}, {"connected", true}}), "error");
  EXPECT_EQ(overallOf({{"disconnected", false}, {"connected", true}}), "connected");
  EXPECT_EQ(overallOf({{"disconnected", true}}), "disconnected");
  EXPECT_EQ(overallOf({{"disconnected", false}}), "disconnected");
  EXPECT_EQ(overallOf({{"error", false}, {"connected", true}}), "error");
}

TEST(StatusView, HashIgnoresTransientFieldsButRenderHashDoesNot) {
  ProviderReport limited = githubReport();
  limited.status = "warning";
  limited.problemCode = "rate_limited";
  limited.retryAfterSeconds = 60;
  auto first = renderStatus("p1", Role::Owner, items(limited, kNow - 1000), kNow, 2000);
  // Ten seconds later: updatedAt is the same, the countdown moved.
  auto later = renderStatus("p1", Role::Owner, items(limited, kNow - 1000), kNow + 10000, 2000);
  EXPECT_EQ(first.hash, later.hash);
  EXPECT_NE(first.renderHash, later.renderHash);
  auto retry = parse(later.body)->getArray("items")->getObject(0)->getObject("problem")->getValue<int>("retryAfter");
  EXPECT_EQ(retry, 49);
  // A refetch of identical content changes updatedAt only.
  auto refetched = renderStatus("p1", Role::Owner, items(limited, kNow), kNow + 10000, 2000);
  EXPECT_EQ(first.hash, refetched.hash);
  // Stale marking is transient too.
  auto staleItems = items(limited, kNow - 1000);
  staleItems[0].stale = true;
  auto stale = renderStatus("p1", Role::Owner, staleItems, kNow, 2000);
  EXPECT_EQ(first.hash, stale.hash);
  EXPECT_NE(first.renderHash, stale.renderHash);
  // A real change is not.
  auto changed = githubReport();
  changed.summary = "Linked to main · Last push 3m ago";
  EXPECT_NE(first.hash, renderStatus("p1", Role::Owner, items(changed), kNow, 2000).hash);
}

TEST(StatusView, ActionsFollowTheCallersRole) {
  auto actionsFor = [](Role role) {
    return parse(renderStatus("p1", role, items(githubReport()), kNow, 2000).body)
        ->getArray("items")->getObject(0)->getArray("actions");
  };
  auto owner = actionsFor(Role::Owner);
  EXPECT_TRUE(owner->getObject(0)->getValue<bool>("can"));
  EXPECT_TRUE(owner->getObject(1)->getValue<bool>("can"));
  EXPECT_FALSE(owner->getObject(2)->getValue<bool>("can"));  // disabled by the plugin
  EXPECT_EQ(owner->getObject(2)->getValue<std::string>("reason"), "GitHub token revoked");
  auto editor = actionsFor(Role::Editor);
  EXPECT_TRUE(editor->getObject(0)->getValue<bool>("can"));
  EXPECT_FALSE(editor->getObject(1)->getValue<bool>("can"));
  EXPECT_EQ(editor->getObject(1)->getValue<std::string>("reason"), "Requires the admin or owner role");
  auto viewer = actionsFor(Role::Viewer);
  EXPECT_FALSE(viewer->getObject(0)->getValue<bool>("can"));
  EXPECT_EQ(viewer->getObject(0)->getValue<std::string>("reason"), "Requires the editor role or higher");
  // Connect on an unlinked item is an admin action.
  auto vercel = parse(renderStatus("p1", Role::Editor, items(githubReport()), kNow, 2000).body)
                    ->getArray("items")->getObject(1)->getArray("actions")->getObject(0);
  EXPECT_EQ(vercel->getValue<std::string>("id"), "connect");
  EXPECT_FALSE(vercel->getValue<bool>("can"));
}

TEST(StatusView, ViewersSeeGenericLabelsForPrivateResources) {
  auto report = githubReport();
  report.environments = {{"production", "connected", "Live", "https://web.example", ""}};
  auto viewerBody = renderStatus("p1", Role::Viewer, items(report), kNow, 2000).body;
  EXPECT_EQ(viewerBody.find("acme/web"), std::string::npos);
  EXPECT_EQ(viewerBody.find("https://github.com"), std::string::npos);
  EXPECT_EQ(viewerBody.find("web.example"), std::string::npos);
  auto resource = parse(viewerBody)->getArray("items")->getObject(0)->getObject("resource");
  EXPECT_EQ(resource->getValue<std::string>("label"), "Private repo");
  auto editorBody = renderStatus("p1", Role::Editor, items(report), kNow, 2000).body;
  EXPECT_NE(editorBody.find("acme/web"), std::string::npos);
  // A public resource is shown to everyone.
  report.resource->isPrivate = false;
  EXPECT_NE(renderStatus("p1", Role::Viewer, items(report), kNow, 2000).body.find("acme/web"), std::string::npos);
}

// Links a UI renders leave the server only as absolute http(s) URLs without
// credentials: a provider (or a listener posing as one) cannot plant script.
TEST(StatusView, UnsafeUrlsAreDroppedForEveryRole) {
  auto report = githubReport();
  report.resource->url = "javascript:alert(document.cookie)";
  report.environments = {{"production", "connected", "Live", "data:text/html,<script>alert(1)</script>", ""},
                         {"preview", "connected", "", "file:///etc/passwd", ""},
                         {"staging", "connected", "", "https://user:pass@staging.example", ""},
                         {"qa", "connected", "", "https://qa.example/", ""}};
  for (Role role : {Role::Owner, Role::Admin, Role::Editor, Role::Viewer}) {
    const std::string body = renderStatus("p1", role, items(report), kNow, 2000).body;
    for (const char* unsafe : {"javascript:", "data:", "file:", "user:pass"}) {
      EXPECT_EQ(body.find(unsafe), std::string::npos) << toString(role) << " got " << unsafe << ": " << body;
    }
  }
  auto item = parse(renderStatus("p1", Role::Owner, items(report), kNow, 2000).body)->getArray("items")->getObject(0);
  EXPECT_EQ(item->getObject("resource")->getValue<std::string>("label"), "acme/web");
  EXPECT_FALSE(item->getObject("resource")->has("url"));
  auto environments = item->getArray("environments");
  ASSERT_EQ(environments->size(), 4u);
  EXPECT_FALSE(environments->getObject(0)->has("url"));
  EXPECT_EQ(environments->getObject(3)->getValue<std::string>("url"), "https://qa.example/");

  EXPECT_EQ(droppedUrls(report),
            (std::vector<std::string>{"resource.url has the scheme \"javascript\", not http or https",
                                      "environments[0].url has the scheme \"data\", not http or https",
                                      "environments[1].url has the scheme \"file\", not http or https",
                                      "environments[2].url carries user info (credentials)"}));
  EXPECT_TRUE(droppedUrls(githubReport()).empty());
}

TEST(StatusView, AnEgressRefusalKeepsItsHintWhenTheBreakerOpens) {
  auto list = items(std::nullopt);
  list[0].failureCode = "egress_refused";
  list[0].breaker = BreakerState::Open;
  list[0].probeAtMs = kNow + 10000;
  auto problem = parse(renderStatus("p1", Role::Owner, list, kNow, 2000).body)
                     ->getArray("items")->getObject(0)->getObject("problem");
  EXPECT_EQ(problem->getValue<std::string>("code"), "egress_refused");
  EXPECT_NE(problem->getValue<std::string>("hint").find("an operator can allow it under plugins.enabled[].egress"),
            std::string::npos);
  EXPECT_EQ(problem->getValue<int>("retryAfter"), 10);
}

TEST(StatusView, FailuresBecomeProblemsAndHiddenOrDisabledItemsSayWhy) {
  auto list = items(std::nullopt);
  list[0].failureCode = "timeout";
  list[1].link = LinkState::Hidden;
  list[2].link = LinkState::Disabled;
  list[3].link = LinkState::Linked;
  list[3].report = std::make_shared<const ProviderReport>(githubReport());
  list[3].failureCode = "unknown";
  list[3].stale = true;
  list[3].breaker = BreakerState::Open;
  list[3].probeAtMs = kNow + 30000;
  auto body = parse(renderStatus("p1", Role::Owner, list, kNow, 2000).body);
  auto github = body->getArray("items")->getObject(0);
  EXPECT_EQ(github->getValue<std::string>("status"), "warning");
  EXPECT_EQ(github->getObject("problem")->getValue<std::string>("code"), "timeout");
  auto hidden = body->getArray("items")->getObject(1);
  EXPECT_FALSE(hidden->getValue<bool>("visible"));
  EXPECT_EQ(hidden->getValue<std::string>("configuredReason"), "hidden_by_policy");
  EXPECT_EQ(body->getArray("items")->getObject(2)->getValue<std::string>("configuredReason"), "disabled");
  auto supabase = body->getArray("items")->getObject(3);
  EXPECT_TRUE(supabase->getValue<bool>("stale"));
  EXPECT_EQ(supabase->getValue<std::string>("status"), "connected");  // the last good status
  EXPECT_EQ(supabase->getObject("problem")->getValue<std::string>("code"), "unknown");
  EXPECT_EQ(supabase->getObject("problem")->getValue<int>("retryAfter"), 30);
  EXPECT_EQ(body->getValue<std::string>("overall"), "warning");
}

}  // namespace
}  // namespace sb::status
