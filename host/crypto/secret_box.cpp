#include "crypto/secret_box.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/base64_text.hpp"
#include "core/random_text.hpp"
#include "crypto/key_material.hpp"

namespace sb {
namespace {

constexpr std::string_view kPrefix = "v1.";
constexpr int kNonceBytes = 12;
constexpr int kTagBytes = 16;

struct ContextDeleter {
  void operator()(EVP_CIPHER_CTX* context) const { EVP_CIPHER_CTX_free(context); }
};
using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, ContextDeleter>;

[[noreturn]] void abortSealing(const char* what) {
  std::fprintf(stderr, "fatal: sealing a secret failed: %s\n", what);
  std::abort();
}

Status cannotDecrypt() { return {ErrorCode::Internal, "secret cannot be decrypted"}; }

const unsigned char* bytesOf(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

}  // namespace

Result<std::unique_ptr<SecretBox>> SecretBox::fromConfig(const SecretsConfig& config) {
  auto key = crypto::loadKey(config);
  if (!key.isOk()) return key.status();
  auto box = fromKey(std::move(key.value()));
  return box;
}

Result<std::unique_ptr<SecretBox>> SecretBox::fromKey(std::string raw32) {
  if (raw32.size() != crypto::kKeyBytes) {
    OPENSSL_cleanse(raw32.data(), raw32.size());
    return Status{ErrorCode::InvalidArgument,
                  "a secret key must be exactly 32 bytes, not " + std::to_string(raw32.size()),
                  "secrets.key"};
  }
  // Fetched once, here, so that OpenSSL's lazy initialisation and algorithm
  // lookup (which keep per-thread state) happen on the constructing thread
  // and not on every worker that seals.
  EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  if (cipher == nullptr) {
    OPENSSL_cleanse(raw32.data(), raw32.size());
    return Status{ErrorCode::Unavailable, "OpenSSL offers no AES-256-GCM"};
  }
  std::unique_ptr<SecretBox> box(new SecretBox(raw32, cipher));
  OPENSSL_cleanse(raw32.data(), raw32.size());
  return box;
}

SecretBox::SecretBox(const std::string& raw32, evp_cipher_st* cipher) : cipher_(cipher) {
  std::memcpy(key_.data(), raw32.data(), key_.size());
}

SecretBox::~SecretBox() {
  OPENSSL_cleanse(key_.data(), key_.size());
  EVP_CIPHER_free(cipher_);
}

std::string SecretBox::seal(std::string_view plaintext, std::string_view associatedData) const {
  if (plaintext.size() > INT_MAX / 2 || associatedData.size() > INT_MAX / 2) {
    abortSealing("the value is larger than OpenSSL accepts in one call");
  }
  std::string raw(kNonceBytes + plaintext.size() + kTagBytes, '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(raw.data());
  auto* cipherText = nonce + kNonceBytes;
  // From the kernel rather than OpenSSL's RAND: OpenSSL keeps a generator per
  // calling thread, freed only when that thread exits, and HTTP worker
  // threads live as long as the server.
  fillRandomBytes(nonce, kNonceBytes);
  CipherContext context(EVP_CIPHER_CTX_new());
  int written = 0;
  int finalWritten = 0;
  if (!context ||
      EVP_EncryptInit_ex(context.get(), cipher_, nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) != 1 ||
      EVP_EncryptInit_ex(context.get(), nullptr, nullptr, key_.data(), nonce) != 1 ||
      EVP_EncryptUpdate(context.get(), nullptr, &written, bytesOf(associatedData),
                        static_cast<int>(associatedData.size())) != 1 ||
      EVP_EncryptUpdate(context.get(), cipherText, &written, bytesOf(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(context.get(), cipherText + written, &finalWritten) != 1 ||
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
                          cipherText + plaintext.size()) != 1) {
    abortSealing("OpenSSL AES-256-GCM encryption failed");
  }
  std::string sealed(kPrefix);
  sealed += encodeBase64Url(raw);
  OPENSSL_cleanse(raw.data(), raw.size());
  return sealed;
}

Result<std::string> SecretBox::open(std::string_view sealed, std::string_view associatedData) const {
  if (sealed.substr(0, kPrefix.size()) != kPrefix) return cannotDecrypt();
  auto raw = decodeBase64(sealed.substr(kPrefix.size()));
  // Standard-alphabet text would decode too; only what seal() wrote is valid.
  if (!raw || encodeBase64Url(*raw) != sealed.substr(kPrefix.size())) return cannotDecrypt();
  if (raw->size() < static_cast<std::size_t>(kNonceBytes + kTagBytes) || raw->size() > INT_MAX / 2 ||
      associatedData.size() > INT_MAX / 2) {
    return cannotDecrypt();
  }
  const std::size_t cipherBytes = raw->size() - kNonceBytes - kTagBytes;
  const auto* nonce = bytesOf(*raw);
  const auto* cipherText = nonce + kNonceBytes;
  std::string tag = raw->substr(kNonceBytes + cipherBytes);
  std::string plaintext(cipherBytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(plaintext.data());
  CipherContext context(EVP_CIPHER_CTX_new());
  int written = 0;
  int finalWritten = 0;
  bool opened =
      context &&
      EVP_DecryptInit_ex(context.get(), cipher_, nullptr, nullptr, nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) == 1 &&
      EVP_DecryptInit_ex(context.get(), nullptr, nullptr, key_.data(), nonce) == 1 &&
      EVP_DecryptUpdate(context.get(), nullptr, &written, bytesOf(associatedData),
                        static_cast<int>(associatedData.size())) == 1 &&
      EVP_DecryptUpdate(context.get(), out, &written, cipherText, static_cast<int>(cipherBytes)) ==
          1 &&
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1 &&
      EVP_DecryptFinal_ex(context.get(), out + written, &finalWritten) == 1;
  if (!opened) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return cannotDecrypt();
  }
  return plaintext;
}

std::string integrationSecretsContext(std::string_view projectId, std::string_view key) {
  return "integration:" + std::string(projectId) + ":" + std::string(key);
}

std::string oauthTokenContext(std::string_view userId, std::string_view connectionName) {
  return "oauth-token:" + std::string(userId) + ":" + std::string(connectionName);
}

std::string oauthPendingContext(std::string_view userId, std::string_view connectionName) {
  return "oauth-pending:" + std::string(userId) + ":" + std::string(connectionName);
}

std::string oauthRegistrationContext(std::string_view issuer) {
  return "oauth-registration:" + std::string(issuer);
}

}  // namespace sb
