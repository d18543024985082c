#include "config/config_source.hpp"

namespace sb::config {

std::string describeLocation(const std::string& displayName, const YAML::Mark& mark) {
  // A null mark (-1) only shows up for synthesized nodes; 1:1 is still a
  // place an operator can open.
  const int line = mark.is_null() ? 1 : mark.line + 1;
  const int column = mark.is_null() ? 1 : mark.column + 1;
  return displayName + ":" + std::to_string(line) + ":" + std::to_string(column);
}

Status configError(const std::string& displayName, const YAML::Mark& mark,
                   const std::string& keyPath, const std::string& reason) {
  std::string message = describeLocation(displayName, mark) + ": ";
  if (!keyPath.empty()) message += keyPath + ": ";
  message += reason;
  return Status(ErrorCode::InvalidArgument, std::move(message), keyPath);
}

}  // namespace sb::config
