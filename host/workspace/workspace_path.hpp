// The rule for workspace file paths, applied to every path that enters the
// host (the files API and a remote tree alike): relative, '/'-separated
// segments, none empty, "." or "..", no NUL, backslash or other control
// character, at most kMaxPathBytes bytes and kMaxSegmentBytes per segment.
// Git and GitHub would accept some of these; they are refused because they
// escape a directory on a checkout, or mean different files on other systems.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sb::workspace {

inline constexpr std::size_t kMaxPathBytes = 1024;
inline constexpr std::size_t kMaxSegmentBytes = 255;

// Ok, or InvalidArgument naming `field` with the reason.
Status checkWorkspacePath(std::string_view path, const std::string& field = "path");

}  // namespace sb::workspace
