#include <gtest/gtest.h>

#include "workspace/workspace_path.hpp"

namespace sb::workspace {
namespace {

TEST(WorkspacePath, AcceptsOrdinaryRelativePaths) {
  for (const char* path : {"README.md", "workflows/deploy.yaml", "a/b/c/d.txt", ".github/workflows/ci.yml",
                           "dir with spaces/ü.txt", "..hidden", "a..b"}) {
    EXPECT_TRUE(checkWorkspacePath(path).isOk()) << path;
  }
}

TEST(WorkspacePath, RefusesEachForbiddenShapeWithItsReason) {
  struct Case {
    std::string path;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {"", "must not be empty"},
      {"/etc/passwd", "must be relative"},
      {"a/../b", "'.' or '..'"},
      {"..", "'.' or '..'"},
      {"./a", "'.' or '..'"},
      {"a//b", "empty segments"},
      {"a/", "empty segments"},
      {"a\\b", "backslash"},
      {std::string("a\0b", 3), "NUL"},
      {"a\nb", "control characters"},
      {std::string(1025, 'a'), "longer than 1024"},
      {std::string(256, 'a') + "/b", "at most 255"},
  };
  for (const Case& c : cases) {
    const Status status = checkWorkspacePath(c.path);
    EXPECT_EQ(status.code(), ErrorCode::InvalidArgument) << c.path;
    EXPECT_NE(status.message().find(c.reason), std::string::npos) << c.path << ": " << status.message();
    EXPECT_EQ(status.field(), "path");
  }
}

TEST(WorkspacePath, TheLimitsAreInclusive) {
  EXPECT_TRUE(checkWorkspacePath(std::string(255, 'a')).isOk());
  std::string longPath;
  while (longPath.size() + 101 <= kMaxPathBytes) longPath += std::string(100, 'x') + "/";
  longPath += std::string(kMaxPathBytes - longPath.size(), 'y');
  ASSERT_EQ(longPath.size(), kMaxPathBytes);
  EXPECT_TRUE(checkWorkspacePath(longPath).isOk());
}

}  // namespace
}  // namespace sb::workspace
