#include "core/random_text.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "core/base64_text.hpp"

namespace sb {

void fillRandomBytes(unsigned char* out, std::size_t size) {
  while (size > 0) {
    const ssize_t got = ::getrandom(out, size, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      std::perror("switchboard: getrandom");
      std::abort();
    }
    out += got;
    size -= static_cast<std::size_t>(got);
  }
}

std::string randomUrlSafeText(std::size_t byteCount) {
  std::string bytes(byteCount, '\0');
  fillRandomBytes(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size());
  return encodeBase64Url(bytes);
}

}  // namespace sb
