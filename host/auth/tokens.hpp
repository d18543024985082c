// API bearer tokens: generation and hashing. Tokens are shown once and stored
// only as SHA-256 hex. Thread-safety: free functions, thread-safe.
#pragma once

#include <string>

namespace sb {

// A new random token: "sbt_" + 43 chars of base64url (32 random bytes).
std::string generateApiToken();
// Lower-case hex SHA-256 of `data`.
std::string sha256Hex(const std::string& data);

}  // namespace sb
