#include "core/ip_address.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace sb {
namespace {

// Whether the first `bits` bits of `a` and `b` agree.
bool samePrefix(const std::array<std::uint8_t, 16>& a, const std::array<std::uint8_t, 16>& b, int bits) {
  const auto whole = static_cast<std::size_t>(bits / 8);
  if (std::memcmp(a.data(), b.data(), whole) != 0) return false;
  const int rest = bits % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  if (text.empty() || text.size() > 64) return std::nullopt;
  const std::string copy(text);
  IpAddress address;
  if (inet_pton(AF_INET, copy.c_str(), address.bytes.data()) == 1) {
    address.family = Family::V4;
    return address;
  }
  if (inet_pton(AF_INET6, copy.c_str(), address.bytes.data()) == 1) {
    address.family = Family::V6;
    return address;
  }
  return std::nullopt;
}

IpAddress IpAddress::v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  IpAddress address;
  address.bytes[0] = a;
  address.bytes[1] = b;
  address.bytes[2] = c;
  address.bytes[3] = d;
  return address;
}

IpAddress IpAddress::unmapped() const {
  static constexpr std::array<std::uint8_t, 12> kMappedPrefix{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  if (family != Family::V6 || std::memcmp(bytes.data(), kMappedPrefix.data(), kMappedPrefix.size()) != 0) {
    return *this;
  }
  return v4(bytes[12], bytes[13], bytes[14], bytes[15]);
}

std::string IpAddress::toString() const {
  char buffer[INET6_ADDRSTRLEN] = {};
  const int af = family == Family::V4 ? AF_INET : AF_INET6;
  if (inet_ntop(af, bytes.data(), buffer, sizeof buffer) == nullptr) return "?";
  return buffer;
}

std::optional<IpNetwork> IpNetwork::parse(std::string_view text) {
  const std::size_t slash = text.find('/');
  std::optional<IpAddress> base = IpAddress::parse(text.substr(0, slash));
  if (!base) return std::nullopt;
  IpNetwork network;
  network.base = *base;
  network.prefixLength = base->bitCount();
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    int length = -1;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), length);
    if (digits.empty() || digits.size() > 3 || error != std::errc() || end != digits.data() + digits.size() ||
        length < 0 || length > base->bitCount()) {
      return std::nullopt;
    }
    network.prefixLength = length;
  }
  // Host bits must be zero: "10.0.0.1/8" is more likely a typo than a network.
  IpAddress masked = network.base;
  for (int bit = network.prefixLength; bit < masked.bitCount(); ++bit) {
    masked.bytes[static_cast<std::size_t>(bit / 8)] &= static_cast<std::uint8_t>(~(0x80 >> (bit % 8)));
  }
  if (!(masked == network.base)) return std::nullopt;
  // "::ffff:10.0.0.0/104" is 10.0.0.0/8: contains() compares unmapped addresses.
  if (network.base.unmapped().family == IpAddress::Family::V4 && network.base.family == IpAddress::Family::V6 &&
      network.prefixLength >= 96) {
    network.base = network.base.unmapped();
    network.prefixLength -= 96;
  }
  return network;
}

bool IpNetwork::contains(const IpAddress& address) const {
  const IpAddress candidate = address.unmapped();
  if (candidate.family != base.family) return false;
  return samePrefix(candidate.bytes, base.bytes, prefixLength);
}

std::string IpNetwork::toString() const { return base.toString() + "/" + std::to_string(prefixLength); }

}  // namespace sb
