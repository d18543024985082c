// switchboard/json.hpp -- a strict RFC 8259 JSON validator and a string escaper
// for plugin authors. Plugins link only the SDK (no JSON library), yet must
// reject malformed settings and write well-formed JSON outputs.
// Ownership: functions borrow their input for the duration of the call.
// Thread-safety: pure functions; call from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::json {

enum class Kind { Object, Array, String, Number, Boolean, Null };

// Why a document is not valid JSON: a byte offset and a reason.
struct SyntaxError {
  std::size_t offset = 0;
  std::string reason;
  std::string describe() const { return "invalid JSON at byte " + std::to_string(offset) + ": " + reason; }
};

namespace detail {

// Nesting beyond this is refused so hostile input cannot exhaust the stack.
inline constexpr int kMaxDepth = 128;

class StrictParser {
 public:
  explicit StrictParser(std::string_view text) : text_(text) {}

  // Parses exactly one value surrounded by optional whitespace.
  std::optional<SyntaxError> run(Kind& topKind) {
    skipSpace();
    if (!value(0, topKind)) return error_;
    skipSpace();
    if (pos_ != text_.size()) {
      fail("unexpected content after the JSON value");
      return error_;
    }
    return std::nullopt;
  }

 private:
  bool fail(std::string reason) {
    error_ = SyntaxError{pos_, std::move(reason)};
    return false;
  }
  bool atEnd() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }
  void skipSpace() {
    while (!atEnd() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) ++pos_;
  }
  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return fail("unknown literal");
    pos_ += word.size();
    return true;
  }

  bool value(int depth, Kind& kind) {
    if (depth > kMaxDepth) return fail("nesting deeper than " + std::to_string(kMaxDepth));
    if (atEnd()) return fail("expected a value, found end of input");
    switch (peek()) {
      case '{': kind = Kind::Object; return object(depth);
      case '[': kind = Kind::Array; return array(depth);
      case '"': kind = Kind::String; return string();
      case 't': kind = Kind::Boolean; return literal("true");
      case 'f': kind = Kind::Boolean; return literal("false");
      case 'n': kind = Kind::Null; return literal("null");
      default:
        kind = Kind::Number;
        if (peek() == '-' || (peek() >= '0' && peek() <= '9')) return number();
        return fail(std::string("unexpected character '") + peek() + "'");
    }
  }

  bool object(int depth) {
    ++pos_;  // '{'
    skipSpace();
    if (!atEnd() && peek() == '}') return ++pos_, true;
    for (;;) {
      skipSpace();
      if (atEnd() || peek() != '"') return fail("expected a string key");
      if (!string()) return false;
      skipSpace();
      if (atEnd() || peek() != ':') return fail("expected ':' after a key");
      ++pos_;
      skipSpace();
      Kind ignored;
      if (!value(depth + 1, ignored)) return false;
      skipSpace();
      if (atEnd()) return fail("unterminated object");
      if (peek() == '}') return ++pos_, true;
      if (peek() != ',') return fail("expected ',' or '}' in object");
      ++pos_;
    }
  }

  bool array(int depth) {
    ++pos_;  // '['
    skipSpace();
    if (!atEnd() && peek() == ']') return ++pos_, true;
    for (;;) {
      skipSpace();
      Kind ignored;
      if (!value(depth + 1, ignored)) return false;
      skipSpace();
      if (atEnd()) return fail("unterminated array");
      if (peek() == ']') return ++pos_, true;
      if (peek() != ',') return fail("expected ',' or ']' in array");
      ++pos_;
    }
  }

  static bool isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  bool escape() {
    ++pos_;  // '\\'
    if (atEnd()) return fail("unterminated escape");
    const char c = peek();
    if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' || c == 'r' || c == 't') {
      ++pos_;
      return true;
    }
    if (c != 'u') return fail("invalid escape sequence");
    ++pos_;
    for (int i = 0; i < 4; ++i, ++pos_) {
      if (atEnd() || !isHex(peek())) return fail("\\u needs four hex digits");
    }
    return true;
  }

  // Validates one UTF-8 sequence (RFC 3629: no overlongs, no surrogates, <= U+10FFFF).
  bool utf8() {
    const auto lead = static_cast<unsigned char>(peek());
    int extra = 0;
    std::uint32_t min = 0;
    std::uint32_t code = 0;
    if (lead >= 0xC2 && lead <= 0xDF) extra = 1, min = 0x80, code = lead & 0x1Fu;
    else if (lead >= 0xE0 && lead <= 0xEF) extra = 2, min = 0x800, code = lead & 0x0Fu;
    else if (lead >= 0xF0 && lead <= 0xF4) extra = 3, min = 0x10000, code = lead & 0x07u;
    else return fail("invalid UTF-8 lead byte");
    ++pos_;
    for (int i = 0; i < extra; ++i, ++pos_) {
      if (atEnd()) return fail("truncated UTF-8 sequence");
      const auto b = static_cast<unsigned char>(peek());
      if ((b & 0xC0u) != 0x80u) return fail("invalid UTF-8 continuation byte");
      code = (code << 6) | (b & 0x3Fu);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return fail("invalid UTF-8 code point");
    }
    return true;
  }

  bool string() {
    ++pos_;  // opening quote
    while (!atEnd()) {
      const auto c = static_cast<unsigned char>(peek());
      if (c == '"') return ++pos_, true;
      if (c == '\\') {
        if (!escape()) return false;
      } else if (c < 0x20) {
        return fail("control character in string");
      } else if (c < 0x80) {
        ++pos_;
      } else if (!utf8()) {
        return false;
      }
    }
    return fail("unterminated string");
  }

  bool digits() {
    const std::size_t start = pos_;
    while (!atEnd() && peek() >= '0' && peek() <= '9') ++pos_;
    return pos_ > start;
  }

  bool number() {
    if (peek() == '-') ++pos_;
    if (atEnd()) return fail("expected digits");
    if (peek() == '0') {
      ++pos_;
      if (!atEnd() && peek() >= '0' && peek() <= '9') return fail("leading zero in number");
    } else if (!digits()) {
      return fail("expected digits");
    }
    if (!atEnd() && peek() == '.') {
      ++pos_;
      if (!digits()) return fail("expected digits after '.'");
    }
    if (!atEnd() && (peek() == 'e' || peek() == 'E')) {
      ++pos_;
      if (!atEnd() && (peek() == '+' || peek() == '-')) ++pos_;
      if (!digits()) return fail("expected exponent digits");
    }
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  SyntaxError error_;
};

}  // namespace detail

// Checks that `text` is exactly one well-formed JSON value (UTF-8, RFC 8259,
// no trailing content, nesting depth limited). Returns the first problem.
inline std::optional<SyntaxError> validate(std::string_view text) {
  Kind kind = Kind::Null;
  return detail::StrictParser(text).run(kind);
}

// Like validate(), and additionally requires the top-level value to be an
// object -- the shape of plugin settings and of every capability request.
inline std::optional<SyntaxError> validateObject(std::string_view text) {
  Kind kind = Kind::Null;
  if (auto problem = detail::StrictParser(text).run(kind)) return problem;
  if (kind != Kind::Object) return SyntaxError{0, "expected a JSON object"};
  return std::nullopt;
}

// Returns `text` as a quoted JSON string literal. Control characters are
// escaped; other bytes pass through, so valid UTF-8 in means valid JSON out.
inline std::string quote(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0x0F]);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace switchboard::json
