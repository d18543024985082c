// switchboard/encoding.hpp -- base64 (RFC 4648 §4, the standard alphabet with
// padding) as providers send binary content in JSON: GitHub's blobs, for one,
// arrive as base64 broken into lines. Header-only, standard library only;
// nothing throws. Ownership: functions borrow their input for the call.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::encoding {

namespace detail {

inline constexpr char kBase64Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// The 6-bit value of one base64 digit; -1 for anything else ('=' included).
constexpr int base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

constexpr bool isLineSpace(char c) { return c == '\n' || c == '\r' || c == ' ' || c == '\t'; }

}  // namespace detail

// `bytes` as base64, padded with '=', on one line.
inline std::string base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t group = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                                static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8 |
                                static_cast<unsigned char>(bytes[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out += detail::kBase64Alphabet[(group >> shift) & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t group = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) group |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out += detail::kBase64Alphabet[(group >> 18) & 63];
    out += detail::kBase64Alphabet[(group >> 12) & 63];
    out += rest == 2 ? detail::kBase64Alphabet[(group >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// The bytes `text` encodes. Line breaks, spaces and tabs anywhere are skipped
// (GitHub wraps blob content every 60 characters). nullopt when anything else
// is off: a character outside the alphabet, a digit count that is not a
// multiple of four, or padding other than one or two '=' at the very end.
// Bits the padding drops are ignored (RFC 4648 §3.5 lets decoders accept them).
inline std::optional<std::string> base64Decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3);
  std::uint32_t group = 0;
  int digits = 0;   // in the current group of four
  int padding = 0;  // '=' seen; only more '=' and spaces may follow
  for (char c : text) {
    if (detail::isLineSpace(c)) continue;
    if (c == '=') {
      if (digits < 2 || digits + padding >= 4) return std::nullopt;
      ++padding;
      continue;
    }
    const int value = detail::base64Value(c);
    if (value < 0 || padding > 0) return std::nullopt;
    group = group << 6 | static_cast<std::uint32_t>(value);
    if (++digits == 4) {
      out += static_cast<char>(group >> 16 & 0xFF);
      out += static_cast<char>(group >> 8 & 0xFF);
      out += static_cast<char>(group & 0xFF);
      group = 0;
      digits = 0;
    }
  }
  if (digits == 0) return padding == 0 ? std::optional<std::string>(std::move(out)) : std::nullopt;
  if (digits + padding != 4) return std::nullopt;
  if (digits == 2) {
    out += static_cast<char>(group >> 4 & 0xFF);
  } else {  // three digits, one '='
    out += static_cast<char>(group >> 10 & 0xFF);
    out += static_cast<char>(group >> 2 & 0xFF);
  }
  return out;
}

}  // namespace switchboard::encoding
