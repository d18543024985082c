#include "core/random_text.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace sb {

std::string randomUrlSafeText(std::size_t byteCount) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::vector<unsigned char> bytes(byteCount);
  std::size_t filled = 0;
  while (filled < bytes.size()) {
    const ssize_t n = ::getrandom(bytes.data() + filled, bytes.size() - filled, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::perror("switchboard: getrandom");
      std::abort();
    }
    filled += static_cast<std::size_t>(n);
  }
  std::string text;
  text.reserve((byteCount * 4 + 2) / 3);
  unsigned int buffer = 0;
  int bits = 0;
  for (unsigned char byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      text += kAlphabet[(buffer >> bits) & 0x3F];
    }
  }
  if (bits > 0) text += kAlphabet[(buffer << (6 - bits)) & 0x3F];
  return text;
}

}  // namespace sb
