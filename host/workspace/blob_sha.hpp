// The git blob object id of some bytes: SHA-1 over "blob <len>\0" + bytes,
// which is what GitHub's trees list as each file's `sha`, so a local file and
// a remote one compare by this value alone.
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>

namespace sb::workspace {

std::string gitBlobSha(std::string_view bytes);  // 40 lower-case hex digits

// True for 40 lower-case hex digits.
bool isBlobSha(std::string_view text);

}  // namespace sb::workspace
