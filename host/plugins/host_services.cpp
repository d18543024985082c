#include "plugins/host_services.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>

#include <Poco/Logger.h>

#include "plugins/host_objects.hpp"
#include "plugins/http_client_service.hpp"

namespace sb {
namespace {

// Log lines are bounded so a runaway plugin cannot flood the log sink.
constexpr std::size_t kMaxLogLineBytes = 8 << 10;

const PluginHostServices* servicesOf(void* hostCtx) {
  return static_cast<const PluginHostServices*>(hostCtx);
}

void hostOutputWrite(sb_output* out, const char* data, std::size_t len) {
  appendToOutput(out, data, len);
}

void hostLog(void* hostCtx, sb_log_level level, sb_str message) {
  const PluginHostServices* services = servicesOf(hostCtx);
  if (services == nullptr) return;
  try {
    Poco::Logger& logger = Poco::Logger::get("plugin." + services->settings().pluginId);
    std::string text = toStdString(message);
    if (text.size() > kMaxLogLineBytes) text.resize(kMaxLogLineBytes);
    switch (level) {
      case SB_LOG_DEBUG: logger.debug(text); break;
      case SB_LOG_WARN: logger.warning(text); break;
      case SB_LOG_ERROR: logger.error(text); break;
      default: logger.information(text); break;
    }
  } catch (...) {
    // A failing log sink must not take the plugin call down with it.
  }
}

int64_t hostNowMs(void* hostCtx) {
  const PluginHostServices* services = servicesOf(hostCtx);
  try {
    return services != nullptr && services->settings().clock ? services->settings().clock()
                                                             : systemNowMs();
  } catch (...) {
    return systemNowMs();
  }
}

// Copies `reason` into the plugin's buffer, truncated and NUL-terminated.
sb_status failInto(char* buffer, std::size_t capacity, sb_status code, const std::string& reason) {
  if (buffer != nullptr && capacity > 0) {
    const std::size_t n = std::min(reason.size(), capacity - 1);
    std::memcpy(buffer, reason.data(), n);
    buffer[n] = '\0';
  }
  return code;
}

sb_status hostHttpSend(void* hostCtx, sb_call* call, const sb_http_request* request,
                       sb_http_response** outResponse, char* errorBuffer, std::size_t errorCapacity) {
  if (outResponse != nullptr) *outResponse = nullptr;
  if (errorBuffer != nullptr && errorCapacity > 0) errorBuffer[0] = '\0';
  const PluginHostServices* services = servicesOf(hostCtx);
  if (services == nullptr) {
    return failInto(errorBuffer, errorCapacity, SB_ERR_INVALID_ARGUMENT, "host_ctx is NULL");
  }
  if (services->settings().networkDisabled) {
    return failInto(errorBuffer, errorCapacity, SB_ERR_UNAVAILABLE,
                    "network disabled during plugin check");
  }
  sb_output reason{4096};
  sb_status status = SB_OK;
  if (call != nullptr && call->egress) {
    HostServiceSettings settings = services->settings();
    settings.egress = *call->egress;
    status = sendPluginHttpRequest(settings, call, request, outResponse, &reason);
  } else {
    status = sendPluginHttpRequest(services->settings(), call, request, outResponse, &reason);
  }
  if (status != SB_OK) failInto(errorBuffer, errorCapacity, status, reason.bytes);
  return status;
}

int32_t hostHttpResponseStatus(const sb_http_response* response) {
  return response != nullptr ? response->status : 0;
}

sb_str hostHttpResponseHeader(const sb_http_response* response, sb_str name) {
  if (response == nullptr || (name.data == nullptr && name.len != 0)) return {nullptr, 0};
  const std::string wanted = toStdString(name);
  for (const auto& [headerName, value] : response->headers) {
    const bool equal = std::equal(headerName.begin(), headerName.end(), wanted.begin(),
                                  wanted.end(), [](char a, char b) {
                                    return std::tolower(static_cast<unsigned char>(a)) ==
                                           std::tolower(static_cast<unsigned char>(b));
                                  });
    if (equal) return {value.data(), value.size()};
  }
  return {nullptr, 0};
}

sb_str hostHttpResponseBody(const sb_http_response* response) {
  if (response == nullptr) return {nullptr, 0};
  return {response->body.data(), response->body.size()};
}

void hostHttpResponseFree(sb_http_response* response) { delete response; }

void hostProgress(sb_call* call, uint64_t done, uint64_t total, sb_str message) {
  if (call == nullptr || !call->progress) return;
  try {
    call->progress(done, total, toStdString(message));
  } catch (...) {
    // Progress is advisory; a failing sink must not fail the plugin's work.
  }
}

void hostProgressStep(sb_call* call, sb_str stepJson) {
  if (call == nullptr || (!call->step && !call->progress)) return;
  try {
    if (stepJson.data == nullptr && stepJson.len != 0) throw std::invalid_argument("step has a NULL pointer");
    Result<PluginStep> step = parseProgressStep(toStdString(stepJson));
    if (!step) {
      // The plugin's mistake must not end its action: drop the step, say why.
      Poco::Logger::get("plugin." + call->pluginId).warning("dropped a malformed progress step: " +
                                                             step.status().message());
      return;
    }
    if (call->step) {
      call->step(*step);
    } else {
      call->progress(step->done, step->total, step->label);
    }
  } catch (...) {
    // Progress is advisory; a failing sink or logger must not fail the plugin's work.
  }
}

int64_t hostCallDeadlineMs(sb_call* call) { return call != nullptr ? call->deadlineMs : 0; }

int32_t hostCallCancelled(sb_call* call) {
  if (call == nullptr) return 0;
  if (call->cancelled && call->cancelled->load()) return 1;
  if (call->deadlineMs == 0) return 0;
  try {
    const int64_t now = call->clock ? call->clock() : systemNowMs();
    return now >= call->deadlineMs ? 1 : 0;
  } catch (...) {
    return 0;
  }
}

sb_str hostAccessToken(sb_call* call) {
  if (call == nullptr || !call->accessToken) return {nullptr, 0};
  const std::string& token = call->accessToken->current();
  return {token.data(), token.size()};
}

sb_status hostAccessTokenRefresh(sb_call* call) {
  if (call == nullptr || !call->accessToken) return SB_ERR_NOT_SUPPORTED;
  try {
    const Status refreshed = call->accessToken->refreshOnce();
    if (refreshed) return SB_OK;
    switch (refreshed.code()) {
      case ErrorCode::PermissionDenied:
      case ErrorCode::Unauthenticated: return SB_ERR_UNAUTHORIZED;
      case ErrorCode::Timeout: return SB_ERR_TIMEOUT;
      default: return SB_ERR_UNAVAILABLE;
    }
  } catch (...) {
    return SB_ERR_UNAVAILABLE;
  }
}

}  // namespace

PluginHostServices::PluginHostServices(HostServiceSettings settings)
    : settings_(std::move(settings)) {
  api_.struct_size = sizeof(sb_host_api);
  api_.abi_minor = SB_ABI_VERSION_MINOR;
  api_.host_ctx = this;
  api_.host_output_write = hostOutputWrite;
  api_.host_log = hostLog;
  api_.host_now_ms = hostNowMs;
  api_.host_http_send = hostHttpSend;
  api_.host_http_response_status = hostHttpResponseStatus;
  api_.host_http_response_header = hostHttpResponseHeader;
  api_.host_http_response_body = hostHttpResponseBody;
  api_.host_http_response_free = hostHttpResponseFree;
  api_.host_progress = hostProgress;
  api_.host_call_deadline_ms = hostCallDeadlineMs;
  api_.host_call_cancelled = hostCallCancelled;
  api_.host_progress_step = hostProgressStep;
  api_.host_access_token = hostAccessToken;
  api_.host_access_token_refresh = hostAccessTokenRefresh;
}

}  // namespace sb
