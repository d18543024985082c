// Expected failures inside the host are values, not exceptions: Status and
// Result<T>. Exceptions from Poco and yaml-cpp are caught at module edges and
// turned into these. One function (http/problem.hpp) maps them to HTTP.
// Thread-safety: plain values; copy freely.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace sb {

enum class ErrorCode {
  Ok = 0,
  InvalidArgument,   // bad input from a caller (400/422)
  NotFound,          // 404
  AlreadyExists,     // 409
  Conflict,          // 409: state does not allow it (e.g. removing the last owner)
  Unauthenticated,   // 401
  PermissionDenied,  // 403
  Unavailable,       // 503: a dependency (store, plugin, provider) is down
  Timeout,           // 504
  BadGateway,        // 502: an upstream server (an authorization server) answered something unusable
  Internal,          // 500: a bug; never for bad input
};

const char* toString(ErrorCode code);

class Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  static Status ok() { return {}; }
  bool isOk() const { return code_ == ErrorCode::Ok; }
  explicit operator bool() const { return isOk(); }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The input field the error is about (e.g. "role", "server.port"); may be empty.
  const std::string& field() const { return field_; }

 private:
  ErrorCode code_ = ErrorCode::Ok;
  std::string message_;
  std::string field_;
};

template <class T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {   // NOLINT: implicit by design
    assert(!status_.isOk() && "a Result built from a Status must carry an error");
  }
  Result(ErrorCode code, std::string message, std::string field = {})
      : status_(code, std::move(message), std::move(field)) {}

  bool isOk() const { return value_.has_value(); }
  explicit operator bool() const { return isOk(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace sb
