// switchboard/encoding.hpp: base64 against the RFC 4648 §10 vectors, every
// byte value through a round trip, GitHub's line-wrapped blob content, and
// the malformed input a decoder must refuse.
#include <gtest/gtest.h>

#include <string>

#include <switchboard/encoding.hpp>

namespace {

using switchboard::encoding::base64Decode;
using switchboard::encoding::base64Encode;

TEST(Base64, Rfc4648TestVectors) {
  const std::pair<std::string, std::string> vectors[] = {{"", ""},           {"f", "Zg=="},         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},    {"foob", "Zm9vYg=="},  {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [bytes, text] : vectors) {
    EXPECT_EQ(base64Encode(bytes), text) << bytes;
    EXPECT_EQ(base64Decode(text), bytes) << text;
  }
}

TEST(Base64, EveryByteValueSurvivesARoundTrip) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  for (std::size_t length = 0; length <= bytes.size(); length += 85) {
    const std::string part = bytes.substr(0, length);
    EXPECT_EQ(base64Decode(base64Encode(part)), part) << length;
  }
  EXPECT_EQ(base64Encode("\xFB\xFF"), "+/8=") << "the last two digits of the standard alphabet";
}

TEST(Base64, SkipsTheLineBreaksGitHubWrapsBlobsWith) {
  EXPECT_EQ(base64Decode("Zm9v\nYmFy\n"), "foobar");
  EXPECT_EQ(base64Decode("Zm9v\r\nYmE=\r\n"), "fooba");
  EXPECT_EQ(base64Decode(" Zm 9v\tYg= =\n"), "foob");
}

TEST(Base64, RefusesMalformedInput) {
  EXPECT_EQ(base64Decode("Zm9"), std::nullopt) << "three digits without padding";
  EXPECT_EQ(base64Decode("Zg="), std::nullopt) << "one '=' short";
  EXPECT_EQ(base64Decode("Zg==="), std::nullopt) << "one '=' too many";
  EXPECT_EQ(base64Decode("Z==="), std::nullopt) << "one digit cannot carry a byte";
  EXPECT_EQ(base64Decode("===="), std::nullopt);
  EXPECT_EQ(base64Decode("Zg==Zg=="), std::nullopt) << "data after the padding";
  EXPECT_EQ(base64Decode("Zm9v!"), std::nullopt) << "outside the alphabet";
  EXPECT_EQ(base64Decode("Zm-_"), std::nullopt) << "the URL-safe alphabet is another encoding";
}

}  // namespace
