// The git blob id, against git's own values (`git hash-object`), quoted in
// ../shared/STANDARDS.md: "hello\n" and the empty blob.
#include <gtest/gtest.h>

#include "workspace/blob_sha.hpp"

namespace sb::workspace {
namespace {

TEST(GitBlobSha, MatchesGitForKnownContent) {
  EXPECT_EQ(gitBlobSha("hello\n"), "ce013625030ba8dba906f756967f9e9ca394464a");
  EXPECT_EQ(gitBlobSha(""), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
}

TEST(GitBlobSha, CoversEveryByteIncludingNul) {
  std::string binary;
  for (int i = 0; i < 256; ++i) binary.push_back(static_cast<char>(i));
  const std::string sha = gitBlobSha(binary);
  EXPECT_TRUE(isBlobSha(sha));
  EXPECT_NE(sha, gitBlobSha(binary.substr(0, 255)));
  EXPECT_NE(gitBlobSha(std::string("a\0b", 3)), gitBlobSha("a"));
}

TEST(GitBlobSha, RecognisesOnlyFortyLowerHexDigits) {
  EXPECT_TRUE(isBlobSha("ce013625030ba8dba906f756967f9e9ca394464a"));
  EXPECT_FALSE(isBlobSha("CE013625030BA8DBA906F756967F9E9CA394464A"));
  EXPECT_FALSE(isBlobSha("ce013625"));
  EXPECT_FALSE(isBlobSha("ce013625030ba8dba906f756967f9e9ca394464g"));
}

}  // namespace
}  // namespace sb::workspace
