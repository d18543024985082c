#include "http/deadline_sweep.hpp"

#include <vector>

namespace sb::http {

void DeadlineSweep::add(const void* owner, Check check) { entries_[owner] = std::move(check); }

void DeadlineSweep::remove(const void* owner) { entries_.erase(owner); }

void DeadlineSweep::start() {
  running_ = true;
  tick();
}

void DeadlineSweep::stop() {
  running_ = false;
  timer_.reset();
}

void DeadlineSweep::tick() {
  if (!running_ || !timer_) return;
  const auto now = std::chrono::steady_clock::now();
  // A check may close its connection (and so remove itself): walk a copy of
  // the owners and skip the ones gone meanwhile.
  std::vector<const void*> owners;
  owners.reserve(entries_.size());
  for (const auto& [owner, check] : entries_) owners.push_back(owner);
  for (const void* owner : owners) {
    auto it = entries_.find(owner);
    if (it != entries_.end()) it->second(now);
  }
  timer_->expires_after(kTick);
  timer_->async_wait([this](const boost::system::error_code& error) {
    if (!error) tick();
  });
}

}  // namespace sb::http
