#include "core/link_credentials.hpp"

namespace sb {

CallAccessToken::CallAccessToken(std::string token, std::function<Result<std::string>()> refresh)
    : refresh_(std::move(refresh)) {
  tokens_.push_back(std::move(token));
}

const std::string& CallAccessToken::current() const {
  std::lock_guard lock(mutex_);
  return tokens_.back();
}

Status CallAccessToken::refreshOnce() {
  std::lock_guard lock(mutex_);
  if (outcome_) return *outcome_;
  if (!refresh_) {
    outcome_ = Status(ErrorCode::Unavailable, "this token cannot be refreshed");
    return *outcome_;
  }
  // Held across the refresh: a concurrent caller of the same call waits for
  // it and takes its outcome rather than starting another.
  Result<std::string> fresh = refresh_();
  if (!fresh) {
    outcome_ = fresh.status();
  } else {
    tokens_.push_back(std::move(fresh).value());
    outcome_ = Status::ok();
  }
  return *outcome_;
}

std::optional<Status> CallAccessToken::refreshFailure() const {
  std::lock_guard lock(mutex_);
  if (outcome_ && !outcome_->isOk()) return outcome_;
  return std::nullopt;
}

}  // namespace sb
