#include "status/status_view.hpp"

#include <algorithm>
#include <ctime>

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include "core/json_writer.hpp"
#include "core/link_credentials.hpp"
#include "core/outbound_url.hpp"

namespace sb::status {
namespace {

std::string sha256Prefix(const std::string& data) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(data);
  return Poco::DigestEngine::digestToHex(engine.digest()).substr(0, 32);
}

int severity(const std::string& status) {
  if (status == "error") return 3;
  if (status == "warning") return 2;
  if (status == "connected") return 1;
  return 0;
}

// Everything an item shows, decided once; written twice (with and without
// the transient fields).
struct ItemView {
  std::string key;
  bool configured = false;
  std::string configuredReason;
  bool visible = true;
  std::string status = "disconnected";
  std::string summary;
  int64_t updatedAtMs = 0;
  bool stale = false;
  std::string problemCode;
  std::string problemHint;
  int64_t retryAfter = -1;
  std::optional<ReportedResource> resource;
  bool redacted = false;
  std::vector<ReportedAction> actions;
  std::vector<ReportedEnvironment> environments;
};

// The host's own action for a link whose connection grant needs renewing;
// the UI runs it as POST /api/v1/connections/{name}/authorize.
ReportedAction reconnectAction(const ItemState& item) {
  return {"reconnect", "Reconnect " + item.displayName, Role::Admin, true, "", "connect"};
}

ItemView decide(const ItemState& item, Role role, int64_t nowMs, int deadlineMs) {
  ItemView view;
  view.key = item.key;
  view.updatedAtMs = item.report ? item.reportFetchedAtMs : nowMs;
  switch (item.link) {
    case LinkState::NotLinked:
      view.configuredReason = "not_linked";
      view.summary = "Not linked";
      view.actions.push_back({"connect", "Connect " + item.displayName, Role::Admin, true, "", "connect"});
      return view;
    case LinkState::Disabled:
      view.configuredReason = "disabled";
      // Only a configured plugin that failed to load has a disabled item (status_providers.hpp).
      view.summary = "The " + item.displayName + " plugin failed to load on this server";
      return view;
    case LinkState::Hidden:
      view.configuredReason = "hidden_by_policy";
      view.visible = false;
      view.summary = "Hidden for your role";
      return view;
    case LinkState::Linked: break;
  }
  view.configured = true;
  view.stale = item.stale;
  if (item.report) {
    const ProviderReport& report = *item.report;
    view.status = report.status;
    view.summary = report.summary;
    view.problemCode = report.problemCode;
    view.problemHint = report.problemHint;
    if (report.retryAfterSeconds >= 0) {
      const int64_t elapsed = std::max<int64_t>(0, nowMs - item.reportFetchedAtMs) / 1000;
      view.retryAfter = std::max<int64_t>(0, report.retryAfterSeconds - elapsed);
    }
    if (report.revoked) {
      view.configured = false;
      view.configuredReason = "revoked";
    }
    view.resource = report.resource;
    view.actions = report.actions;
    view.environments = report.environments;
  }
  const bool revoked = item.failureCode == kOAuthRevokedField;
  if (revoked || item.failureCode == kOAuthExpiredField) {
    // The connection's grant is gone or lapsed: only reconnecting helps, so
    // that is the one action offered; the last good resource still shows.
    const std::string connection = item.connectionName.empty() ? item.displayName : item.connectionName;
    view.configured = false;
    view.configuredReason = revoked ? "revoked" : "expired";
    view.status = "error";
    view.summary = revoked ? "Access to " + item.displayName + " was revoked"
                           : "Access to " + item.displayName + " expired";
    view.problemCode = item.failureCode;
    view.problemHint = "Reconnect the connection '" + connection +
                       "' (POST /api/v1/connections/" + connection + "/authorize) to restore access";
    view.retryAfter = -1;
    view.actions = {reconnectAction(item)};
  } else if (!item.failureCode.empty()) {
    // The latest attempt failed: say so, on top of the last good report if any.
    view.problemCode = item.failureCode;
    view.retryAfter = -1;
    const bool breakerOpen = item.breaker == BreakerState::Open;
    if (breakerOpen && item.probeAtMs > 0) view.retryAfter = std::max<int64_t>(0, (item.probeAtMs - nowMs + 999) / 1000);
    if (item.failureCode == "egress_refused") {
      // Not the user's to fix, and retrying will not help: say who can.
      view.problemHint = "This server's egress policy refused the address " + item.displayName +
                         " requests go to; an operator can allow it under plugins.enabled[].egress";
    } else if (breakerOpen) {
      view.problemHint = item.displayName + " failed repeatedly; checks are paused for a while";
    } else if (item.failureCode == "timeout") {
      view.problemHint = item.displayName + " did not answer within " + std::to_string(deadlineMs) + " ms";
    } else {
      view.problemHint = item.displayName + " could not be reached or sent an unusable answer";
    }
    if (!item.report) {
      view.status = item.failureCode == "timeout" ? "warning" : "error";
      if (item.failureCode == "timeout") {
        view.summary = "No answer from " + item.displayName;
      } else if (item.failureCode == "egress_refused") {
        view.summary = item.displayName + " is blocked by the server's egress policy";
      } else {
        view.summary = item.displayName + " is unavailable";
      }
    }
  }
  if (!item.missingScopes.empty() && item.failureCode.empty() && view.status == "connected") {
    // Working, but on fewer scopes than the connection asks for: some calls will fail.
    std::string missing;
    for (const std::string& scope : item.missingScopes) missing += (missing.empty() ? "" : ", ") + scope;
    view.status = "warning";
    view.problemCode = "oauth_scopes_missing";
    view.problemHint = "The grant lacks the scopes " + missing + "; reconnect the connection '" +
                       item.connectionName + "' and approve them";
    view.actions.push_back(reconnectAction(item));
  }
  // Links a UI would render: only safe absolute http(s) URLs leave the server.
  if (view.resource && outboundUrlProblem(view.resource->url)) view.resource->url.clear();
  for (auto& env : view.environments) {
    if (outboundUrlProblem(env.url)) env.url.clear();
  }
  // Viewers do not see the names and URLs of private resources.
  if (view.resource && view.resource->isPrivate && role == Role::Viewer) {
    view.redacted = true;
    for (auto& env : view.environments) env.url.clear();
  }
  return view;
}

void writeItem(JsonWriter& w, const ItemView& v, Role role, bool transient) {
  w.open('{');
  w.field("key", v.key);
  w.key("configured");
  w.boolean(v.configured);
  if (!v.configuredReason.empty()) w.field("configuredReason", v.configuredReason);
  w.key("visible");
  w.boolean(v.visible);
  w.field("status", v.status);
  if (!v.summary.empty()) w.field("summary", v.summary);
  if (transient) w.field("updatedAt", isoUtc(v.updatedAtMs));
  if (transient && v.stale) {
    w.key("stale");
    w.boolean(true);
  }
  if (!v.problemCode.empty()) {
    w.key("problem");
    w.open('{');
    w.field("code", v.problemCode);
    if (!v.problemHint.empty()) w.field("hint", v.problemHint);
    if (transient && v.retryAfter >= 0) {
      w.key("retryAfter");
      w.number(v.retryAfter);
    }
    w.close('}');
  }
  if (v.resource) {
    w.key("resource");
    w.open('{');
    if (v.redacted) {
      w.field("label", v.resource->genericLabel.empty() ? "Private resource" : v.resource->genericLabel);
    } else {
      w.field("label", v.resource->label);
      if (!v.resource->url.empty()) w.field("url", v.resource->url);
    }
    w.key("private");
    w.boolean(v.resource->isPrivate);
    w.close('}');
  }
  w.key("actions");
  w.open('[');
  for (const auto& action : v.actions) {
    const bool roleAllows = roleAtLeast(role, action.minRole);
    w.open('{');
    w.field("id", action.id);
    w.field("label", action.label);
    w.key("can");
    w.boolean(roleAllows && action.enabled);
    if (!action.enabled) {
      w.field("reason", action.reason.empty() ? "Not available right now" : action.reason);
    } else if (!roleAllows) {
      w.field("reason", roleRequirement(action.minRole));
    }
    w.close('}');
  }
  w.close(']');
  if (!v.environments.empty()) {
    w.key("environments");
    w.open('[');
    for (const auto& env : v.environments) {
      w.open('{');
      w.field("name", env.name);
      w.field("status", env.status);
      if (!env.summary.empty()) w.field("summary", env.summary);
      if (!env.url.empty()) w.field("url", env.url);
      if (!env.lastDeployAt.empty()) w.field("lastDeployAt", env.lastDeployAt);
      w.close('}');
    }
    w.close(']');
  }
  w.close('}');
}

}  // namespace

std::vector<std::string> droppedUrls(const ProviderReport& report) {
  std::vector<std::string> dropped;
  const auto check = [&](const std::string& url, const std::string& where) {
    if (url.empty()) return;
    if (auto problem = outboundUrlProblem(url)) dropped.push_back(where + " " + *problem);
  };
  if (report.resource) check(report.resource->url, "resource.url");
  for (std::size_t i = 0; i < report.environments.size(); ++i) {
    check(report.environments[i].url, "environments[" + std::to_string(i) + "].url");
  }
  return dropped;
}

std::string isoUtc(int64_t epochMs) {
  const std::time_t seconds = static_cast<std::time_t>(epochMs / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

std::string overallOf(const std::vector<std::pair<std::string, bool>>& statusAndConfigured) {
  int worst = -1;
  for (const auto& [status, configured] : statusAndConfigured) {
    if (status == "disconnected" && !configured) continue;
    worst = std::max(worst, severity(status));
  }
  switch (worst) {
    case 3: return "error";
    case 2: return "warning";
    case 1: return "connected";
    default: return "disconnected";
  }
}

std::string renderItem(const ItemState& item, Role role, int64_t nowMs, int deadlineMs) {
  JsonWriter w;
  writeItem(w, decide(item, role, nowMs, deadlineMs), role, true);
  return w.take();
}

ItemRenders renderItemForRoles(const std::string& projectId, const ItemState& item, Role visibleTo, int64_t nowMs,
                               int deadlineMs) {
  ItemRenders renders;
  // Viewer, editor, admin, owner: the order of the store's roleIndex().
  constexpr std::array<Role, 4> kRoles{Role::Viewer, Role::Editor, Role::Admin, Role::Owner};
  const bool linked = item.link == LinkState::Linked || item.link == LinkState::Disabled;
  for (std::size_t i = 0; i < kRoles.size(); ++i) {
    if (linked && !roleAtLeast(kRoles[i], visibleTo)) continue;
    renders.byRole[i] = renderItem(item, kRoles[i], nowMs, deadlineMs);
  }
  JsonWriter stable;
  writeItem(stable, decide(item, Role::Owner, nowMs, deadlineMs), Role::Owner, false);
  renders.hash = sha256Prefix(projectId + "\n" + toString(linked ? visibleTo : Role::Viewer) + "\n" + stable.take());
  return renders;
}

RenderedStatus renderStatus(const std::string& projectId, Role callerRole, const std::vector<ItemState>& items,
                            int64_t nowMs, int deadlineMs) {
  std::vector<ItemView> views;
  views.reserve(items.size());
  std::vector<std::pair<std::string, bool>> statuses;
  for (const auto& item : items) {
    views.push_back(decide(item, callerRole, nowMs, deadlineMs));
    statuses.emplace_back(views.back().status, views.back().configured);
  }
  RenderedStatus rendered;
  rendered.overall = overallOf(statuses);

  // The stable hash walks the items sorted by key; the reply keeps their order.
  std::vector<const ItemView*> sorted;
  for (const auto& view : views) sorted.push_back(&view);
  std::sort(sorted.begin(), sorted.end(), [](const ItemView* a, const ItemView* b) { return a->key < b->key; });
  JsonWriter stable;
  stable.open('[');
  for (const ItemView* view : sorted) writeItem(stable, *view, callerRole, false);
  stable.close(']');
  std::string stableText = stable.take();
  rendered.hash = sha256Prefix(projectId + "\n" + rendered.overall + "\n" + stableText);

  JsonWriter items_;
  items_.open('[');
  for (const auto& view : views) writeItem(items_, view, callerRole, true);
  items_.close(']');
  const std::string itemsText = items_.take();
  rendered.renderHash = sha256Prefix(projectId + "\n" + rendered.overall + "\n" + itemsText);

  JsonWriter body;
  body.open('{');
  body.field("projectId", projectId);
  body.key("items");
  body.raw(itemsText);
  body.field("hash", rendered.hash);
  body.field("renderHash", rendered.renderHash);
  body.field("overall", rendered.overall);
  body.close('}');
  rendered.body = body.take();
  return rendered;
}

}  // namespace sb::status
