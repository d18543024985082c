#include <gtest/gtest.h>

#include <set>

#include "core/random_text.hpp"

namespace sb {
namespace {

TEST(RandomUrlSafeText, LengthIsUnpaddedBase64OfTheByteCount) {
  EXPECT_EQ(randomUrlSafeText(0).size(), 0u);
  EXPECT_EQ(randomUrlSafeText(1).size(), 2u);
  EXPECT_EQ(randomUrlSafeText(2).size(), 3u);
  EXPECT_EQ(randomUrlSafeText(3).size(), 4u);
  EXPECT_EQ(randomUrlSafeText(16).size(), 22u);
  EXPECT_EQ(randomUrlSafeText(32).size(), 43u);
}

TEST(RandomUrlSafeText, UsesOnlyTheUrlSafeAlphabetAndDoesNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string text = randomUrlSafeText(16);
    for (char c : text) {
      EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << text;
    }
    seen.insert(text);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace sb
