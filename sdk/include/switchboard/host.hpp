// switchboard/host.hpp -- C++ wrappers around the host services of abi.h
// (sb_host_api): logging, clock, HTTP with an RAII response, progress and
// structured progress steps (ABI 1.2, with a fallback for older hosts).
// Ownership: Host and Call borrow host-owned pointers that stay valid while the
// plugin instance (Host) or the hook invocation (Call) lasts. HttpResponse owns
// one host-allocated response and releases it with host_http_response_free.
// Thread-safety: every host_ callback is thread-safe, so a Host may be used from
// any thread; an HttpResponse belongs to one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "switchboard/abi.h"
#include "switchboard/json.hpp"

namespace switchboard {

inline sb_str toSb(std::string_view text) { return sb_str{text.data(), text.size()}; }
inline std::string_view toView(sb_str text) {
  return text.data == nullptr ? std::string_view() : std::string_view(text.data, text.len);
}

// A short stable name for a status code, for messages.
inline const char* statusName(sb_status status) {
  switch (status) {
    case SB_OK: return "ok";
    case SB_ERR_INVALID_ARGUMENT: return "invalid argument";
    case SB_ERR_NOT_FOUND: return "not found";
    case SB_ERR_UNAUTHORIZED: return "unauthorized";
    case SB_ERR_RATE_LIMITED: return "rate limited";
    case SB_ERR_TIMEOUT: return "timeout";
    case SB_ERR_UNAVAILABLE: return "unavailable";
    case SB_ERR_CONFLICT: return "conflict";
    case SB_ERR_NOT_SUPPORTED: return "not supported";
    case SB_ERR_INTERNAL: return "internal error";
    default: return "unknown status";
  }
}

namespace detail {
// A host built against an older minor may hand over a shorter sb_host_api;
// callbacks past its struct_size are absent (abi.h versioning rules).
template <class Fn>
Fn hostCallback(const sb_host_api* api, Fn sb_host_api::*member) {
  if (api == nullptr) return nullptr;
  const auto* base = reinterpret_cast<const char*>(api);
  const auto* field = reinterpret_cast<const char*>(&(api->*member));
  if (static_cast<std::size_t>(field - base) + sizeof(Fn) > api->struct_size) return nullptr;
  return api->*member;
}
}  // namespace detail

// A completed HTTP exchange. Move-only; frees the host's response exactly once.
class HttpResponse {
 public:
  HttpResponse() = default;
  HttpResponse(const sb_host_api* api, sb_http_response* response) : api_(api), response_(response) {}
  HttpResponse(HttpResponse&& other) noexcept
      : api_(other.api_), response_(std::exchange(other.response_, nullptr)) {}
  HttpResponse& operator=(HttpResponse&& other) noexcept {
    if (this != &other) {
      reset();
      api_ = other.api_;
      response_ = std::exchange(other.response_, nullptr);
    }
    return *this;
  }
  HttpResponse(const HttpResponse&) = delete;
  HttpResponse& operator=(const HttpResponse&) = delete;
  ~HttpResponse() { reset(); }

  explicit operator bool() const { return response_ != nullptr; }
  int status() const {
    auto fn = detail::hostCallback(api_, &sb_host_api::host_http_response_status);
    return response_ != nullptr && fn != nullptr ? fn(response_) : 0;
  }
  // Case-insensitive, first value; empty when absent. Valid while *this lives.
  std::string_view header(std::string_view name) const {
    auto fn = detail::hostCallback(api_, &sb_host_api::host_http_response_header);
    return response_ != nullptr && fn != nullptr ? toView(fn(response_, toSb(name))) : std::string_view();
  }
  // Valid while *this lives.
  std::string_view body() const {
    auto fn = detail::hostCallback(api_, &sb_host_api::host_http_response_body);
    return response_ != nullptr && fn != nullptr ? toView(fn(response_)) : std::string_view();
  }
  void reset() {
    if (response_ == nullptr) return;
    if (auto fn = detail::hostCallback(api_, &sb_host_api::host_http_response_free)) fn(response_);
    response_ = nullptr;
  }

 private:
  const sb_host_api* api_ = nullptr;
  sb_http_response* response_ = nullptr;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute, or a path resolved against the configured base URL
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::uint32_t timeoutMs = 0;  // 0 = host default
};

// SB_OK with a response (any HTTP status), or a transport failure and why.
struct HttpResult {
  sb_status status = SB_ERR_INTERNAL;
  std::string error;
  HttpResponse response;
  bool ok() const { return status == SB_OK; }
};

// One structured progress step (host_progress_step). `id` is stable across
// reports of the same step ([a-z0-9][a-z0-9-]*, at most 64 bytes); `label` is
// display text (at most 200 bytes), `detail` optional (at most 500 bytes).
enum class StepState { Running, Succeeded, Failed, Skipped };

inline const char* stepStateName(StepState state) {
  switch (state) {
    case StepState::Running: return "running";
    case StepState::Succeeded: return "succeeded";
    case StepState::Failed: return "failed";
    case StepState::Skipped: return "skipped";
  }
  return "running";
}

struct ProgressStep {
  std::string id;
  std::string label;
  StepState state = StepState::Running;
  std::uint64_t done = 0;
  std::uint64_t total = 0;  // 0 = unknown
  std::string detail;

  // {"step","label","state","done","total","detail"?}: the step_json of abi.h.
  std::string toJson() const {
    std::string json = "{\"step\":" + json::quote(id) + ",\"label\":" + json::quote(label) +
                       ",\"state\":\"" + stepStateName(state) + "\",\"done\":" + std::to_string(done) +
                       ",\"total\":" + std::to_string(total);
    if (!detail.empty()) json += ",\"detail\":" + json::quote(detail);
    return json + "}";
  }
};

// One host->plugin invocation: its deadline, cancellation and progress.
class Call {
 public:
  Call() = default;
  Call(const sb_host_api* api, sb_call* call) : api_(api), call_(call) {}

  sb_call* raw() const { return call_; }
  void progress(std::uint64_t done, std::uint64_t total, std::string_view message) const {
    auto fn = detail::hostCallback(api_, &sb_host_api::host_progress);
    if (call_ != nullptr && fn != nullptr) fn(call_, done, total, toSb(message));
  }
  // Reports a structured step. A host older than ABI 1.2 has no
  // host_progress_step: the step then goes out as host_progress(done, total,
  // "<label>: <state>").
  void step(const ProgressStep& step) const {
    if (call_ == nullptr || api_ == nullptr) return;
    auto fn = api_->abi_minor >= 2 ? detail::hostCallback(api_, &sb_host_api::host_progress_step) : nullptr;
    if (fn != nullptr) {
      const std::string json = step.toJson();
      fn(call_, toSb(json));
      return;
    }
    progress(step.done, step.total, step.label + ": " + stepStateName(step.state));
  }
  void step(std::string id, std::string label, StepState state, std::uint64_t done = 0,
            std::uint64_t total = 0) const {
    step(ProgressStep{std::move(id), std::move(label), state, done, total, {}});
  }
  std::int64_t deadlineMs() const {  // 0 = none
    auto fn = detail::hostCallback(api_, &sb_host_api::host_call_deadline_ms);
    return call_ != nullptr && fn != nullptr ? fn(call_) : 0;
  }
  bool cancelled() const {
    auto fn = detail::hostCallback(api_, &sb_host_api::host_call_cancelled);
    return call_ != nullptr && fn != nullptr && fn(call_) != 0;
  }
  // The access token of the connection the link uses (ABI 1.3), kept valid by
  // the host; "" without a connection or from an older host (then read
  // Request::accessToken, the same value from the request JSON).
  std::string accessToken() const {
    auto fn = api_ != nullptr && api_->abi_minor >= 3 ? detail::hostCallback(api_, &sb_host_api::host_access_token)
                                                      : nullptr;
    if (call_ == nullptr || fn == nullptr) return {};
    const sb_str token = fn(call_);
    return token.data != nullptr ? std::string(token.data, token.len) : std::string();
  }
  // After the provider answered 401 to accessToken(): one refresh per call.
  // SB_OK: accessToken() is the new token, retry once. SB_ERR_UNAUTHORIZED:
  // the grant is revoked, report it so. SB_ERR_NOT_SUPPORTED: no connection,
  // or a host before 1.3; the 401 stands.
  sb_status refreshAccessToken() const {
    auto fn = api_ != nullptr && api_->abi_minor >= 3
                  ? detail::hostCallback(api_, &sb_host_api::host_access_token_refresh)
                  : nullptr;
    return call_ != nullptr && fn != nullptr ? fn(call_) : SB_ERR_NOT_SUPPORTED;
  }

 private:
  const sb_host_api* api_ = nullptr;
  sb_call* call_ = nullptr;
};

// The host services of one plugin instance.
class Host {
 public:
  Host() = default;
  explicit Host(const sb_host_api* api) : api_(api) {}

  const sb_host_api* api() const { return api_; }

  // Never log a secret: the host redacts nothing.
  void log(sb_log_level level, std::string_view message) const {
    if (auto fn = detail::hostCallback(api_, &sb_host_api::host_log)) fn(api_->host_ctx, level, toSb(message));
  }
  void debug(std::string_view message) const { log(SB_LOG_DEBUG, message); }
  void info(std::string_view message) const { log(SB_LOG_INFO, message); }
  void warn(std::string_view message) const { log(SB_LOG_WARN, message); }
  void error(std::string_view message) const { log(SB_LOG_ERROR, message); }

  std::int64_t nowMs() const {
    auto fn = detail::hostCallback(api_, &sb_host_api::host_now_ms);
    return fn != nullptr ? fn(api_->host_ctx) : 0;
  }

  // On failure the host's reason (written into our buffer) becomes
  // HttpResult::error, prefixed with the request line.
  HttpResult send(const HttpRequest& request, const Call& call = Call()) const {
    HttpResult result;
    auto fn = detail::hostCallback(api_, &sb_host_api::host_http_send);
    if (fn == nullptr) {
      result.status = SB_ERR_NOT_SUPPORTED;
      result.error = "the host provides no HTTP client";
      return result;
    }
    std::vector<sb_header> headers;
    headers.reserve(request.headers.size());
    for (const auto& [name, value] : request.headers) headers.push_back(sb_header{toSb(name), toSb(value)});
    sb_http_request raw{};
    raw.struct_size = sizeof(sb_http_request);
    raw.timeout_ms = request.timeoutMs;
    raw.method = toSb(request.method);
    raw.url = toSb(request.url);
    raw.headers = headers.empty() ? nullptr : headers.data();
    raw.header_count = headers.size();
    raw.body = toSb(request.body);
    sb_http_response* response = nullptr;
    char reason[512] = {};
    result.status = fn(api_->host_ctx, call.raw(), &raw, &response, reason, sizeof reason);
    if (result.status == SB_OK) {
      result.response = HttpResponse(api_, response);
    } else {
      if (response != nullptr) HttpResponse(api_, response).reset();  // a host bug; don't leak
      result.error = std::string("HTTP ") + request.method + " " + request.url + " failed: " +
                     (reason[0] != '\0' ? std::string(reason) : std::string(statusName(result.status)));
    }
    return result;
  }

  // Appends to a host-owned output buffer; a no-op when `out` is NULL.
  void write(sb_output* out, std::string_view bytes) const {
    if (out != nullptr && api_ != nullptr && api_->host_output_write != nullptr && !bytes.empty()) {
      api_->host_output_write(out, bytes.data(), bytes.size());
    }
  }

 private:
  const sb_host_api* api_ = nullptr;
};

}  // namespace switchboard
