#include "http/body_reader.hpp"

#include <array>

namespace sb::http {

BoundedBody readBoundedBody(std::istream& in, std::size_t maxBytes) {
  BoundedBody result;
  std::array<char, 8192> buffer{};
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got == 0) break;
    if (result.bytes.size() + got > maxBytes) {
      result.tooLarge = true;
      return result;
    }
    result.bytes.append(buffer.data(), got);
  }
  return result;
}

void discardBody(std::istream& in, std::size_t maxBytes) {
  std::array<char, 8192> buffer{};
  std::size_t dropped = 0;
  while (in && dropped < maxBytes) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got == 0) break;
    dropped += got;
  }
}

}  // namespace sb::http
