// The event log behind SSE (migration 3): events with database-assigned,
// global, monotonic ids, one payload per role; the stable hash of each
// (project, provider) status so that one change yields one status.changed
// event across instances; pruning by age; and single-use event tickets.
//
// Order: on PostgreSQL every append takes one transaction-scoped advisory
// lock before it inserts, so ids become visible in the order they were
// assigned and a reader that has seen id N never later finds a smaller one
// committing behind it. SQLite's write lock does the same.
// Thread-safety: as its Scope (store/scope.hpp).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"
#include "store/scope.hpp"

namespace sb {

// One payload per role, indexed by roleIndex(); nullopt: not sent to that role.
using RolePayloads = std::array<std::optional<std::string>, 4>;
std::size_t roleIndex(Role role);  // viewer 0, editor 1, admin 2, owner 3

struct NewEvent {
  std::string projectId;
  std::string type;     // "status.changed", "action.progress", ...
  std::string subject;  // what it is about: a provider, an action id, a user
  RolePayloads payloads;
};

struct StoredEvent {
  std::int64_t id = 0;
  std::string projectId;
  std::string type;
  std::string subject;
  RolePayloads payloads;
  std::int64_t createdAtMs = 0;
};

struct EventTicket {
  std::string userId;
  std::string projectId;
};

class EventRepository {
 public:
  explicit EventRepository(store::Scope scope) : scope_(scope) {}

  // Appends the event; returns its id.
  Result<std::int64_t> append(const NewEvent& event, std::int64_t nowMs);
  // Appends the event only if `hash` differs from the one last stored for
  // (event.projectId, provider), and stores `hash`, in one transaction under
  // the append lock. Returns the new id, or 0 when the hash is unchanged.
  // A project that is gone yields 0.
  Result<std::int64_t> appendIfChanged(const NewEvent& event, const std::string& provider,
                                       const std::string& hash, std::int64_t nowMs);
  // Events with id > afterId, oldest first, at most `limit`. An empty
  // projectIds means every project.
  Result<std::vector<StoredEvent>> listAfter(std::int64_t afterId, const std::vector<std::string>& projectIds,
                                             std::size_t limit);
  Result<std::int64_t> latestId();  // 0 when none was ever written
  // The newest id pruning removed (0: nothing pruned). A resume point below
  // it has lost events.
  Result<std::int64_t> prunedThrough();
  // Removes events created before cutoffMs and used or expired tickets;
  // returns how many events went.
  Result<std::size_t> pruneBefore(std::int64_t cutoffMs, std::int64_t nowMs);

  // Tickets: stored by SHA-256 hex. claimTicket marks it used and returns
  // whom it was for, or nullopt if it is unknown, used or expired (single
  // use, also across instances).
  Status putTicket(const std::string& ticketSha256Hex, const EventTicket& ticket, std::int64_t expiresAtMs);
  Result<std::optional<EventTicket>> claimTicket(const std::string& ticketSha256Hex, std::int64_t nowMs);

 private:
  store::Scope scope_;
};

}  // namespace sb
