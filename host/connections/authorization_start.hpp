// Starting an authorization (RFC 6749 §4.1.1 with PKCE, RFC 7636 §4.3, and
// RFC 8707 `resource` for MCP servers): a fresh state and verifier, the
// pending authorization sealed and stored by the state's hash (10 minutes,
// single use, bound to the user and the connection), and the URL to send
// the browser to. `returnTo` must be on the origin of the connection's
// redirect_uri (the host's own public origin): no open redirect.
// Thread-safety: free function; safe from any thread.
#pragma once

#include <cstdint>
#include <string>

#include "connections/connection_directory.hpp"
#include "core/result.hpp"
#include "crypto/secret_box.hpp"
#include "store/connection_repository.hpp"

namespace sb::connections {

inline constexpr std::int64_t kPendingAuthorizationMs = 10 * 60 * 1000;

struct AuthorizationStart {
  std::string authorizationUrl;
  std::int64_t expiresAtMs = 0;
};

// `connection` is the stored row (offered? enabled?); the endpoints, client
// and resource come from `directory` (an MCP server's discovery and client
// registration happen there). NotFound for a connection that is not
// offered, Conflict for a disabled one, one without an authorization
// endpoint or client id, BadGateway when MCP discovery or registration
// failed, InvalidArgument (field "returnTo") for a returnTo off the allowed
// origin.
Result<AuthorizationStart> startAuthorization(const ConnectionRecord& connection, const ConnectionDirectory& directory,
                                              const std::string& userId, const std::string& returnTo,
                                              const SecretBox& box, ConnectionRepository& repository,
                                              std::int64_t nowMs);

}  // namespace sb::connections
