// Turns what the status service knows about each provider of a project into
// the reply of GET /api/v1/integrations/status for one caller: per-role
// actions (can/reason), redaction of private resources, links reduced to safe
// absolute http(s) URLs (core/outbound_url.hpp), `overall`, and the
// two hashes. `hash` covers the items sorted by key with transient fields
// (updatedAt, stale, problem.retryAfter) left out, so it only changes when
// something a user would act on changed; `renderHash` covers everything.
// Thread-safety: pure functions on plain values.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "status/circuit_breaker.hpp"
#include "status/provider_report.hpp"

namespace sb::status {

enum class LinkState {
  NotLinked,  // no link for this key
  Disabled,   // linked, but no loaded plugin reports status for it
  Hidden,     // linked, but the caller's role is below the link's visibleTo
  Linked,
};

struct ItemState {
  std::string key;
  std::string displayName;  // "GitHub"
  LinkState link = LinkState::NotLinked;
  // Linked only:
  std::shared_ptr<const ProviderReport> report;  // the last good report, if any (shared with the cache)
  int64_t reportFetchedAtMs = 0;
  bool stale = false;            // served past its TTL or after a failed refresh
  // "" | timeout | egress_refused | oauth_revoked | oauth_expired | unknown:
  // the latest attempt failed (oauth_*: the connection's grant, not the provider).
  std::string failureCode;
  std::string connectionName;              // the connection the link uses ("" = a pasted token)
  std::vector<std::string> missingScopes;  // scopes the connection requires that were not granted
  BreakerState breaker = BreakerState::Closed;
  int64_t probeAtMs = 0;         // open breaker: when the next probe may run
};

struct RenderedStatus {
  std::string body;  // application/json
  std::string hash;
  std::string renderHash;
  std::string overall;
};

RenderedStatus renderStatus(const std::string& projectId, Role callerRole, const std::vector<ItemState>& items,
                            int64_t nowMs, int deadlineMs);

// One item of the reply (the JSON object in `items[]`) as `role` sees it;
// `item.link` is the caller's (Hidden renders the placeholder the reply shows).
std::string renderItem(const ItemState& item, Role role, int64_t nowMs, int deadlineMs);

// One item for a status.changed event: rendered once per role, exactly as
// renderItem (and so the status reply) shows it to that role, and the stable
// hash that decides whether it changed.
struct ItemRenders {
  // Indexed viewer, editor, admin, owner (the store's roleIndex order);
  // nullopt: that role cannot see the item (below the link's visibleTo).
  std::array<std::optional<std::string>, 4> byRole;
  // Over the project, visibleTo and the owner's (unredacted) view without the
  // transient fields (updatedAt, stale, problem.retryAfter).
  std::string hash;
};
// `item` as the owner sees it (Linked, Disabled or NotLinked, never Hidden);
// `visibleTo` is the link's (Viewer when there is no link).
ItemRenders renderItemForRoles(const std::string& projectId, const ItemState& item, Role visibleTo, int64_t nowMs,
                               int deadlineMs);

// The worst of error > warning > connected > disconnected; an item that is
// disconnected and not configured does not count. "disconnected" when none do.
std::string overallOf(const std::vector<std::pair<std::string, bool>>& statusAndConfigured);

std::string isoUtc(int64_t epochMs);  // 2026-11-23T10:00:00Z

// What the view drops from `report` because it may not leave the server, as
// "resource.url has the scheme \"javascript\", not http or https"; for the
// log line of the refresh that brought the report in.
std::vector<std::string> droppedUrls(const ProviderReport& report);

}  // namespace sb::status
