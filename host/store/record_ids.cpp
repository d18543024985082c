#include "store/record_ids.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>

#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include "core/random_text.hpp"

namespace sb::store {

std::string newRecordId(const std::string& prefix) { return prefix + randomUrlSafeText(16); }

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
