// IPv4/IPv6 addresses and networks (CIDR) as plain values, parsed with
// inet_pton: what the egress policy classifies and what an operator names in
// `plugins.enabled[].egress.allow`. No name resolution happens here.
// Thread-safety: plain values and pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sb {

struct IpAddress {
  enum class Family { V4, V6 };
  Family family = Family::V4;
  std::array<std::uint8_t, 16> bytes{};  // network order; V4 uses the first 4

  // A dotted IPv4 or an IPv6 address (brackets allowed: "[::1]"); nullopt otherwise.
  static std::optional<IpAddress> parse(std::string_view text);
  static IpAddress v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d);

  std::size_t size() const { return family == Family::V4 ? 4 : 16; }
  int bitCount() const { return family == Family::V4 ? 32 : 128; }
  // The IPv4 address inside an IPv4-mapped IPv6 one (::ffff:a.b.c.d), which
  // reaches the same host; any other address unchanged.
  IpAddress unmapped() const;
  std::string toString() const;

  bool operator==(const IpAddress& other) const = default;
};

struct IpNetwork {
  IpAddress base;  // host bits are zero
  int prefixLength = 0;

  // "10.0.0.0/8", "fd00::/8", or one address ("127.0.0.1" = /32, "::1" = /128).
  // Host bits set below the prefix ("10.0.0.1/8") are refused: the operator
  // probably meant something else.
  static std::optional<IpNetwork> parse(std::string_view text);

  // Whether `address` (unmapped first) lies inside this network.
  bool contains(const IpAddress& address) const;
  std::string toString() const;
};

}  // namespace sb
