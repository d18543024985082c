#include "store/record_ids.hpp"

#include <array>

#include <Poco/DateTimeFormatter.h>
#include <Poco/RandomStream.h>
#include <Poco/Timestamp.h>

namespace sb::store {

std::string newRecordId(const std::string& prefix) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::array<unsigned char, 16> bytes{};
  Poco::RandomInputStream random;  // /dev/urandom-backed on Linux
  random.read(reinterpret_cast<char*>(bytes.data()), bytes.size());
  std::string id = prefix;
  unsigned int buffer = 0;
  int bits = 0;
  for (unsigned char byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      id += kAlphabet[(buffer >> bits) & 0x3F];
    }
  }
  if (bits > 0) id += kAlphabet[(buffer << (6 - bits)) & 0x3F];
  return id;
}

std::string utcNow() {
  return Poco::DateTimeFormatter::format(Poco::Timestamp(), "%Y-%m-%dT%H:%M:%S.%iZ");
}

}  // namespace sb::store
