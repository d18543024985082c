#include "workspace/workspace_path.hpp"

namespace sb::workspace {

Status checkWorkspacePath(std::string_view path, const std::string& field) {
  auto refuse = [&](const std::string& reason) { return Status(ErrorCode::InvalidArgument, "path " + reason, field); };
  if (path.empty()) return refuse("must not be empty");
  if (path.size() > kMaxPathBytes) return refuse("is longer than " + std::to_string(kMaxPathBytes) + " bytes");
  if (path.front() == '/') return refuse("must be relative (no leading '/')");
  for (char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == 0) return refuse("must not contain NUL");
    if (c == '\\') return refuse("must not contain a backslash");
    if (byte < 0x20 || byte == 0x7f) return refuse("must not contain control characters");
  }
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = path.find('/', start);
    const std::string_view segment =
        path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (segment.empty()) return refuse("must not contain empty segments ('//' or a trailing '/')");
    if (segment == "." || segment == "..") return refuse("must not contain '.' or '..' segments");
    if (segment.size() > kMaxSegmentBytes) {
      return refuse("segments must be at most " + std::to_string(kMaxSegmentBytes) + " bytes");
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return Status::ok();
}

}  // namespace sb::workspace
