// switchboard/time.hpp -- times as providers send them and as people read
// them: ISO 8601 / RFC 3339 timestamps, Unix epoch seconds (rate-limit reset
// headers), Retry-After (delta-seconds or an HTTP-date, RFC 9110 §10.2.3),
// and human durations for status summaries ("2m ago", "on 2011-01-26").
// Header-only, no dependency beyond the standard library; nothing throws.
// Thread-safety: pure functions.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::time {

namespace detail {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
constexpr std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

constexpr Civil civilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2 ? 1 : 0), m, d};
}

constexpr bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
constexpr unsigned daysIn(std::int64_t y, unsigned m) {
  constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `count` digits at `at`.
inline std::optional<unsigned> digits(std::string_view text, std::size_t& at, std::size_t count) {
  if (at + count > text.size()) return std::nullopt;
  unsigned value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[at + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  at += count;
  return value;
}

inline std::string twoDigits(unsigned value) {
  return std::string(1, static_cast<char>('0' + value / 10)) + static_cast<char>('0' + value % 10);
}

inline std::string_view trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

}  // namespace detail

// "2026-11-23T10:00:00Z", with fractions ("…00.123Z"), offsets ("+02:00",
// "-0530") or a space for the T -> epoch ms; nullopt when malformed or not a
// real date (2026-02-30, 25:00). A missing offset is malformed: a provider's
// local time is unknowable.
inline std::optional<std::int64_t> parseIso8601Ms(std::string_view text) {
  using detail::digits;
  std::size_t at = 0;
  auto year = digits(text, at, 4);
  if (!year || at >= text.size() || text[at++] != '-') return std::nullopt;
  auto month = digits(text, at, 2);
  if (!month || at >= text.size() || text[at++] != '-') return std::nullopt;
  auto day = digits(text, at, 2);
  if (!day || at >= text.size() || (text[at] != 'T' && text[at] != 't' && text[at] != ' ')) return std::nullopt;
  ++at;
  auto hour = digits(text, at, 2);
  if (!hour || at >= text.size() || text[at++] != ':') return std::nullopt;
  auto minute = digits(text, at, 2);
  if (!minute || at >= text.size() || text[at++] != ':') return std::nullopt;
  auto second = digits(text, at, 2);
  if (!second) return std::nullopt;
  if (*month < 1 || *month > 12 || *day < 1 || *day > detail::daysIn(*year, *month) || *hour > 23 || *minute > 59 ||
      *second > 60) {
    return std::nullopt;
  }
  std::int64_t millis = 0;
  if (at < text.size() && (text[at] == '.' || text[at] == ',')) {
    ++at;
    std::size_t count = 0;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      if (count < 3) millis = millis * 10 + (text[at] - '0');
      ++count;
      ++at;
    }
    if (count == 0) return std::nullopt;
    for (std::size_t i = count; i < 3; ++i) millis *= 10;
  }
  if (at >= text.size()) return std::nullopt;
  std::int64_t offsetMinutes = 0;
  if (text[at] == 'Z' || text[at] == 'z') {
    ++at;
  } else if (text[at] == '+' || text[at] == '-') {
    const int sign = text[at++] == '-' ? -1 : 1;
    auto offsetHours = digits(text, at, 2);
    if (!offsetHours) return std::nullopt;
    if (at < text.size() && text[at] == ':') ++at;
    auto offsetMins = digits(text, at, 2);
    if (!offsetMins || *offsetHours > 23 || *offsetMins > 59) return std::nullopt;
    offsetMinutes = sign * static_cast<std::int64_t>(*offsetHours * 60 + *offsetMins);
  } else {
    return std::nullopt;
  }
  if (at != text.size()) return std::nullopt;
  const std::int64_t days = detail::daysFromCivil(*year, *month, *day);
  const std::int64_t seconds = days * 86400 + *hour * 3600 + *minute * 60 + std::min<unsigned>(*second, 59);
  return (seconds - offsetMinutes * 60) * 1000 + millis;
}

// UTC, second precision: "2026-11-23T10:00:00Z".
inline std::string formatIso8601(std::int64_t epochMs) {
  std::int64_t seconds = epochMs / 1000 - (epochMs % 1000 < 0 ? 1 : 0);
  std::int64_t days = seconds / 86400;
  std::int64_t rest = seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  const auto civil = detail::civilFromDays(days);
  const auto h = static_cast<unsigned>(rest / 3600);
  const auto m = static_cast<unsigned>(rest % 3600 / 60);
  const auto s = static_cast<unsigned>(rest % 60);
  return std::to_string(civil.year) + "-" + detail::twoDigits(civil.month) + "-" + detail::twoDigits(civil.day) +
         "T" + detail::twoDigits(h) + ":" + detail::twoDigits(m) + ":" + detail::twoDigits(s) + "Z";
}

// The UTC date, "2011-01-26".
inline std::string formatDate(std::int64_t epochMs) { return formatIso8601(epochMs).substr(0, 10); }

// How long ago `thenMs` was, as a status summary says it: "just now" (under a
// minute, or in the future: clocks differ), "2m ago", "3h ago", "5d ago", and
// "on 2011-01-26" from 30 days on, where a count of days stops meaning much.
inline std::string relativeAge(std::int64_t nowMs, std::int64_t thenMs) {
  constexpr std::int64_t kThirtyDays = 30 * 86400;
  const std::int64_t seconds = (nowMs - thenMs) / 1000;
  if (seconds < 60) return "just now";
  if (seconds < 3600) return std::to_string(seconds / 60) + "m ago";
  if (seconds < 86400) return std::to_string(seconds / 3600) + "h ago";
  if (seconds < kThirtyDays) return std::to_string(seconds / 86400) + "d ago";
  return "on " + formatDate(thenMs);
}

// Unix seconds as rate-limit reset headers send them ("1732356000"); nullopt
// when absent or not 1-12 decimal digits.
inline std::optional<std::int64_t> parseEpochSeconds(std::string_view text) {
  text = detail::trimmed(text);
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// An IMF-fixdate (RFC 9110 §5.6.7), "Sun, 06 Nov 1994 08:49:37 GMT", -> epoch ms.
inline std::optional<std::int64_t> parseHttpDateMs(std::string_view text) {
  text = detail::trimmed(text);
  constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
  if (text.size() != 29 || text[3] != ',' || text[4] != ' ' || text.substr(25) != " GMT") return std::nullopt;
  std::size_t at = 5;
  auto day = detail::digits(text, at, 2);
  if (!day || text[at] != ' ') return std::nullopt;
  const std::size_t month = kMonths.find(text.substr(8, 3));
  if (month == std::string_view::npos || month % 3 != 0 || text[11] != ' ') return std::nullopt;
  at = 12;
  auto year = detail::digits(text, at, 4);
  if (!year || text[at] != ' ') return std::nullopt;
  const std::string iso = std::string(text.substr(12, 4)) + "-" + detail::twoDigits(static_cast<unsigned>(month / 3 + 1)) +
                          "-" + std::string(text.substr(5, 2)) + "T" + std::string(text.substr(17, 8)) + "Z";
  return parseIso8601Ms(iso);
}

// Retry-After as delta-seconds or an HTTP-date (then the seconds from `nowMs`,
// rounded up, 0 when past); nullopt when absent or malformed.
inline std::optional<std::int64_t> parseRetryAfterSeconds(std::string_view value, std::int64_t nowMs) {
  value = detail::trimmed(value);
  if (value.empty()) return std::nullopt;
  if (auto seconds = parseEpochSeconds(value); seconds && value.size() <= 10) return seconds;
  auto at = parseHttpDateMs(value);
  if (!at) return std::nullopt;
  return *at <= nowMs ? 0 : (*at - nowMs + 999) / 1000;
}

}  // namespace switchboard::time
