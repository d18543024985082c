#include "http/conditional_get.hpp"

#include <cstdint>
#include <cstdio>

namespace sb::http {
namespace {

// FNV-1a, 64-bit: a validator only has to change when the bytes change; it is
// not a security boundary (the representation is not secret from its reader).
std::uint64_t fnv1a(std::string_view bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

// The opaque-tag of an entity-tag, quotes included, without a W/ prefix.
std::string_view opaqueTag(std::string_view tag) {
  if (tag.size() >= 2 && tag[0] == 'W' && tag[1] == '/') tag.remove_prefix(2);
  return tag;
}

bool isSpace(char c) { return c == ' ' || c == '\t'; }

}  // namespace

std::string weakEtagFor(std::string_view body) {
  char text[32];
  std::snprintf(text, sizeof text, "W/\"%016llx\"", static_cast<unsigned long long>(fnv1a(body)));
  return text;
}

bool ifNoneMatchMatches(std::string_view field, std::string_view etag) {
  std::size_t i = 0;
  auto skipSpace = [&] {
    while (i < field.size() && isSpace(field[i])) ++i;
  };
  skipSpace();
  if (i < field.size() && field[i] == '*') {
    ++i;
    skipSpace();
    return i == field.size();
  }
  const std::string_view wanted = opaqueTag(etag);
  // #entity-tag: comma-separated, empty elements allowed (RFC 9110 §5.6.1).
  while (i < field.size()) {
    skipSpace();
    if (i < field.size() && field[i] == ',') {
      ++i;
      continue;
    }
    const std::size_t start = i;
    if (field.compare(i, 2, "W/") == 0) i += 2;
    if (i >= field.size() || field[i] != '"') return false;  // malformed: no match
    const std::size_t close = field.find('"', i + 1);
    if (close == std::string_view::npos) return false;
    i = close + 1;
    if (opaqueTag(field.substr(start, i - start)) == wanted) return true;
    skipSpace();
    if (i < field.size() && field[i] != ',') return false;
  }
  return false;
}

std::optional<std::vector<std::string>> ifMatchTags(std::string_view field) {
  std::vector<std::string> tags;
  std::size_t i = 0;
  auto skipSpace = [&] {
    while (i < field.size() && isSpace(field[i])) ++i;
  };
  skipSpace();
  if (i < field.size() && field[i] == '*') {
    ++i;
    skipSpace();
    if (i != field.size()) return std::nullopt;
    return std::vector<std::string>{"*"};
  }
  bool any = false;
  while (i < field.size()) {
    skipSpace();
    if (i < field.size() && field[i] == ',') {
      ++i;
      continue;
    }
    if (i >= field.size()) break;
    bool weak = false;
    if (field.compare(i, 2, "W/") == 0) {
      weak = true;
      i += 2;
    }
    if (i >= field.size() || field[i] != '"') return std::nullopt;
    const std::size_t close = field.find('"', i + 1);
    if (close == std::string_view::npos) return std::nullopt;
    if (!weak) tags.emplace_back(field.substr(i + 1, close - i - 1));
    any = true;
    i = close + 1;
    skipSpace();
    if (i < field.size() && field[i] != ',') return std::nullopt;
  }
  if (!any) return std::nullopt;
  return tags;
}

ApiReply withConditionalGet(ApiReply reply, const ApiRequest& request,
                            const std::string& cacheControl) {
  if (reply.status != 200) return reply;
  // A reply rendered for reuse carries its ETag already: hashing its body on
  // every read would cost more than the rest of a cached read.
  std::string etag;
  for (const auto& [name, value] : reply.headers) {
    if (name == "ETag") etag = value;
  }
  if (etag.empty()) {
    etag = weakEtagFor(reply.body);
    reply.headers.emplace_back("ETag", etag);
  }
  reply.headers.emplace_back("Cache-Control", cacheControl);
  if (request.ifNoneMatch && ifNoneMatchMatches(*request.ifNoneMatch, etag)) {
    reply.status = 304;
    reply.body.clear();
    reply.contentType.clear();
  }
  return reply;
}

}  // namespace sb::http
