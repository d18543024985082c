#include "http/bearer_auth.hpp"

#include <Poco/String.h>

#include <algorithm>

#include "auth/principal_cache.hpp"
#include "auth/tokens.hpp"
#include "store/user_repository.hpp"

namespace sb::http {
namespace {

bool isToken68Char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=';
}

ApiReply unauthenticated(const ApiRequest& request, std::string detail, const char* error) {
  Problem problem = problemForHttpStatus(401, std::move(detail), "Authorization");
  std::string challenge = std::string("Bearer realm=\"") + kBearerRealm + "\"";
  if (error != nullptr) challenge += std::string(", error=\"") + error + "\"";
  problem.headers.emplace_back("WWW-Authenticate", challenge);
  return problemReply(request, problem);
}

}  // namespace

std::optional<std::string> bearerToken(const std::string& authorization) {
  const std::string value = Poco::trim(authorization);
  const std::size_t space = value.find(' ');
  if (space == std::string::npos) return std::nullopt;
  if (Poco::icompare(value.substr(0, space), "bearer") != 0) return std::nullopt;
  std::string token = Poco::trimLeft(value.substr(space + 1));
  if (token.empty() || !std::all_of(token.begin(), token.end(), isToken68Char)) return std::nullopt;
  return token;
}

std::variant<Principal, ApiReply> authenticate(UserRepository& users, PrincipalCache* cache,
                                               const ApiRequest& request, bool present,
                                               const std::string& authorization) {
  if (!present) {
    return unauthenticated(request, "this endpoint requires an 'Authorization: Bearer <token>' header",
                           nullptr);
  }
  const auto token = bearerToken(authorization);
  if (!token) {
    return unauthenticated(request, "the Authorization header must be 'Bearer <token>'", "invalid_request");
  }
  const std::string hash = sha256Hex(*token);
  if (cache != nullptr) {
    if (auto known = cache->find(hash)) return std::move(*known);
  }
  auto principal = users.findPrincipalByTokenHash(hash);
  if (!principal) return failureReply(request, principal.status());
  if (!principal->has_value()) {
    return unauthenticated(request, "the bearer token is unknown or revoked", "invalid_token");
  }
  if (cache != nullptr) cache->put(hash, **principal);
  return std::move(**principal);
}

}  // namespace sb::http
