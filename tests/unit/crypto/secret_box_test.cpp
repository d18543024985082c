#include <sys/stat.h>

#include <fstream>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "core/base64_text.hpp"
#include "crypto/secret_box.hpp"
#include "scratch_directory.hpp"

namespace sb {
namespace {

constexpr const char* kAd = "integration:prj_1:github";

std::unique_ptr<SecretBox> boxWithKey(char fill) {
  auto box = SecretBox::fromKey(std::string(32, fill));
  EXPECT_TRUE(box.isOk()) << box.status().message();
  return box.isOk() ? std::move(box.value()) : nullptr;
}

void expectCannotDecrypt(const Result<std::string>& opened) {
  ASSERT_FALSE(opened.isOk());
  EXPECT_EQ(opened.status().message(), "secret cannot be decrypted");
  EXPECT_NE(opened.status().code(), ErrorCode::InvalidArgument);
}

TEST(SecretBox, RoundTrips) {
  auto box = boxWithKey('k');
  ASSERT_TRUE(box);
  for (std::string plaintext : {std::string(), std::string(R"({"token":"ghp_x"})"),
                                std::string(5000, 'z'), std::string("\0bin\xff", 5)}) {
    std::string sealed = box->seal(plaintext, kAd);
    EXPECT_EQ(sealed.rfind("v1.", 0), 0u);
    EXPECT_EQ(sealed.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 3),
              std::string::npos);
    auto opened = box->open(sealed, kAd);
    ASSERT_TRUE(opened.isOk()) << opened.status().message();
    EXPECT_EQ(opened.value(), plaintext);
  }
}

TEST(SecretBox, SealedTextHoldsNonceCiphertextAndTag) {
  auto box = boxWithKey('k');
  ASSERT_TRUE(box);
  std::string sealed = box->seal("hello", kAd);
  auto raw = decodeBase64(sealed.substr(3));
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->size(), 12u + 5u + 16u);
  EXPECT_EQ(raw->find("hello"), std::string::npos);
}

TEST(SecretBox, EverySealUsesAFreshNonce) {
  auto box = boxWithKey('k');
  ASSERT_TRUE(box);
  std::set<std::string> nonces;
  std::set<std::string> sealedTexts;
  for (int i = 0; i < 200; ++i) {
    std::string sealed = box->seal("same", kAd);
    sealedTexts.insert(sealed);
    nonces.insert(decodeBase64(sealed.substr(3))->substr(0, 12));
  }
  EXPECT_EQ(nonces.size(), 200u);
  EXPECT_EQ(sealedTexts.size(), 200u);
}

TEST(SecretBox, ChangingAnyByteFailsToOpen) {
  auto box = boxWithKey('k');
  ASSERT_TRUE(box);
  std::string sealed = box->seal("ghp_SECRET", kAd);
  std::string raw = *decodeBase64(sealed.substr(3));
  for (std::size_t i = 0; i < raw.size(); ++i) {
    std::string tampered = raw;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    SCOPED_TRACE("byte " + std::to_string(i));
    expectCannotDecrypt(box->open("v1." + encodeBase64Url(tampered), kAd));
  }
  expectCannotDecrypt(box->open(sealed.substr(0, sealed.size() - 1), kAd));
  expectCannotDecrypt(box->open(sealed + "A", kAd));
}

TEST(SecretBox, WrongAssociatedDataFails) {
  auto box = boxWithKey('k');
  ASSERT_TRUE(box);
  std::string sealed = box->seal("ghp_SECRET", kAd);
  expectCannotDecrypt(box->open(sealed, "integration:prj_1:vercel"));
  expectCannotDecrypt(box->open(sealed, "integration:prj_2:github"));
  expectCannotDecrypt(box->open(sealed, ""));
}

TEST(SecretBox, WrongKeyFails) {
  auto box = boxWithKey('k');
  auto other = boxWithKey('j');
  ASSERT_TRUE(box && other);
  expectCannotDecrypt(other->open(box->seal("ghp_SECRET", kAd), kAd));
}

TEST(SecretBox, MalformedInputIsAnErrorNotACrash) {
  auto box = boxWithKey('k');
  ASSERT_TRUE(box);
  for (const std::string& bad : std::vector<std::string>{"", "v1.", "v1.AAAA", "v2." + box->seal("x", kAd).substr(3), "garbage",
                          "v1.!!!!", "v1." + std::string(100, '='),
                          "v1." + encodeBase64Url(std::string(27, 'a'))}) {
    SCOPED_TRACE(bad);
    expectCannotDecrypt(box->open(bad, kAd));
  }
  // Standard-alphabet spelling of a valid blob is not what seal() writes.
  std::string sealed = box->seal(std::string(40, '\xff'), kAd);
  std::string standard = sealed;
  for (std::size_t i = 3; i < standard.size(); ++i) {
    standard[i] = standard[i] == '-' ? '+' : standard[i] == '_' ? '/' : standard[i];
  }
  if (standard != sealed) expectCannotDecrypt(box->open(standard, kAd));
}

TEST(SecretBox, KeyMustBe32Bytes) {
  for (std::size_t size : {0u, 16u, 31u, 33u, 64u}) {
    auto box = SecretBox::fromKey(std::string(size, 'k'));
    ASSERT_FALSE(box.isOk()) << size;
    EXPECT_EQ(box.status().code(), ErrorCode::InvalidArgument);
  }
}

TEST(SecretBox, FromConfigAcceptsEveryKeyShape) {
  const std::string hex(64, 'a');  // 32 bytes of 0xaa
  SecretsConfig inlineHex;
  inlineHex.key = hex + "\n";
  auto fromHex = SecretBox::fromConfig(inlineHex);
  ASSERT_TRUE(fromHex.isOk()) << fromHex.status().message();
  SecretsConfig inlineBase64;
  inlineBase64.key = encodeBase64Url(std::string(32, '\xaa'));
  auto fromBase64 = SecretBox::fromConfig(inlineBase64);
  ASSERT_TRUE(fromBase64.isOk()) << fromBase64.status().message();
  SecretsConfig inlineRaw;
  inlineRaw.key = std::string(32, '\xaa');
  auto fromRaw = SecretBox::fromConfig(inlineRaw);
  ASSERT_TRUE(fromRaw.isOk()) << fromRaw.status().message();
  // The same key in three spellings: each opens what another sealed.
  std::string sealed = (*fromHex)->seal("shared", kAd);
  EXPECT_EQ((*fromBase64)->open(sealed, kAd).value(), "shared");
  EXPECT_EQ((*fromRaw)->open(sealed, kAd).value(), "shared");
}

TEST(SecretBox, FromConfigRefusesAnOpenKeyFileAndBadLengths) {
  testing::ScratchDirectory dir;
  SecretsConfig config;
  config.keyFile = dir.file("switchboard.key");
  std::ofstream(config.keyFile) << std::string(64, 'b') << "\n";
  ASSERT_EQ(::chmod(config.keyFile.c_str(), 0644), 0);
  auto open = SecretBox::fromConfig(config);
  ASSERT_FALSE(open.isOk());
  EXPECT_EQ(open.status().code(), ErrorCode::InvalidArgument);
  EXPECT_NE(open.status().message().find(config.keyFile), std::string::npos);

  ASSERT_EQ(::chmod(config.keyFile.c_str(), 0600), 0);
  EXPECT_TRUE(SecretBox::fromConfig(config).isOk());

  std::ofstream(config.keyFile, std::ios::trunc) << std::string(62, 'b') << "\n";
  auto shortKey = SecretBox::fromConfig(config);
  ASSERT_FALSE(shortKey.isOk());
  EXPECT_NE(shortKey.status().message().find(config.keyFile), std::string::npos);
  EXPECT_NE(shortKey.status().message().find("secrets.key_file"), std::string::npos);
  EXPECT_EQ(shortKey.status().message().find(std::string(62, 'b')), std::string::npos);
}

TEST(SecretBox, ManyThreadsSealAndOpenAtOnce) {
  auto box = boxWithKey('k');
  ASSERT_TRUE(box);
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        std::string value = "secret-" + std::to_string(t) + "-" + std::to_string(i);
        auto opened = box->open(box->seal(value, kAd), kAd);
        if (!opened.isOk() || opened.value() != value) ++failures[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace sb
