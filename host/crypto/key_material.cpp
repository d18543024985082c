#include "crypto/key_material.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "core/base64_text.hpp"

namespace sb::crypto {
namespace {

std::string trimmed(const std::string& text) {
  const char* blanks = " \t\r\n\v\f";
  std::size_t first = text.find_first_not_of(blanks);
  if (first == std::string::npos) return {};
  std::size_t last = text.find_last_not_of(blanks);
  return text.substr(first, last - first + 1);
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> decodeHex(const std::string& text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    int high = hexValue(text[i]);
    int low = hexValue(text[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
  }
  return out;
}

Status invalid(const std::string& source, const std::string& reason) {
  // The field is the config key alone; `source` may carry a file path.
  std::string field = source.rfind("secrets.key_file", 0) == 0 ? "secrets.key_file" : "secrets.key";
  return {ErrorCode::InvalidArgument, source + ": " + reason, field};
}

Result<std::string> readKeyFile(const std::string& path) {
  const std::string source = "secrets.key_file: " + path;
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    return invalid(source, std::string("cannot read the key file: ") + std::strerror(errno));
  }
  if (!S_ISREG(info.st_mode)) return invalid(source, "the key file is not a regular file");
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
    return invalid(source, std::string("the key file is accessible by group or others (mode ") +
                               mode + "); run chmod 600 on it");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return invalid(source, std::string("cannot open the key file: ") + std::strerror(errno));
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return invalid(source, "reading the key file failed");
  return decodeKeyText(content, source);
}

}  // namespace

Result<std::string> decodeKeyText(const std::string& text, const std::string& source) {
  // Exactly 32 bytes is a raw key, taken as is: trimming could eat key bytes
  // that happen to be whitespace.
  if (text.size() == kKeyBytes) return text;
  const std::string clean = trimmed(text);
  if (clean.empty()) return invalid(source, "the key is empty");
  if (clean.size() == kKeyBytes) return clean;
  if (clean.size() == 2 * kKeyBytes) {
    if (auto bytes = decodeHex(clean)) return *bytes;
  }
  if (auto bytes = decodeBase64(clean)) {
    if (bytes->size() == kKeyBytes) return *bytes;
    return invalid(source, "the key decodes from base64 to " + std::to_string(bytes->size()) +
                               " bytes; AES-256 needs exactly 32");
  }
  return invalid(source, "the key is " + std::to_string(clean.size()) +
                             " characters and neither 32 raw bytes, 64 hex characters nor base64 "
                             "of 32 bytes (try: openssl rand -hex 32)");
}

Result<std::string> loadKey(const SecretsConfig& config) {
  if (!config.key.empty()) return decodeKeyText(config.key, "secrets.key");
  if (!config.keyFile.empty()) return readKeyFile(config.keyFile);
  return Status{ErrorCode::InvalidArgument,
                "secrets: no key configured; set secrets.key or secrets.key_file", "secrets.key"};
}

}  // namespace sb::crypto
