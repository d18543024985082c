#include "sync/three_way.hpp"

#include <set>

#include "workspace/workspace_path.hpp"

namespace sb::sync {
namespace {

Change changeBetween(const std::string& from, const std::string& to) {
  if (from.empty()) return Change::Added;
  if (to.empty()) return Change::Deleted;
  return Change::Modified;
}

}  // namespace

const char* toString(Change change) {
  switch (change) {
    case Change::Added: return "added";
    case Change::Modified: return "modified";
    case Change::Deleted: return "deleted";
  }
  return "modified";
}

RemoteTree remoteAtBase(const std::vector<WorkspaceFile>& local) {
  RemoteTree out;
  for (const WorkspaceFile& file : local) {
    if (!file.baseSha.empty()) out[file.path] = RemoteEntry{file.baseSha, 0};
  }
  return out;
}

SyncPlan comparePaths(const std::vector<WorkspaceFile>& local, const RemoteTree& remote, std::size_t maxFileBytes) {
  SyncPlan plan;
  std::map<std::string, const WorkspaceFile*> byPath;
  for (const WorkspaceFile& file : local) byPath[file.path] = &file;
  std::set<std::string> skipped;
  for (const auto& [path, entry] : remote) {
    if (Status valid = workspace::checkWorkspacePath(path); !valid) {
      plan.skipped.push_back({path, entry.size, valid.message()});
      skipped.insert(path);
    } else if (entry.size > static_cast<std::int64_t>(maxFileBytes)) {
      plan.skipped.push_back({path, entry.size,
                              "larger than sync.max_file_bytes (" + std::to_string(maxFileBytes) + " bytes)"});
      skipped.insert(path);
    }
  }

  std::set<std::string> paths;
  for (const auto& [path, file] : byPath) paths.insert(path);
  for (const auto& [path, entry] : remote) paths.insert(path);
  for (const std::string& path : paths) {
    if (skipped.count(path) != 0) continue;
    const auto localIt = byPath.find(path);
    const auto remoteIt = remote.find(path);
    PlanItem item;
    item.path = path;
    if (localIt != byPath.end()) {
      item.baseSha = localIt->second->baseSha;
      item.localSha = localIt->second->deleted ? std::string() : localIt->second->blobSha;
    }
    if (remoteIt != remote.end()) {
      item.remoteSha = remoteIt->second.sha;
      item.remoteSize = remoteIt->second.size;
    }
    const bool localChanged = item.localSha != item.baseSha;
    const bool remoteChanged = item.remoteSha != item.baseSha;
    if (!localChanged && !remoteChanged) continue;
    if (remoteChanged && !localChanged) {
      item.change = changeBetween(item.baseSha, item.remoteSha);
      plan.toPull.push_back(std::move(item));
    } else if (localChanged && !remoteChanged) {
      item.change = changeBetween(item.baseSha, item.localSha);
      plan.toPush.push_back(std::move(item));
    } else if (item.localSha == item.remoteSha) {
      item.change = changeBetween(item.baseSha, item.remoteSha);
      plan.converged.push_back(std::move(item));
    } else {
      item.change = changeBetween(item.baseSha, item.remoteSha);
      item.localChange = changeBetween(item.baseSha, item.localSha);
      plan.conflicts.push_back(std::move(item));
    }
  }
  return plan;
}

}  // namespace sb::sync
