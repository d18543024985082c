#include "connections/pkce.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include "core/base64_text.hpp"
#include "core/random_text.hpp"

namespace sb::connections {
namespace {

Poco::DigestEngine::Digest sha256(const std::string& text) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(text);
  return engine.digest();
}

}  // namespace

std::string newCodeVerifier() { return randomUrlSafeText(32); }

std::string codeChallengeS256(const std::string& verifier) {
  const Poco::DigestEngine::Digest digest = sha256(verifier);
  return encodeBase64Url(std::string(digest.begin(), digest.end()));
}

std::string newState() { return randomUrlSafeText(32); }

std::string stateHash(const std::string& state) { return Poco::DigestEngine::digestToHex(sha256(state)); }

}  // namespace sb::connections
