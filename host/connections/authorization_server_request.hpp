// One POST of the host's own to a connection's authorization server (token,
// revocation and registration requests), through the same client and egress
// policy as plugins' requests (plugins/http_client_service) with the
// connection's `egress:`, a 10 s timeout and a 64 KiB reply cap. The caller
// owns the headers and the body; nothing here logs them.
// Thread-safety: free function, reentrant.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "config/config.hpp"

namespace sb::connections {

// Most a reply of an authorization server may be; a larger one is refused unread.
inline constexpr std::size_t kMaxAuthorizationServerReplyBytes = 64 * 1024;

struct AuthorizationServerReply {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool delivered = true;  // false: no reply (refused, unreachable, timed out)
  std::string error;      // when not delivered; names method and URL without the query
  // The egress policy refused the request: waiting will not help.
  bool egressRefused() const { return error.find("egress policy refused") != std::string::npos; }
};

AuthorizationServerReply postToAuthorizationServer(const ConnectionConfig& connection, const std::string& url,
                                                   const std::vector<std::pair<std::string, std::string>>& headers,
                                                   const std::string& body);

}  // namespace sb::connections
