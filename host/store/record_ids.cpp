#include "store/record_ids.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>

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
  // Strictly increasing within the process, so rows ordered "by creation"
  // (created_at, id) come back in the order this instance created them even
  // when several land in the same millisecond.
  static std::atomic<std::int64_t> lastMillis{0};
  std::int64_t millis = Poco::Timestamp().epochMicroseconds() / 1000;
  std::int64_t previous = lastMillis.load();
  std::int64_t chosen = 0;
  do {
    chosen = std::max(millis, previous + 1);
  } while (!lastMillis.compare_exchange_weak(previous, chosen));
  return Poco::DateTimeFormatter::format(Poco::Timestamp(chosen * 1000), "%Y-%m-%dT%H:%M:%S.%iZ");
}

}  // namespace sb::store
