// Base64 for random ids and tokens, sealed secrets and keys: url-safe without
// padding for what we write, and a strict decoder for either alphabet for what people paste.
// Written here rather than with Poco's streams so that malformed input is a
// plain "no" instead of an exception from deep inside a stream.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sb {

std::string encodeBase64Url(std::string_view bytes);  // [A-Za-z0-9_-], no '='

// Accepts the standard (+/) or url-safe (-_) alphabet, with or without '='
// padding (padding, when present, must be correct). nullopt for anything
// else: stray characters, impossible lengths, non-zero trailing bits.
std::optional<std::string> decodeBase64(std::string_view text);

}  // namespace sb
