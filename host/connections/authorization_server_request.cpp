#include "connections/authorization_server_request.hpp"

#include <memory>

#include <switchboard/abi.h>

#include "plugins/egress_policy.hpp"
#include "plugins/host_objects.hpp"
#include "plugins/http_client_service.hpp"

namespace sb::connections {
namespace {

constexpr int kRequestTimeoutMs = 10000;

}  // namespace

AuthorizationServerReply postToAuthorizationServer(const ConnectionConfig& connection, const std::string& url,
                                                   const std::vector<std::pair<std::string, std::string>>& headers,
                                                   const std::string& body) {
  HostServiceSettings settings;
  settings.pluginId = "connection." + connection.name;
  settings.timeoutMs = kRequestTimeoutMs;
  settings.maxResponseBytes = kMaxAuthorizationServerReplyBytes;
  settings.egress = EgressPolicy(connection.egress);

  std::vector<sb_header> wire;
  for (const auto& [name, value] : headers) {
    wire.push_back(sb_header{{name.data(), name.size()}, {value.data(), value.size()}});
  }
  static const std::string method = "POST";
  sb_http_request request{};
  request.struct_size = sizeof request;
  request.timeout_ms = kRequestTimeoutMs;
  request.method = {method.data(), method.size()};
  request.url = {url.data(), url.size()};
  request.headers = wire.data();
  request.header_count = wire.size();
  request.body = {body.data(), body.size()};
  sb_output error(4096);
  sb_http_response* raw = nullptr;
  AuthorizationServerReply reply;
  const sb_status sent = sendPluginHttpRequest(settings, nullptr, &request, &raw, &error);
  std::unique_ptr<sb_http_response> response(raw);
  if (sent != SB_OK || !response) {
    reply.delivered = false;
    reply.error = error.bytes.empty() ? "the request failed" : error.bytes;
    return reply;
  }
  reply.status = response->status;
  reply.headers = std::move(response->headers);
  reply.body = std::move(response->body);
  return reply;
}

}  // namespace sb::connections
