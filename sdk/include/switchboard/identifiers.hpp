// switchboard/identifiers.hpp -- the identifier rules of abi.h, in one place
// for the host's loader, the SDK's conformance check and `plugin check`: a
// plugin passes its own unit tests exactly when the host will accept its ids.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string_view>

namespace switchboard::ids {

// Plugin ids, schema ids and field keys: at most this many bytes.
inline constexpr std::size_t kMaxIdLength = 64;

namespace detail {
constexpr bool lower(char c) { return c >= 'a' && c <= 'z'; }
constexpr bool digit(char c) { return c >= '0' && c <= '9'; }
}  // namespace detail

// [a-z][a-z0-9_-]*, at most 64 bytes.
constexpr bool isPluginId(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdLength || !detail::lower(id[0])) return false;
  for (char c : id) {
    if (!detail::lower(c) && !detail::digit(c) && c != '_' && c != '-') return false;
  }
  return true;
}

// [a-z0-9][a-z0-9_-]*, at most 64 bytes.
constexpr bool isSchemaId(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdLength || !(detail::lower(id[0]) || detail::digit(id[0]))) return false;
  for (char c : id) {
    if (!detail::lower(c) && !detail::digit(c) && c != '_' && c != '-') return false;
  }
  return true;
}

// [a-z][a-zA-Z0-9_]*, at most 64 bytes.
constexpr bool isFieldKey(std::string_view key) {
  if (key.empty() || key.size() > kMaxIdLength || !detail::lower(key[0])) return false;
  for (char c : key) {
    if (!detail::lower(c) && !detail::digit(c) && !(c >= 'A' && c <= 'Z') && c != '_') return false;
  }
  return true;
}

}  // namespace switchboard::ids
