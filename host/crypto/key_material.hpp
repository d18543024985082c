// Turns the `secrets:` config section into the 32 raw bytes of an AES-256
// key: inline key first, else the key file (which must not be readable by
// group or others). Messages name the config key and the reason, never a
// byte of the key. Thread-safety: pure functions (reads one file).
#pragma once

#include <string>

#include "config/config.hpp"
#include "core/result.hpp"

namespace sb::crypto {

constexpr std::size_t kKeyBytes = 32;

// `text` is 32 raw bytes, 64 hex characters, or base64 (either alphabet) of 32
// bytes; surrounding whitespace is ignored unless the text is exactly 32
// bytes. `source` names it in messages ("secrets.key", "secrets.key_file: /x").
Result<std::string> decodeKeyText(const std::string& text, const std::string& source);

// The key of `config`: InvalidArgument naming secrets.key / secrets.key_file
// when it is missing, unreadable, too open, or the wrong shape.
Result<std::string> loadKey(const SecretsConfig& config);

}  // namespace sb::crypto
