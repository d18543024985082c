#include "auth/tokens.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include "core/random_text.hpp"

namespace sb {

// URL-safe and unpadded so the token can be pasted into headers, URLs and
// shell variables without quoting.
std::string generateApiToken() { return "sbt_" + randomUrlSafeText(32); }

std::string sha256Hex(const std::string& data) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(data);
  return Poco::DigestEngine::digestToHex(engine.digest());
}

}  // namespace sb
