// The host's own calls to a connection's authorization server: the token
// request for an authorization code (RFC 6749 §4.1.3 with the PKCE verifier,
// RFC 7636 §4.5, and `resource`, RFC 8707) or a refresh token (§6), and RFC
// 7009 revocation. Requests go out through the same client and egress policy
// as plugins' (plugins/http_client_service: scheme and address checks, DNS
// pinning, timeouts, a response size cap), with the connection's `egress:`.
// Client authentication is client_secret_basic (§2.3.1: id and secret
// form-urlencoded, then Base64) or client_secret_post, never both.
// Failures never carry a code, token, verifier or secret in their message.
// Thread-safety: free functions, reentrant.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/config.hpp"
#include "connections/authorization_server_request.hpp"
#include "core/result.hpp"

namespace sb::connections {

// A successful token reply (RFC 6749 §5.1), validated.
struct TokenGrant {
  std::string accessToken;
  std::string tokenType;     // "Bearer" (case as sent)
  std::string refreshToken;  // empty: none issued (refresh: keep the old one)
  std::string scope;         // empty: not sent (then it is the scope requested, §5.1)
  std::int64_t expiresInSeconds = 0;  // 0: not sent, the lifetime is unknown
  // Who the grant is for, as the provider plugin named it (on_token_response
  // "account"): display text, at most kMaxAccountLabelBytes, no control
  // characters. Empty: unknown (a plain RFC 6749 reply names no account).
  std::string account;
};
inline constexpr std::size_t kMaxAccountLabelBytes = 200;

enum class TokenFailureKind {
  Revoked,    // invalid_grant: the code or refresh token is no longer valid
  Transient,  // 5xx, 429, timeout, unreachable: try again later, keep the grant
  Refused,    // anything else: bad reply, invalid_client, egress refusal, ...
};
const char* toString(TokenFailureKind kind);

struct TokenOutcome {
  std::optional<TokenGrant> grant;  // set on success
  TokenFailureKind failure = TokenFailureKind::Refused;
  std::string message;              // why not; safe to log and to show
  std::int64_t retryAfterMs = 0;    // from a 429's or 503's Retry-After, 0 = unknown
  std::string errorCode;            // §5.2 `error` of a refusal ("invalid_client", ...), "" if none
  bool ok() const { return grant.has_value(); }
};

// Most a token reply may be; a larger one is refused unread.
inline constexpr std::size_t kMaxTokenReplyBytes = kMaxAuthorizationServerReplyBytes;

// Judges one reply of a token endpoint (pure, so the rules are unit-tested):
// 200 with an application/json object whose access_token is a non-empty
// string, token_type a string ("bearer" in any case), and expires_in, when
// present, a non-negative integer; refresh_token and scope strings. Anything
// else (HTML, another type, wrong JSON types) is Refused. A §5.2 error body
// names its `error`; invalid_grant is Revoked, 5xx and 429 Transient.
TokenOutcome judgeTokenReply(int status, const std::vector<std::pair<std::string, std::string>>& headers,
                             const std::string& body);

// A 2xx reply read by connection.tokenReplyAdapter (its provider plugin's
// on_token_response), whose output is judged like a §5.1 reply; "account",
// when given, must be a string TokenGrant::account allows.
TokenOutcome adaptedTokenReply(const ConnectionConfig& connection, const AuthorizationServerReply& reply);

TokenOutcome exchangeAuthorizationCode(const ConnectionConfig& connection, const std::string& code,
                                       const std::string& codeVerifier, const std::string& redirectUri,
                                       const std::string& resource);
TokenOutcome refreshAccessToken(const ConnectionConfig& connection, const std::string& refreshToken,
                                const std::string& resource);

// RFC 7009 §2.1: revokes `token` (hint "refresh_token" or "access_token").
// Ok on 200; Unavailable when the server could not be reached or failed;
// Conflict when no revocation_url is configured.
Status revokeToken(const ConnectionConfig& connection, const std::string& token, const std::string& tokenTypeHint);

}  // namespace sb::connections
