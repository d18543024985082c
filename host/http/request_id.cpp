#include "http/request_id.hpp"

#include <algorithm>
#include <cstdint>
#include <random>

namespace sb::http {

bool isAcceptableRequestId(const std::string& candidate) {
  if (candidate.empty() || candidate.size() > 128) return false;
  return std::all_of(candidate.begin(), candidate.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
  });
}

// A request id must be unique, not unguessable: a per-thread generator seeded
// once from the OS costs no system call per request (Poco's random UUIDs open
// and read /dev/urandom every time).
std::string generateRequestId() {
  thread_local std::mt19937_64 generator = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device(), device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  std::uint64_t high = generator();
  std::uint64_t low = generator();
  high = (high & ~0xF000ULL) | 0x4000ULL;                       // version 4
  low = (low & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text(36, '-');
  int nibble = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) continue;
    const std::uint64_t word = nibble < 16 ? high : low;
    text[i] = kHex[(word >> (60 - 4 * (nibble % 16))) & 0xF];
    ++nibble;
  }
  return text;
}

std::string requestIdFor(const std::string& clientValue) {
  return isAcceptableRequestId(clientValue) ? clientValue : generateRequestId();
}

}  // namespace sb::http
