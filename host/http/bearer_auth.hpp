// Bearer-token authentication (RFC 6750): `Authorization: Bearer <token>` ->
// SHA-256 hex -> PrincipalCache, else UserRepository::findPrincipalByTokenHash. Failures become 401
// problems with the matching WWW-Authenticate challenge. The token itself is
// never logged or copied beyond the hash computation.
// Thread-safety: free function; thread-safe when the repository is (it is).
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "core/model.hpp"
#include "http/exchange.hpp"

namespace sb {
class PrincipalCache;
class UserRepository;
}

namespace sb::http {

inline constexpr const char* kBearerRealm = "switchboard";

// The token when `authorization` is "Bearer <token68>" (scheme case-insensitive).
std::optional<std::string> bearerToken(const std::string& authorization);

// The principal, or the reply to answer with (401, or 503 when the store
// fails). `authorization` is the raw header value; `present` says whether
// the header was sent at all.
// `cache` (may be null) short-cuts the store for recently resolved tokens.
std::variant<Principal, ApiReply> authenticate(UserRepository& users, PrincipalCache* cache,
                                               const ApiRequest& request, bool present,
                                               const std::string& authorization);

}  // namespace sb::http
