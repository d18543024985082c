#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "auth/tokens.hpp"

namespace sb {
namespace {

TEST(Tokens, HavePrefixAnd43Base64UrlChars) {
  const std::regex shape("^sbt_[A-Za-z0-9_-]{43}$");
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string token = generateApiToken();
    EXPECT_TRUE(std::regex_match(token, shape)) << token;
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(Tokens, Sha256HexMatchesKnownVectors) {
  EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace sb
