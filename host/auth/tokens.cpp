#include "auth/tokens.hpp"

#include <openssl/rand.h>

#include <Poco/Base64Encoder.h>
#include <Poco/DigestEngine.h>
#include <Poco/RandomStream.h>
#include <Poco/SHA2Engine.h>

#include <array>
#include <sstream>

namespace sb {
namespace {

constexpr std::size_t kTokenBytes = 32;
constexpr const char* kTokenPrefix = "sbt_";

std::array<unsigned char, kTokenBytes> randomBytes() {
  std::array<unsigned char, kTokenBytes> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) == 1) return bytes;
  // OpenSSL's DRBG only fails when it cannot seed; /dev/urandom is the
  // kernel's CSPRNG, so reading it directly keeps tokens unguessable.
  Poco::RandomInputStream random;
  random.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return bytes;
}

}  // namespace

std::string generateApiToken() {
  const auto bytes = randomBytes();
  std::ostringstream encoded;
  {
    // URL-safe and unpadded so the token can be pasted into headers, URLs
    // and shell variables without quoting.
    Poco::Base64Encoder encoder(encoded, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    encoder.rdbuf()->setLineLength(0);
    encoder.write(reinterpret_cast<const char*>(bytes.data()),
                  static_cast<std::streamsize>(bytes.size()));
    encoder.close();
  }
  return kTokenPrefix + encoded.str();
}

std::string sha256Hex(const std::string& data) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(data);
  return Poco::DigestEngine::digestToHex(engine.digest());
}

}  // namespace sb
