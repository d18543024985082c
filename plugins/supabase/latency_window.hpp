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

  // Records one measurement and returns the mean of the project's last
  // kSamples, rounded to the nearest millisecond.
  std::int64_t recordAndAverage(const std::string& projectRef, std::int64_t latencyMs) {
    std::lock_guard lock(mutex_);
    std::deque<std::int64_t>& samples = samples_[projectRef];
    samples.push_back(latencyMs < 0 ? 0 : latencyMs);
    while (samples.size() > kSamples) samples.pop_front();
    const std::int64_t total = std::accumulate(samples.begin(), samples.end(), std::int64_t{0});
    const auto count = static_cast<std::int64_t>(samples.size());
    return (total + count / 2) / count;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::deque<std::int64_t>> samples_;
};

}  // namespace switchboard::bundled::supabase
