#include "plugins/http_client_service.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/String.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <switchboard/json.hpp>

#include "plugins/host_objects.hpp"

namespace sb {
namespace {

constexpr std::size_t kMaxRequestHeaders = 256;

// Plugin-provided header names/methods become part of the request line and
// header block; only RFC 9110 token characters may get there.
bool isToken(const std::string& text) {
  if (text.empty()) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("!#$%&'*+-.^_`|~", c);
  });
}

bool hasLineBreak(const std::string& text) {
  return text.find_first_of("\r\n") != std::string::npos;
}

Poco::Net::Context::Ptr clientTlsContext() {
  static const Poco::Net::Context::Ptr context = [] {
    Poco::Net::initializeSSL();
    Poco::Net::Context::Params params;
    params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
    params.loadDefaultCAs = true;
    return Poco::Net::Context::Ptr(new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params));
  }();
  return context;
}

sb_status fail(sb_output* error, sb_status code, const std::string& reason) {
  appendToOutput(error, reason);
  return code;
}

// Copies the plugin's request, reading fields past its struct_size as absent.
bool copyRequest(const sb_http_request* request, sb_http_request& copy, std::string& reason) {
  if (request->struct_size > sizeof(sb_http_request)) {
    reason = "sb_http_request struct_size " + std::to_string(request->struct_size) +
             " is larger than the host's " + std::to_string(sizeof(sb_http_request));
    return false;
  }
  if (request->struct_size < offsetof(sb_http_request, timeout_ms) + sizeof(uint32_t)) {
    reason = "sb_http_request struct_size " + std::to_string(request->struct_size) + " is too small";
    return false;
  }
  std::memset(static_cast<void*>(&copy), 0, sizeof copy);
  std::memcpy(static_cast<void*>(&copy), request, request->struct_size);
  return true;
}

struct PreparedRequest {
  std::string method;
  Poco::URI uri;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

bool prepare(const HostServiceSettings& settings, const sb_http_request& request,
             PreparedRequest& out, std::string& reason) {
  out.method = Poco::toUpper(toStdString(request.method));
  if (out.method.empty()) out.method = "GET";
  if (!isToken(out.method)) {
    reason = "invalid HTTP method \"" + out.method + "\"";
    return false;
  }
  Result<std::string> url = resolvePluginUrl(settings.baseUrl, toStdString(request.url));
  if (!url) {
    reason = url.status().message();
    return false;
  }
  out.uri = Poco::URI(*url);
  if (request.header_count > 0 && request.headers == nullptr) {
    reason = "headers is NULL with header_count " + std::to_string(request.header_count);
    return false;
  }
  if (request.header_count > kMaxRequestHeaders) {
    reason = "more than " + std::to_string(kMaxRequestHeaders) + " request headers";
    return false;
  }
  for (std::size_t i = 0; i < request.header_count; ++i) {
    std::string name = toStdString(request.headers[i].name);
    std::string value = toStdString(request.headers[i].value);
    if (!isToken(name) || hasLineBreak(value)) {
      reason = "invalid request header #" + std::to_string(i) + " \"" + name + "\"";
      return false;
    }
    out.headers.emplace_back(std::move(name), std::move(value));
  }
  out.body = toStdString(request.body);
  return true;
}

// A client session that connects only to the addresses the egress policy
// checked, in resolver order, and never resolves the name itself: a name that
// resolves elsewhere the second time (DNS rebinding) cannot move the request.
// The session's host is the first checked address as a literal, so Poco's own
// reconnect() parses instead of resolving; the Host header and, for TLS, the
// server name (SNI and certificate check) stay the URL's host.
template <class Base>
class PinnedSession : public Base {
 public:
  template <class... Extra>
  PinnedSession(std::vector<IpAddress> addresses, Poco::UInt16 port, std::string serverName, Extra&&... extra)
      : Base(addresses.front().toString(), port, std::forward<Extra>(extra)...),
        addresses_(std::move(addresses)),
        port_(port),
        serverName_(std::move(serverName)) {}

 protected:
  void connect(const Poco::Net::SocketAddress& /*resolvedByPoco*/) override {
    for (std::size_t i = 0; i < addresses_.size(); ++i) {
      try {
        if constexpr (std::is_base_of_v<Poco::Net::HTTPSClientSession, Base>) {
          Poco::Net::SecureStreamSocket(this->socket()).setPeerHostName(serverName_);
        }
        Base::connect(Poco::Net::SocketAddress(Poco::Net::IPAddress(addresses_[i].toString()), port_));
        return;
      } catch (const Poco::TimeoutException&) {
        throw;  // the request's budget is spent; another address would not get any
      } catch (const Poco::Net::NetException&) {
        if (i + 1 == addresses_.size()) throw;
        this->close();  // a fresh socket, possibly of the other address family
      }
    }
  }

 private:
  std::vector<IpAddress> addresses_;
  Poco::UInt16 port_;
  std::string serverName_;
};

std::unique_ptr<Poco::Net::HTTPClientSession> openSession(const Poco::URI& uri, std::vector<IpAddress> addresses) {
  if (Poco::toLower(uri.getScheme()) == "https") {
    return std::make_unique<PinnedSession<Poco::Net::HTTPSClientSession>>(std::move(addresses), uri.getPort(),
                                                                          uri.getHost(), clientTlsContext());
  }
  return std::make_unique<PinnedSession<Poco::Net::HTTPClientSession>>(std::move(addresses), uri.getPort(),
                                                                       uri.getHost());
}

// What the error messages call the target: scheme, host and path, never the
// query string (it may carry a credential).
std::string describeTarget(const Poco::URI& uri) {
  return uri.getScheme() + "://" + uri.getAuthority() + uri.getPath();
}

// The addresses the request may connect to, or why not. A refusal (field
// kEgressRefusalField) is logged and recorded on the call before it is returned.
Result<std::vector<IpAddress>> checkDestination(const HostServiceSettings& settings, sb_call* call,
                                                const std::string& method, const Poco::URI& uri) {
  Result<std::vector<IpAddress>> permitted = [&]() -> Result<std::vector<IpAddress>> {
    if (Status scheme = settings.egress.checkScheme(uri.getScheme()); !scheme) return scheme;
    Result<std::vector<IpAddress>> resolved = resolveHost(uri.getHost());
    if (!resolved) return resolved.status();
    return settings.egress.permittedAddresses(uri.getHost(), *resolved);
  }();
  if (permitted || permitted.status().field() != kEgressRefusalField) return permitted;
  const std::string& reason = permitted.status().message();
  if (call != nullptr) call->recordEgressRefusal(reason);
  try {
    using switchboard::json::quote;
    Poco::Logger::get("egress").warning("{\"event\":\"egress.refused\",\"plugin\":" + quote(settings.pluginId) +
                                        ",\"method\":" + quote(method) + ",\"target\":" + quote(describeTarget(uri)) +
                                        ",\"reason\":" + quote(reason) + "}");
  } catch (...) {
    // The refusal stands even if the log sink fails.
  }
  return permitted;
}

}  // namespace

Result<std::string> resolvePluginUrl(const std::string& baseUrl, const std::string& url) {
  if (url.empty()) return Result<std::string>(ErrorCode::InvalidArgument, "request URL is empty");
  std::string absolute = url;
  if (url.find("://") == std::string::npos) {
    if (baseUrl.empty()) {
      return Result<std::string>(ErrorCode::InvalidArgument,
                                 "relative URL \"" + url + "\" but the plugin has no base URL");
    }
    std::string base = baseUrl;
    while (!base.empty() && base.back() == '/') base.pop_back();
    absolute = base + (url.front() == '/' ? url : "/" + url);
  }
  try {
    Poco::URI uri(absolute);
    const std::string scheme = Poco::toLower(uri.getScheme());
    if (scheme != "http" && scheme != "https") {
      return Result<std::string>(ErrorCode::InvalidArgument,
                                 "unsupported URL scheme \"" + scheme + "\": only http and https");
    }
    if (uri.getHost().empty()) {
      return Result<std::string>(ErrorCode::InvalidArgument, "URL has no host");
    }
    return uri.toString();
  } catch (const Poco::Exception& e) {
    return Result<std::string>(ErrorCode::InvalidArgument, "malformed URL: " + e.message());
  }
}

sb_status sendPluginHttpRequest(const HostServiceSettings& settings, sb_call* call,
                                const sb_http_request* request, sb_http_response** outResponse,
                                sb_output* error) {
  if (outResponse != nullptr) *outResponse = nullptr;
  if (request == nullptr || outResponse == nullptr) {
    return fail(error, SB_ERR_INVALID_ARGUMENT, "request and out_response must not be NULL");
  }
  sb_http_request copy{};
  std::string reason;
  if (!copyRequest(request, copy, reason)) return fail(error, SB_ERR_INVALID_ARGUMENT, reason);
  PreparedRequest prepared;
  try {
    if (!prepare(settings, copy, prepared, reason)) return fail(error, SB_ERR_INVALID_ARGUMENT, reason);
  } catch (const std::exception& e) {
    return fail(error, SB_ERR_INVALID_ARGUMENT, std::string("invalid request: ") + e.what());
  }

  int64_t budgetMs = settings.timeoutMs > 0 ? settings.timeoutMs : 10000;
  if (copy.timeout_ms > 0) budgetMs = std::min<int64_t>(budgetMs, copy.timeout_ms);
  if (call != nullptr && call->deadlineMs > 0) {
    const int64_t now = settings.clock ? settings.clock() : systemNowMs();
    const int64_t remaining = call->deadlineMs - now;
    if (remaining <= 0) {
      return fail(error, SB_ERR_TIMEOUT, "call deadline passed before the request was sent");
    }
    budgetMs = std::min(budgetMs, remaining);
  }
  const std::string target = describeTarget(prepared.uri);
  Result<std::vector<IpAddress>> destination = checkDestination(settings, call, prepared.method, prepared.uri);
  if (!destination) {
    return fail(error, SB_ERR_UNAVAILABLE, prepared.method + " " + target + ": " + destination.status().message());
  }
  const auto started = std::chrono::steady_clock::now();
  const auto overBudget = [&] {
    return std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(budgetMs);
  };
  const std::string timedOut =
      prepared.method + " " + target + " timed out after " + std::to_string(budgetMs) + " ms";
  try {
    auto session = openSession(prepared.uri, std::move(destination).value());
    session->setTimeout(Poco::Timespan(budgetMs * 1000));
    Poco::Net::HTTPRequest httpRequest(prepared.method, prepared.uri.getPathEtc(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
    httpRequest.setHost(prepared.uri.getHost(), prepared.uri.getPort());  // not the pinned address
    for (const auto& [name, value] : prepared.headers) httpRequest.add(name, value);
    if (!prepared.body.empty() || prepared.method == "POST" || prepared.method == "PUT" ||
        prepared.method == "PATCH") {
      httpRequest.setContentLength64(static_cast<Poco::Int64>(prepared.body.size()));
    }
    session->sendRequest(httpRequest) << prepared.body;
    Poco::Net::HTTPResponse httpResponse;
    std::istream& in = session->receiveResponse(httpResponse);
    const std::string tooLarge = "response body from " + target + " exceeds the limit of " +
                                 std::to_string(settings.maxResponseBytes) + " bytes";
    if (httpResponse.hasContentLength() &&
        static_cast<std::size_t>(httpResponse.getContentLength64()) > settings.maxResponseBytes) {
      return fail(error, SB_ERR_UNAVAILABLE, tooLarge);
    }
    auto response = std::make_unique<sb_http_response>();
    response->status = static_cast<int32_t>(httpResponse.getStatus());
    for (const auto& [name, value] : httpResponse) response->headers.emplace_back(name, value);
    char chunk[16384];
    while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
      const auto got = static_cast<std::size_t>(in.gcount());
      if (response->body.size() + got > settings.maxResponseBytes) {
        return fail(error, SB_ERR_UNAVAILABLE, tooLarge);
      }
      response->body.append(chunk, got);
      if (overBudget()) return fail(error, SB_ERR_TIMEOUT, timedOut);
    }
    // Poco's stream buffers turn a receive timeout into badbit, not an exception.
    if (in.bad()) {
      if (overBudget()) return fail(error, SB_ERR_TIMEOUT, timedOut);
      return fail(error, SB_ERR_UNAVAILABLE, "reading the response from " + target + " failed");
    }
    *outResponse = response.release();
    return SB_OK;
  } catch (const Poco::TimeoutException&) {
    return fail(error, SB_ERR_TIMEOUT, timedOut);
  } catch (const Poco::Exception& e) {
    if (overBudget()) return fail(error, SB_ERR_TIMEOUT, timedOut);
    return fail(error, SB_ERR_UNAVAILABLE,
                prepared.method + " " + target + " failed: " + e.displayText());
  } catch (const std::exception& e) {
    return fail(error, SB_ERR_UNAVAILABLE, prepared.method + " " + target + " failed: " + e.what());
  }
}

}  // namespace sb
