// Users and their API tokens. Stores only the SHA-256 hex of a token.
// Thread-safety: as its Scope (store/scope.hpp).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "core/model.hpp"
#include "core/result.hpp"
#include "store/scope.hpp"

namespace sb {

class UserRepository {
 public:
  explicit UserRepository(store::Scope scope) : scope_(scope) {}

  // Creates the user if missing; if it exists and isAdmin is true, promotes it.
  Result<User> ensureUser(const std::string& name, bool isAdmin);
  Result<std::optional<User>> findUser(const std::string& name);
  Result<std::optional<User>> findUserById(const std::string& userId);
  Result<std::size_t> countUsers();
  // Returns the token record; AlreadyExists if the hash is taken.
  Result<ApiToken> createToken(const std::string& userId, const std::string& tokenSha256Hex,
                               const std::string& label);
  Result<std::optional<Principal>> findPrincipalByTokenHash(const std::string& tokenSha256Hex);

 private:
  store::Scope scope_;
};

}  // namespace sb
