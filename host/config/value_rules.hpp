// Rules for values several sections share: names that become keys in the
// store (plugin and connection names) and http(s) URLs with a host.
// Used by sb_config and by the link validation of sb_http (url fields).
// Thread-safety: pure functions.
#pragma once

#include <string>

namespace sb::config {

// [a-z][a-z0-9_-]*, at most 64 characters: portable as a file name and a key.
bool isValidName(const std::string& name);
std::string nameRule();  // the rule as words, for messages

// An absolute http:// or https:// URL with a host.
bool isHttpUrl(const std::string& text);

}  // namespace sb::config
