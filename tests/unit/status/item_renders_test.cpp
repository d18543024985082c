// One item rendered per role for status.changed events: the same object the
// status reply lists for that role, nullopt for a role below visibleTo, and a
// stable hash that ignores the transient fields.
#include <gtest/gtest.h>

#include <sstream>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "status/status_view.hpp"
#include "store/event_repository.hpp"

namespace sb::status {
namespace {

constexpr int64_t kNow = 1'795'000'000'000;

ItemState linkedGithub(int64_t fetchedAt = kNow - 1000) {
  ProviderReport report;
  report.status = "connected";
  report.summary = "Linked to main";
  report.resource = ReportedResource{"acme/web", "https://github.com/acme/web", true, "Private repo"};
  report.actions = {{"push", "Push", Role::Editor, true, "", "push"}, {"connect", "Reconnect", Role::Admin, true, "", "connect"}};
  ItemState item;
  item.key = "github";
  item.displayName = "GitHub";
  item.link = LinkState::Linked;
  item.report = std::make_shared<const ProviderReport>(std::move(report));
  item.reportFetchedAtMs = fetchedAt;
  return item;
}

Poco::JSON::Object::Ptr parse(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::string firstItemOf(const std::string& body) {
  std::ostringstream out;
  parse(body)->getArray("items")->getObject(0)->stringify(out);
  return out.str();
}

std::string restringified(const std::string& text) {
  std::ostringstream out;
  parse(text)->stringify(out);
  return out.str();
}

TEST(ItemRenders, EachRoleGetsTheObjectTheStatusReplyListsForIt) {
  const ItemState item = linkedGithub();
  const auto renders = renderItemForRoles("p1", item, Role::Viewer, kNow, 2000);
  std::vector<ItemState> items{item};
  for (Role role : {Role::Viewer, Role::Editor, Role::Admin, Role::Owner}) {
    const auto& payload = renders.byRole[roleIndex(role)];
    ASSERT_TRUE(payload.has_value()) << toString(role);
    const std::string body = renderStatus("p1", role, items, kNow, 2000).body;
    EXPECT_NE(body.find(*payload), std::string::npos) << toString(role) << ": byte for byte as in the reply";
    EXPECT_EQ(restringified(*payload), firstItemOf(body)) << toString(role);
  }
}

TEST(ItemRenders, AViewerPayloadIsRedactedAndNeverAnEditorsView) {
  const auto renders = renderItemForRoles("p1", linkedGithub(), Role::Viewer, kNow, 2000);
  const std::string& viewer = *renders.byRole[roleIndex(Role::Viewer)];
  const std::string& editor = *renders.byRole[roleIndex(Role::Editor)];
  EXPECT_EQ(viewer.find("acme/web"), std::string::npos);
  EXPECT_EQ(viewer.find("https://github.com"), std::string::npos);
  EXPECT_EQ(parse(viewer)->getObject("resource")->getValue<std::string>("label"), "Private repo");
  EXPECT_FALSE(parse(viewer)->getArray("actions")->getObject(0)->getValue<bool>("can"));
  EXPECT_NE(editor.find("acme/web"), std::string::npos);
  EXPECT_TRUE(parse(editor)->getArray("actions")->getObject(0)->getValue<bool>("can"));
  EXPECT_NE(viewer, editor);
}

TEST(ItemRenders, ARoleBelowTheLinksVisibleToGetsNothing) {
  const auto renders = renderItemForRoles("p1", linkedGithub(), Role::Admin, kNow, 2000);
  EXPECT_FALSE(renders.byRole[roleIndex(Role::Viewer)].has_value());
  EXPECT_FALSE(renders.byRole[roleIndex(Role::Editor)].has_value());
  EXPECT_TRUE(renders.byRole[roleIndex(Role::Admin)].has_value());
  EXPECT_TRUE(renders.byRole[roleIndex(Role::Owner)].has_value());
  // A disabled link (no plugin) is hidden the same way.
  ItemState disabled;
  disabled.key = "github";
  disabled.displayName = "GitHub";
  disabled.link = LinkState::Disabled;
  const auto off = renderItemForRoles("p1", disabled, Role::Editor, kNow, 2000);
  EXPECT_FALSE(off.byRole[roleIndex(Role::Viewer)].has_value());
  EXPECT_TRUE(off.byRole[roleIndex(Role::Editor)].has_value());
}

TEST(ItemRenders, AnUnlinkedItemGoesToEveryRole) {
  ItemState item;
  item.key = "vercel";
  item.displayName = "Vercel";
  const auto renders = renderItemForRoles("p1", item, Role::Viewer, kNow, 2000);
  for (const auto& payload : renders.byRole) {
    ASSERT_TRUE(payload.has_value());
    EXPECT_EQ(parse(*payload)->getValue<std::string>("configuredReason"), "not_linked");
  }
}

TEST(ItemRenders, TheHashIgnoresUpdatedAtAndStaleButNotWhatAUserWouldActOn) {
  const std::string base = renderItemForRoles("p1", linkedGithub(), Role::Viewer, kNow, 2000).hash;
  EXPECT_EQ(base.size(), 32u);
  ItemState later = linkedGithub(kNow - 90'000);
  later.stale = true;
  const auto laterRenders = renderItemForRoles("p1", later, Role::Viewer, kNow + 5000, 2000);
  EXPECT_EQ(laterRenders.hash, base) << "updatedAt and stale are transient";
  EXPECT_NE(*laterRenders.byRole[roleIndex(Role::Owner)],
            *renderItemForRoles("p1", linkedGithub(), Role::Viewer, kNow, 2000).byRole[roleIndex(Role::Owner)])
      << "the payload itself does show them";

  ItemState failed = linkedGithub();
  failed.failureCode = "unknown";
  EXPECT_NE(renderItemForRoles("p1", failed, Role::Viewer, kNow, 2000).hash, base);
  ProviderReport changed = *linkedGithub().report;
  changed.status = "error";
  ItemState error = linkedGithub();
  error.report = std::make_shared<const ProviderReport>(changed);
  EXPECT_NE(renderItemForRoles("p1", error, Role::Viewer, kNow, 2000).hash, base);
  // Who may see it is part of it; so is the project.
  EXPECT_NE(renderItemForRoles("p1", linkedGithub(), Role::Editor, kNow, 2000).hash, base);
  EXPECT_NE(renderItemForRoles("p2", linkedGithub(), Role::Viewer, kNow, 2000).hash, base);
}

}  // namespace
}  // namespace sb::status
