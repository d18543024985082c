#include <gtest/gtest.h>

#include "core/base64_text.hpp"

namespace sb {
namespace {

TEST(Base64Text, EncodesRfc4648VectorsUrlSafeWithoutPadding) {
  EXPECT_EQ(encodeBase64Url(""), "");
  EXPECT_EQ(encodeBase64Url("f"), "Zg");
  EXPECT_EQ(encodeBase64Url("fo"), "Zm8");
  EXPECT_EQ(encodeBase64Url("foo"), "Zm9v");
  EXPECT_EQ(encodeBase64Url("foobar"), "Zm9vYmFy");
  EXPECT_EQ(encodeBase64Url(std::string("\xfb\xff", 2)), "-_8");
}

TEST(Base64Text, DecodesEitherAlphabetWithOrWithoutPadding) {
  EXPECT_EQ(decodeBase64("Zm8"), "fo");
  EXPECT_EQ(decodeBase64("Zm8="), "fo");
  EXPECT_EQ(decodeBase64("Zg=="), "f");
  EXPECT_EQ(decodeBase64("-_8"), std::string("\xfb\xff", 2));
  EXPECT_EQ(decodeBase64("+/8="), std::string("\xfb\xff", 2));
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  EXPECT_EQ(decodeBase64(encodeBase64Url(all)), all);
}

TEST(Base64Text, RejectsMalformedText) {
  EXPECT_FALSE(decodeBase64("Z"));        // impossible length
  EXPECT_FALSE(decodeBase64("Zm9v!"));    // stray character
  EXPECT_FALSE(decodeBase64("Zm8=="));    // wrong padding
  EXPECT_FALSE(decodeBase64("Zh"));       // non-zero trailing bits
  EXPECT_FALSE(decodeBase64("Zm 9v"));
}

}  // namespace
}  // namespace sb
