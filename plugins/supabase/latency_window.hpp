// The last few measured Management API latencies per Supabase project, for the
// "12ms avg" in the status summary. Owned by one SupabasePlugin instance.
// Thread-safety: every method may be called from any thread (one mutex).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <numeric>
#include <string>

namespace switchboard::bundled::supabase {

class LatencyWindow {
 public:
  static constexpr std::size_t kSamples = 10;
  // Projects remembered at most; beyond, the one measured longest ago is
  // forgotten (an unlinked project stops being measured, so it goes first).
  static constexpr std::size_t kProjects = 1024;

  // Records one measurement and returns the mean of the project's last
  // kSamples, rounded to the nearest millisecond.
  std::int64_t recordAndAverage(const std::string& projectRef, std::int64_t latencyMs) {
    std::lock_guard lock(mutex_);
    auto [it, inserted] = projects_.try_emplace(projectRef);
    if (inserted && projects_.size() > kProjects) forgetOldestExcept(it);
    Project& project = it->second;
    project.lastUse = ++tick_;
    std::deque<std::int64_t>& samples = project.samples;
    samples.push_back(latencyMs < 0 ? 0 : latencyMs);
    while (samples.size() > kSamples) samples.pop_front();
    const std::int64_t total = std::accumulate(samples.begin(), samples.end(), std::int64_t{0});
    const auto count = static_cast<std::int64_t>(samples.size());
    return (total + count / 2) / count;
  }

  std::size_t projects() const {
    std::lock_guard lock(mutex_);
    return projects_.size();
  }

 private:
  struct Project {
    std::deque<std::int64_t> samples;
    std::uint64_t lastUse = 0;
  };
  using Projects = std::map<std::string, Project>;

  void forgetOldestExcept(Projects::iterator keep) {
    auto oldest = projects_.end();
    for (auto it = projects_.begin(); it != projects_.end(); ++it) {
      if (it != keep && (oldest == projects_.end() || it->second.lastUse < oldest->second.lastUse)) oldest = it;
    }
    if (oldest != projects_.end()) projects_.erase(oldest);
  }

  mutable std::mutex mutex_;
  Projects projects_;
  std::uint64_t tick_ = 0;
};

}  // namespace switchboard::bundled::supabase
