#include "http/conditional_get.hpp"

#include <cstdint>
#include <cstdio>
#include <optional>
#include <vector>

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

namespace {

struct EntityTag {
  bool weak = false;
  std::string_view opaque;  // between the quotes
};

// An If-Match / If-None-Match field value: `*` alone, or a comma-separated
// #entity-tag list where empty elements are allowed (RFC 9110 §5.6.1, §8.8.3).
// nullopt for anything else (a malformed field); `star` for `*`.
struct EntityTagList {
  bool star = false;
  std::vector<EntityTag> tags;
};

std::optional<EntityTagList> parseEntityTags(std::string_view field) {
  EntityTagList list;
  std::size_t i = 0;
  auto skipSpace = [&] {
    while (i < field.size() && isSpace(field[i])) ++i;
  };
  skipSpace();
  if (i < field.size() && field[i] == '*') {
    ++i;
    skipSpace();
    if (i != field.size()) return std::nullopt;
    list.star = true;
    return list;
  }
  while (i < field.size()) {
    skipSpace();
    if (i < field.size() && field[i] == ',') {
      ++i;
      continue;
    }
    if (i >= field.size()) break;
    EntityTag tag;
    if (field.compare(i, 2, "W/") == 0) {
      tag.weak = true;
      i += 2;
    }
    if (i >= field.size() || field[i] != '"') return std::nullopt;
    const std::size_t close = field.find('"', i + 1);
    if (close == std::string_view::npos) return std::nullopt;
    tag.opaque = field.substr(i + 1, close - i - 1);
    list.tags.push_back(tag);
    i = close + 1;
    skipSpace();
    if (i < field.size() && field[i] != ',') return std::nullopt;
  }
  if (list.tags.empty()) return std::nullopt;
  return list;
}

}  // namespace

bool ifNoneMatchMatches(std::string_view field, std::string_view etag) {
  const auto list = parseEntityTags(field);
  if (!list) return false;  // malformed: no match
  if (list->star) return true;
  // Weak comparison: W/ is ignored on both sides.
  std::string_view wanted = opaqueTag(etag);
  if (wanted.size() >= 2 && wanted.front() == '"' && wanted.back() == '"') wanted = wanted.substr(1, wanted.size() - 2);
  for (const EntityTag& tag : list->tags) {
    if (tag.opaque == wanted) return true;
  }
  return false;
}

std::optional<std::vector<std::string>> ifMatchTags(std::string_view field) {
  const auto list = parseEntityTags(field);
  if (!list) return std::nullopt;
  if (list->star) return std::vector<std::string>{"*"};
  std::vector<std::string> tags;
  for (const EntityTag& tag : list->tags) {
    if (!tag.weak) tags.emplace_back(tag.opaque);  // a weak tag never matches strongly
  }
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
