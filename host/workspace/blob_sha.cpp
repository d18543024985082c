#include "workspace/blob_sha.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>

namespace sb::workspace {

std::string gitBlobSha(std::string_view bytes) {
  Poco::SHA1Engine engine;
  const std::string header = "blob " + std::to_string(bytes.size());
  engine.update(header.data(), header.size());
  engine.update("", 1);  // the NUL that ends the header
  engine.update(bytes.data(), bytes.size());
  return Poco::DigestEngine::digestToHex(engine.digest());
}

bool isBlobSha(std::string_view text) {
  if (text.size() != 40) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace sb::workspace
