#include <gtest/gtest.h>

#include "config/key_suggestion.hpp"

namespace sb::config {
namespace {

TEST(EditDistance, ClassicCases) {
  EXPECT_EQ(editDistance("", ""), 0u);
  EXPECT_EQ(editDistance("port", "port"), 0u);
  EXPECT_EQ(editDistance("prot", "port"), 2u);
  EXPECT_EQ(editDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(editDistance("", "abc"), 3u);
  EXPECT_EQ(editDistance("abc", ""), 3u);
}

TEST(ClosestKey, WithinTwoEditsOnly) {
  const std::vector<std::string> known = {"host", "port", "threads"};
  EXPECT_EQ(closestKey("prot", known), std::optional<std::string>("port"));
  EXPECT_EQ(closestKey("thread", known), std::optional<std::string>("threads"));
  EXPECT_EQ(closestKey("password", known), std::nullopt);
  // Ties keep the declared order so the message does not flap.
  EXPECT_EQ(closestKey("hort", known), std::optional<std::string>("host"));
}

}  // namespace
}  // namespace sb::config
