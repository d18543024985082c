// The three-way compare behind sync preview and execute, per path, of base
// (the remote blob SHA at the last sync), local (the workspace file) and
// remote (the sync source's tree):
//   only remote changed        -> pull
//   only local changed         -> push
//   both changed, differently  -> conflict (resolved by picking a side)
//   both changed, identically  -> nothing to move; the base advances
// "" stands for "absent" on any side. Remote paths the workspace path rule
// refuses, and remote files above max_file_bytes, are skipped with a reason
// (never truncated); a skipped path is neither pulled nor deleted locally.
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "store/workspace_repository.hpp"

namespace sb::sync {

enum class Change { Added, Modified, Deleted };
const char* toString(Change change);

struct RemoteEntry {
  std::string sha;
  std::int64_t size = 0;
};
using RemoteTree = std::map<std::string, RemoteEntry>;  // by path

struct PlanItem {
  std::string path;
  Change change = Change::Modified;       // pull: the remote change; push: the local one; conflict: remote
  Change localChange = Change::Modified;  // conflicts only
  std::string baseSha;
  std::string localSha;
  std::string remoteSha;
  std::int64_t remoteSize = 0;
};

struct SkippedItem {
  std::string path;
  std::int64_t size = 0;
  std::string reason;
};

// An active workflow the pull would orphan: its file deleted, or declaring
// another id (filled by SyncService).
struct OrphanItem {
  std::string workflowId;
  std::string name;
  std::string path;
};

struct SyncPlan {
  std::string remoteHead;
  std::vector<PlanItem> toPull;
  std::vector<PlanItem> toPush;
  std::vector<PlanItem> conflicts;
  std::vector<PlanItem> converged;  // same content on both sides; only the base moves
  std::vector<SkippedItem> skipped;
  std::vector<OrphanItem> willOrphan;
  // Remote changes a push-only sync leaves unpulled: the new head is then not
  // recorded as synced, so the next preview lists the tree and still shows them.
  std::size_t leftToPull = 0;
  bool isEmpty() const { return toPull.empty() && toPush.empty() && conflicts.empty() && converged.empty(); }
};

SyncPlan comparePaths(const std::vector<WorkspaceFile>& local, const RemoteTree& remote, std::size_t maxFileBytes);

// The remote tree as of the last sync, when the head has not moved since:
// every synced path at its base SHA.
RemoteTree remoteAtBase(const std::vector<WorkspaceFile>& local);

}  // namespace sb::sync
