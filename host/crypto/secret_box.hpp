// Seals integration secrets at rest with AES-256-GCM: each value gets a fresh
// random 96-bit nonce and is bound to associated data naming where it belongs
// (e.g. "integration:<projectId>:<key>"), so a sealed blob copied to another
// row does not open. The key comes from the `secrets:` config section and
// never leaves this object. Sealed format: "v1." + base64url(nonce | ciphertext | tag).
// Thread-safety: immutable after construction; seal/open may run on any
// number of threads at once (each call uses its own OpenSSL context).
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "core/result.hpp"

struct evp_cipher_st;  // OpenSSL's EVP_CIPHER, kept out of this header

namespace sb {

// The associated data an integration link's secrets are sealed with: opening
// needs the same project and key, so a blob copied to another row fails.
std::string integrationSecretsContext(std::string_view projectId, std::string_view key);

// The associated data of a user's OAuth grant (access and refresh token) for
// one connection, and of a pending authorization (PKCE verifier, redirect_uri,
// returnTo): a blob moved to another user's or connection's row does not open.
std::string oauthTokenContext(std::string_view userId, std::string_view connectionName);
std::string oauthPendingContext(std::string_view userId, std::string_view connectionName);
// The associated data of a dynamic client registration (RFC 7591) kept for
// one authorization server: a registration copied to another issuer's row
// does not open.
std::string oauthRegistrationContext(std::string_view issuer);

class SecretBox {
 public:
  // The key from config (inline key wins over key_file; see
  // crypto/key_material.hpp for accepted shapes). InvalidArgument naming
  // secrets.key or secrets.key_file, including when neither is set: callers
  // that run without a key simply do not build a SecretBox.
  static Result<std::unique_ptr<SecretBox>> fromConfig(const SecretsConfig& config);
  // `raw32` must be exactly 32 bytes (InvalidArgument otherwise).
  static Result<std::unique_ptr<SecretBox>> fromKey(std::string raw32);

  ~SecretBox();
  SecretBox(const SecretBox&) = delete;
  SecretBox& operator=(const SecretBox&) = delete;

  // Never fails short of the process being out of randomness or memory, in
  // which case it aborts: storing a secret unsealed is not an option.
  std::string seal(std::string_view plaintext, std::string_view associatedData) const;
  // Internal "secret cannot be decrypted" for anything that does not open with
  // this key and this associated data: tampering, another key, another row,
  // garbage. Deliberately one message, so it says nothing about why.
  Result<std::string> open(std::string_view sealed, std::string_view associatedData) const;

 private:
  SecretBox(const std::string& raw32, evp_cipher_st* cipher);

  std::array<unsigned char, 32> key_{};
  evp_cipher_st* cipher_;  // owned; freed by the destructor
};

}  // namespace sb
