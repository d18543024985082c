// switchboard/fake_host.hpp -- an in-process fake of the host for plugin unit
// tests: captures logs, a settable clock, scripted HTTP responses keyed by
// method + URL (every request is recorded), progress and step capture, and a harness
// that calls a descriptor's hooks directly and returns outputs as strings.
// Ownership: FakeHost owns its sb_host_api and every response it hands out
// (tracked, so tests can assert none leaked); it must outlive the harnesses
// and calls that use it. PluginHarness owns the instance it initialises.
// Thread-safety: every host_ callback locks, as the real host's are
// thread-safe; scripting and inspection may happen from any thread.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "switchboard/abi.h"
#include "switchboard/host.hpp"
#include "switchboard/json.hpp"
#include "switchboard/sdk.hpp"

namespace switchboard::testing {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct CapturedLog {
  sb_log_level level = SB_LOG_INFO;
  std::string message;
};

struct RecordedRequest {
  std::string method;
  std::string url;
  Headers headers;
  std::string body;
  std::uint32_t timeoutMs = 0;
  bool withCall = false;  // false when the plugin passed no sb_call (e.g. in init)
};

// What the fake answers: an HTTP response, or a transport failure.
struct ScriptedResponse {
  int status = 200;
  Headers headers;
  std::string body;
  sb_status failure = SB_OK;  // non-OK: host_http_send fails with this status
  std::string failureReason;
};

struct ProgressReport {
  std::uint64_t done = 0;
  std::uint64_t total = 0;
  std::string message;
};

// A host-owned output buffer; sb_output* is a pointer to one of these.
class OutputBuffer {
 public:
  sb_output* raw() { return reinterpret_cast<sb_output*>(this); }
  static OutputBuffer& from(sb_output* out) { return *reinterpret_cast<OutputBuffer*>(out); }
  std::string bytes;
};

// A structured step as the plugin sent it (host_progress_step).
struct RecordedStep {
  std::string json;
  // True when the step's JSON holds `"key":"value"` (the SDK writes it compactly).
  bool has(std::string_view key, std::string_view value) const {
    return json.find("\"" + std::string(key) + "\":" + json::quote(value)) != std::string::npos;
  }
};

class FakeHost;

// One host->plugin call: deadline, cancellation and the progress it reported.
class FakeCall {
 public:
  explicit FakeCall(std::int64_t deadlineMs = 0) : deadlineMs_(deadlineMs) {}
  FakeCall(const FakeCall&) = delete;
  FakeCall& operator=(const FakeCall&) = delete;

  sb_call* raw() { return reinterpret_cast<sb_call*>(this); }
  static FakeCall& from(sb_call* call) { return *reinterpret_cast<FakeCall*>(call); }

  void cancel() {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
  }
  bool cancelled() const {
    std::lock_guard lock(mutex_);
    return cancelled_;
  }
  std::int64_t deadlineMs() const { return deadlineMs_; }
  void report(ProgressReport report) {
    std::lock_guard lock(mutex_);
    progress_.push_back(std::move(report));
  }
  std::vector<ProgressReport> progress() const {
    std::lock_guard lock(mutex_);
    return progress_;
  }
  // A step the real host would accept (a JSON object within SB_MAX_STEP_JSON)
  // is recorded; anything else is counted as dropped, as the host drops it.
  void reportStep(std::string_view json) {
    std::lock_guard lock(mutex_);
    if (json.size() > SB_MAX_STEP_JSON || json::validateObject(json)) {
      ++droppedSteps_;
      return;
    }
    steps_.push_back(RecordedStep{std::string(json)});
  }
  std::vector<RecordedStep> steps() const {
    std::lock_guard lock(mutex_);
    return steps_;
  }
  std::size_t droppedSteps() const {
    std::lock_guard lock(mutex_);
    return droppedSteps_;
  }

  // A link on a connection (ABI 1.3): `token` is host_access_token's answer;
  // host_access_token_refresh answers `outcome` and, on SB_OK, switches to
  // `refreshed`. Only the first refresh of the call runs; later ones repeat
  // its outcome, as the real host does.
  void useConnection(std::string token, std::string refreshed = {}, sb_status outcome = SB_OK) {
    std::lock_guard lock(mutex_);
    tokens_ = {std::move(token)};
    refreshed_ = std::move(refreshed);
    refreshOutcome_ = outcome;
  }
  sb_str accessToken() const {
    std::lock_guard lock(mutex_);
    if (tokens_.empty()) return sb_str{nullptr, 0};
    return sb_str{tokens_.back().data(), tokens_.back().size()};
  }
  sb_status refreshAccessToken() {
    std::lock_guard lock(mutex_);
    if (tokens_.empty()) return SB_ERR_NOT_SUPPORTED;
    if (++refreshes_ == 1 && refreshOutcome_ == SB_OK) tokens_.push_back(refreshed_);
    return refreshOutcome_;
  }
  int refreshes() const {  // how often the plugin asked
    std::lock_guard lock(mutex_);
    return refreshes_;
  }

 private:
  mutable std::mutex mutex_;
  std::deque<std::string> tokens_;  // stable addresses, like the host's
  std::string refreshed_;
  sb_status refreshOutcome_ = SB_OK;
  int refreshes_ = 0;
  std::int64_t deadlineMs_;
  bool cancelled_ = false;
  std::vector<ProgressReport> progress_;
  std::vector<RecordedStep> steps_;
  std::size_t droppedSteps_ = 0;
};

class FakeHost {
 public:
  FakeHost() {
    api_.struct_size = sizeof(sb_host_api);
    api_.abi_minor = SB_ABI_VERSION_MINOR;
    api_.host_ctx = this;
    api_.host_output_write = &outputWrite;
    api_.host_log = &logLine;
    api_.host_now_ms = &now;
    api_.host_http_send = &httpSend;
    api_.host_http_response_status = &responseStatus;
    api_.host_http_response_header = &responseHeader;
    api_.host_http_response_body = &responseBody;
    api_.host_http_response_free = &responseFree;
    api_.host_progress = &progress;
    api_.host_call_deadline_ms = &callDeadline;
    api_.host_call_cancelled = &callCancelled;
    api_.host_progress_step = &progressStep;
    api_.host_access_token = &accessToken;
    api_.host_access_token_refresh = &refreshAccessToken;
  }
  // host_ctx points at this object, so it must stay put.
  FakeHost(const FakeHost&) = delete;
  FakeHost& operator=(const FakeHost&) = delete;
  ~FakeHost() {
    for (Response* response : live_) delete response;
  }

  const sb_host_api* api() const { return &api_; }
  // The mutable table lets tests simulate an older host (smaller struct_size).
  sb_host_api& mutableApi() { return api_; }

  void setNowMs(std::int64_t ms) {
    std::lock_guard lock(mutex_);
    nowMs_ = ms;
  }
  void advanceMs(std::int64_t ms) {
    std::lock_guard lock(mutex_);
    nowMs_ += ms;
  }

  // Queues a reply for `method url`; replies are used in order and the last
  // one repeats. An unscripted request fails with SB_ERR_UNAVAILABLE.
  void respond(const std::string& method, const std::string& url, ScriptedResponse response) {
    std::lock_guard lock(mutex_);
    script_[method + " " + url].push_back(std::move(response));
  }
  void respond(const std::string& method, const std::string& url, int status, std::string body,
               Headers headers = {}) {
    respond(method, url, ScriptedResponse{status, std::move(headers), std::move(body), SB_OK, {}});
  }
  void failRequest(const std::string& method, const std::string& url, sb_status failure, std::string reason) {
    respond(method, url, ScriptedResponse{0, {}, {}, failure, std::move(reason)});
  }

  std::vector<RecordedRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  std::vector<CapturedLog> logs() const {
    std::lock_guard lock(mutex_);
    return logs_;
  }
  bool logged(std::string_view needle) const {
    std::lock_guard lock(mutex_);
    return std::any_of(logs_.begin(), logs_.end(),
                       [&](const CapturedLog& log) { return log.message.find(needle) != std::string::npos; });
  }
  // Responses handed to the plugin and not yet freed: should be 0 after a hook.
  std::size_t openResponses() const {
    std::lock_guard lock(mutex_);
    return live_.size();
  }
  std::size_t freedResponses() const {
    std::lock_guard lock(mutex_);
    return freed_;
  }

 private:
  struct Response {
    FakeHost* owner;
    int status;
    Headers headers;
    std::string body;
  };

  static FakeHost& self(void* ctx) { return *static_cast<FakeHost*>(ctx); }
  static sb_str slice(const std::string& text) { return sb_str{text.data(), text.size()}; }
  static bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
  }

  static sb_str accessToken(sb_call* call) {
    return call != nullptr ? FakeCall::from(call).accessToken() : sb_str{nullptr, 0};
  }
  static sb_status refreshAccessToken(sb_call* call) {
    return call != nullptr ? FakeCall::from(call).refreshAccessToken() : SB_ERR_NOT_SUPPORTED;
  }

  static void outputWrite(sb_output* out, const char* data, std::size_t len) {
    if (out != nullptr && data != nullptr) OutputBuffer::from(out).bytes.append(data, len);
  }
  static void logLine(void* ctx, sb_log_level level, sb_str message) {
    FakeHost& host = self(ctx);
    std::lock_guard lock(host.mutex_);
    host.logs_.push_back(CapturedLog{level, std::string(toView(message))});
  }
  static std::int64_t now(void* ctx) {
    FakeHost& host = self(ctx);
    std::lock_guard lock(host.mutex_);
    return host.nowMs_;
  }

  static sb_status httpSend(void* ctx, sb_call* call, const sb_http_request* request, sb_http_response** out,
                            char* errorBuffer, std::size_t errorCapacity) {
    FakeHost& host = self(ctx);
    auto fail = [&](sb_status status, std::string_view reason) {
      if (errorBuffer != nullptr && errorCapacity > 0) {
        const std::size_t n = std::min(reason.size(), errorCapacity - 1);
        std::memcpy(errorBuffer, reason.data(), n);
        errorBuffer[n] = '\0';
      }
      return status;
    };
    if (request == nullptr || out == nullptr || request->struct_size < sizeof(sb_http_request)) {
      return fail(SB_ERR_INVALID_ARGUMENT, "fake host: malformed sb_http_request");
    }
    *out = nullptr;
    RecordedRequest recorded{std::string(toView(request->method)), std::string(toView(request->url)), {},
                             std::string(toView(request->body)), request->timeout_ms, call != nullptr};
    for (std::size_t i = 0; i < request->header_count; ++i) {
      recorded.headers.emplace_back(toView(request->headers[i].name), toView(request->headers[i].value));
    }
    std::lock_guard lock(host.mutex_);
    const std::string key = recorded.method + " " + recorded.url;
    host.requests_.push_back(std::move(recorded));
    auto it = host.script_.find(key);
    if (it == host.script_.end() || it->second.empty()) {
      return fail(SB_ERR_UNAVAILABLE, "fake host: no scripted response for " + key);
    }
    ScriptedResponse reply = it->second.front();
    if (it->second.size() > 1) it->second.pop_front();
    if (reply.failure != SB_OK) return fail(reply.failure, reply.failureReason);
    auto* response = new Response{&host, reply.status, std::move(reply.headers), std::move(reply.body)};
    host.live_.insert(response);
    *out = reinterpret_cast<sb_http_response*>(response);
    return SB_OK;
  }
  static const Response& asResponse(const sb_http_response* response) {
    return *reinterpret_cast<const Response*>(response);
  }
  static std::int32_t responseStatus(const sb_http_response* response) { return asResponse(response).status; }
  static sb_str responseHeader(const sb_http_response* response, sb_str name) {
    for (const auto& [key, value] : asResponse(response).headers) {
      if (equalsIgnoreCase(key, toView(name))) return slice(value);
    }
    return sb_str{nullptr, 0};
  }
  static sb_str responseBody(const sb_http_response* response) { return slice(asResponse(response).body); }
  static void responseFree(sb_http_response* raw) {
    if (raw == nullptr) return;
    auto* response = reinterpret_cast<Response*>(raw);
    FakeHost& host = *response->owner;
    std::lock_guard lock(host.mutex_);
    if (host.live_.erase(response) == 1) {
      ++host.freed_;
      delete response;
    }
  }

  static void progress(sb_call* call, std::uint64_t done, std::uint64_t total, sb_str message) {
    if (call != nullptr) FakeCall::from(call).report(ProgressReport{done, total, std::string(toView(message))});
  }
  static void progressStep(sb_call* call, sb_str json) {
    if (call != nullptr) FakeCall::from(call).reportStep(toView(json));
  }
  static std::int64_t callDeadline(sb_call* call) { return call != nullptr ? FakeCall::from(call).deadlineMs() : 0; }
  static std::int32_t callCancelled(sb_call* call) {
    return call != nullptr && FakeCall::from(call).cancelled() ? 1 : 0;
  }

  sb_host_api api_{};
  mutable std::mutex mutex_;
  std::int64_t nowMs_ = 1'700'000'000'000;
  std::map<std::string, std::deque<ScriptedResponse>> script_;
  std::vector<RecordedRequest> requests_;
  std::vector<CapturedLog> logs_;
  std::set<Response*> live_;
  std::size_t freed_ = 0;
};

// Drives one plugin instance through its descriptor, as the host would.
// Hooks of a capability the plugin does not advertise return SB_ERR_NOT_SUPPORTED.
class PluginHarness {
 public:
  PluginHarness(const sb_plugin* plugin, FakeHost& host) : plugin_(plugin), host_(host) {}
  PluginHarness(const PluginHarness&) = delete;
  PluginHarness& operator=(const PluginHarness&) = delete;
  ~PluginHarness() { destroy(); }

  Outcome init(std::string_view settingsJson = "{}") {
    if (plugin_ == nullptr || plugin_->on_init == nullptr) return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "no descriptor");
    destroy();
    OutputBuffer error;
    const sb_status status = plugin_->on_init(host_.api(), toSb(settingsJson), &instance_, error.raw());
    return Outcome{status, std::move(error.bytes)};
  }
  bool initialised() const { return instance_ != nullptr; }
  void destroy() {
    if (instance_ != nullptr) plugin_->on_destroy(instance_);
    instance_ = nullptr;
  }

  Outcome status(std::string_view request, FakeCall* call = nullptr) {
    if (plugin_->status_adapter == nullptr) return Outcome::notSupported("status");
    return run([&](sb_output* out) { return plugin_->status_adapter->on_status(instance_, raw(call), toSb(request), out); });
  }
  Outcome describeConnection() {
    if (plugin_->connection_provider == nullptr) return Outcome::notSupported("connection");
    return run([&](sb_output* out) { return plugin_->connection_provider->on_describe(instance_, out); });
  }
  Outcome tokenResponse(std::string_view request, FakeCall* call = nullptr) {
    if (plugin_->connection_provider == nullptr) return Outcome::notSupported("connection");
    return run([&](sb_output* out) {
      return plugin_->connection_provider->on_token_response(instance_, raw(call), toSb(request), out);
    });
  }
  Outcome discover(std::string_view request, FakeCall* call = nullptr) {
    if (plugin_->connection_provider == nullptr || plugin_->connection_provider->on_discover == nullptr) {
      return Outcome::notSupported("discovery");
    }
    return run([&](sb_output* out) {
      return plugin_->connection_provider->on_discover(instance_, raw(call), toSb(request), out);
    });
  }
  Outcome listTree(std::string_view request, FakeCall* call = nullptr) {
    if (plugin_->sync_source == nullptr) return Outcome::notSupported("sync");
    return run([&](sb_output* out) { return plugin_->sync_source->on_list_tree(instance_, raw(call), toSb(request), out); });
  }
  Outcome read(std::string_view request, FakeCall* call = nullptr) {
    if (plugin_->sync_source == nullptr) return Outcome::notSupported("sync");
    return run([&](sb_output* out) { return plugin_->sync_source->on_read(instance_, raw(call), toSb(request), out); });
  }
  Outcome write(std::string_view request, FakeCall* call = nullptr) {
    if (plugin_->sync_source == nullptr) return Outcome::notSupported("sync");
    return run([&](sb_output* out) { return plugin_->sync_source->on_write(instance_, raw(call), toSb(request), out); });
  }
  // The sync set-up hooks (ABI 1.4): SB_ERR_NOT_SUPPORTED when the plugin's
  // table predates them or leaves them NULL, as the host answers.
  Outcome validateSource(std::string_view request, FakeCall* call = nullptr) {
    return setUp(&sb_sync_source::on_validate, "validating the link", request, call);
  }
  Outcome listRepositories(std::string_view request, FakeCall* call = nullptr) {
    return setUp(&sb_sync_source::on_list_repositories, "listing repositories", request, call);
  }
  Outcome listBranches(std::string_view request, FakeCall* call = nullptr) {
    return setUp(&sb_sync_source::on_list_branches, "listing branches", request, call);
  }
  Outcome listCommits(std::string_view request, FakeCall* call = nullptr) {
    return setUp(&sb_sync_source::on_list_commits, "listing commits", request, call);
  }
  Outcome listActions() {
    if (plugin_->actions == nullptr) return Outcome::notSupported("actions");
    return run([&](sb_output* out) { return plugin_->actions->on_list(instance_, out); });
  }
  // on_list_for when the plugin provides it (a 1.2 table), else on_list, as the host does.
  Outcome listActionsFor(std::string_view context, FakeCall* call = nullptr) {
    if (plugin_->actions == nullptr) return Outcome::notSupported("actions");
    const sb_actions& table = *plugin_->actions;
    const bool hasListFor = plugin_->abi_minor >= 2 &&
                            table.struct_size >= offsetof(sb_actions, on_list_for) + sizeof(table.on_list_for) &&
                            table.on_list_for != nullptr;
    if (!hasListFor) return listActions();
    return run([&](sb_output* out) { return table.on_list_for(instance_, raw(call), toSb(context), out); });
  }
  Outcome runAction(std::string_view actionId, std::string_view request, FakeCall* call = nullptr) {
    if (plugin_->actions == nullptr) return Outcome::notSupported("actions");
    return run([&](sb_output* out) {
      return plugin_->actions->on_run(instance_, raw(call), toSb(actionId), toSb(request), out);
    });
  }

 private:
  static sb_call* raw(FakeCall* call) { return call != nullptr ? call->raw() : nullptr; }
  using SyncHook = sb_status (*)(void*, sb_call*, sb_str, sb_output*);
  Outcome setUp(SyncHook sb_sync_source::*member, std::string_view what, std::string_view request, FakeCall* call) {
    const sb_sync_source* table = plugin_->sync_source;
    if (table == nullptr || plugin_->abi_minor < 4) return Outcome::notSupported(what);
    const auto offset = reinterpret_cast<const char*>(&(table->*member)) - reinterpret_cast<const char*>(table);
    if (static_cast<std::size_t>(offset) + sizeof(SyncHook) > table->struct_size || table->*member == nullptr) {
      return Outcome::notSupported(what);
    }
    return run([&](sb_output* out) { return (table->*member)(instance_, raw(call), toSb(request), out); });
  }
  template <class Fn>
  Outcome run(Fn&& hook) {
    if (instance_ == nullptr) return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "the plugin is not initialised");
    OutputBuffer out;
    const sb_status status = hook(out.raw());
    return Outcome{status, std::move(out.bytes)};
  }

  const sb_plugin* plugin_;
  FakeHost& host_;
  void* instance_ = nullptr;
};

}  // namespace switchboard::testing
