#include <sys/stat.h>

#include <fstream>

#include <gtest/gtest.h>

#include "core/base64_text.hpp"
#include "crypto/key_material.hpp"
#include "scratch_directory.hpp"

namespace sb::crypto {
namespace {

// 32 bytes with every kind of value a key can hold, including whitespace at
// both ends (which a raw key must keep).
std::string rawKey() {
  std::string key;
  for (int i = 0; i < 32; ++i) key += static_cast<char>((i * 37 + 9) & 0xFF);
  key.front() = ' ';
  key.back() = '\n';
  return key;
}

std::string hexOf(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::string writeKeyFile(const testing::ScratchDirectory& dir, const std::string& content,
                         mode_t mode) {
  std::string path = dir.file("secret.key");
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
  EXPECT_EQ(::chmod(path.c_str(), mode), 0);
  return path;
}

TEST(KeyMaterial, AcceptsRawHexAndBase64) {
  const std::string key = rawKey();
  EXPECT_EQ(decodeKeyText(key, "secrets.key").value(), key);
  EXPECT_EQ(decodeKeyText(hexOf(key), "secrets.key").value(), key);
  EXPECT_EQ(decodeKeyText("  " + hexOf(key) + "\n", "secrets.key").value(), key);
  std::string upper = hexOf(key);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(decodeKeyText(upper, "secrets.key").value(), key);
  EXPECT_EQ(decodeKeyText(encodeBase64Url(key), "secrets.key").value(), key);
  std::string standard = encodeBase64Url(key) + "=\n";
  for (char& c : standard) c = c == '-' ? '+' : c == '_' ? '/' : c;
  EXPECT_EQ(decodeKeyText(standard, "secrets.key").value(), key);
}

TEST(KeyMaterial, RefusesWrongLengthsWithoutEchoingTheKey) {
  const std::string secretish = "hunter2hunter2hunter2";
  auto short1 = decodeKeyText(secretish, "secrets.key");
  ASSERT_FALSE(short1.isOk());
  EXPECT_EQ(short1.status().code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(short1.status().field(), "secrets.key");
  EXPECT_NE(short1.status().message().find("secrets.key"), std::string::npos);
  EXPECT_EQ(short1.status().message().find(secretish), std::string::npos);

  auto sixteen = decodeKeyText(encodeBase64Url(std::string(16, 'k')), "secrets.key");
  ASSERT_FALSE(sixteen.isOk());
  EXPECT_NE(sixteen.status().message().find("16 bytes"), std::string::npos)
      << sixteen.status().message();
  EXPECT_FALSE(decodeKeyText(std::string(63, 'a'), "secrets.key").isOk());
  EXPECT_FALSE(decodeKeyText(" \n\t", "secrets.key").isOk());
}

TEST(KeyMaterial, InlineKeyWinsOverKeyFile) {
  testing::ScratchDirectory dir;
  SecretsConfig config;
  config.keyFile = writeKeyFile(dir, hexOf(std::string(32, 'f')), 0600);
  config.key = hexOf(rawKey());
  EXPECT_EQ(loadKey(config).value(), rawKey());
  config.key.clear();
  EXPECT_EQ(loadKey(config).value(), std::string(32, 'f'));
}

TEST(KeyMaterial, KeyFileOfTheWrongLengthNamesThePath) {
  testing::ScratchDirectory dir;
  SecretsConfig config;
  config.keyFile = writeKeyFile(dir, "abcdef\n", 0600);
  auto loaded = loadKey(config);
  ASSERT_FALSE(loaded.isOk());
  EXPECT_EQ(loaded.status().code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(loaded.status().field(), "secrets.key_file");
  EXPECT_NE(loaded.status().message().find("secrets.key_file"), std::string::npos);
  EXPECT_NE(loaded.status().message().find(config.keyFile), std::string::npos);
  EXPECT_EQ(loaded.status().message().find("abcdef"), std::string::npos);
}

TEST(KeyMaterial, KeyFileReadableByOthersIsRefused) {
  testing::ScratchDirectory dir;
  SecretsConfig config;
  config.keyFile = writeKeyFile(dir, hexOf(rawKey()), 0644);
  auto loaded = loadKey(config);
  ASSERT_FALSE(loaded.isOk());
  EXPECT_EQ(loaded.status().field(), "secrets.key_file");
  EXPECT_NE(loaded.status().message().find("0644"), std::string::npos) << loaded.status().message();
  EXPECT_NE(loaded.status().message().find(config.keyFile), std::string::npos);
  ASSERT_EQ(::chmod(config.keyFile.c_str(), 0640), 0);
  EXPECT_FALSE(loadKey(config).isOk());
  ASSERT_EQ(::chmod(config.keyFile.c_str(), 0400), 0);
  EXPECT_TRUE(loadKey(config).isOk());
}

TEST(KeyMaterial, MissingKeyFileAndNoKeyAreErrors) {
  testing::ScratchDirectory dir;
  SecretsConfig config;
  auto none = loadKey(config);
  ASSERT_FALSE(none.isOk());
  EXPECT_NE(none.status().message().find("secrets.key"), std::string::npos);
  config.keyFile = dir.file("absent.key");
  auto missing = loadKey(config);
  ASSERT_FALSE(missing.isOk());
  EXPECT_EQ(missing.status().field(), "secrets.key_file");
  EXPECT_NE(missing.status().message().find(config.keyFile), std::string::npos);
  config.keyFile = dir.path();
  EXPECT_FALSE(loadKey(config).isOk()) << "a directory is not a key file";
}

}  // namespace
}  // namespace sb::crypto
