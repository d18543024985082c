#include "config/mapping_reader.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include "config/env_interpolation.hpp"
#include "config/key_suggestion.hpp"
#include "config/path_resolution.hpp"

namespace sb::config {
namespace {

// Decimal only: ports and sizes written in hex or octal are more likely a
// mistake than an intent.
std::optional<std::int64_t> parseDecimal(const std::string& text) {
  std::string_view digits = text;
  if (!digits.empty() && digits.front() == '+') {
    digits.remove_prefix(1);
    if (!digits.empty() && digits.front() == '-') return std::nullopt;
  }
  std::int64_t value = 0;
  const char* end = digits.data() + digits.size();
  auto [ptr, error] = std::from_chars(digits.data(), end, value);
  if (digits.empty() || error != std::errc() || ptr != end) return std::nullopt;
  return value;
}

bool looksInteger(const std::string& text) {
  std::string_view digits = text;
  if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) digits.remove_prefix(1);
  return !digits.empty() &&
         std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string joinQuoted(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) {
    if (!out.empty()) out += ", ";
    out += "'" + word + "'";
  }
  return out;
}

}  // namespace

std::string describeNode(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence: return "a sequence";
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Scalar: {
      const std::string& text = node.Scalar();
      return "'" + (text.size() > 40 ? text.substr(0, 40) + "..." : text) + "'";
    }
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: return "null";
  }
  return "null";
}

Result<std::string> readScalarText(const YAML::Node& value, const YAML::Mark& where,
                                   const std::string& path, const ConfigSource& source) {
  if (!value.IsScalar()) {
    const YAML::Mark at = value.IsNull() ? where : value.Mark();
    return configError(source.displayName, at, path,
                       "expected a string, got " + describeNode(value));
  }
  Result<std::string> text = interpolateEnv(value.Scalar(), source.env);
  if (!text) return configError(source.displayName, value.Mark(), path, text.status().message());
  return text;
}

MappingReader::MappingReader(const YAML::Node& node, const YAML::Mark& where, std::string path,
                             const ConfigSource& source, Status& status)
    : where_(where), path_(std::move(path)), source_(source), status_(status) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsMap()) {
    failAt(node.Mark(), path_, "expected a mapping, got " + describeNode(node));
    return;
  }
  where_ = node.Mark();
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->first.IsScalar()) {
      failAt(it->first.Mark(), path_, "keys must be strings, got " + describeNode(it->first));
      return;
    }
    entries_.push_back(Entry{it->first.Scalar(), it->first, it->second});
  }
}

std::string MappingReader::pathOf(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

void MappingReader::expectKeys(const std::vector<std::string>& known) {
  std::set<std::string> seen;
  for (const Entry& entry : entries_) {
    if (!ok()) return;
    if (std::find(known.begin(), known.end(), entry.key) == known.end()) {
      std::string reason = "unknown key";
      if (auto suggestion = closestKey(entry.key, known)) {
        reason += " (did you mean '" + *suggestion + "'?)";
      } else {
        reason += " (expected one of " + joinQuoted(known) + ")";
      }
      failAt(entry.keyNode.Mark(), pathOf(entry.key), reason);
    } else if (!seen.insert(entry.key).second) {
      failAt(entry.keyNode.Mark(), pathOf(entry.key), "duplicate key");
    }
  }
}

const MappingReader::Entry* MappingReader::find(const std::string& key) const {
  for (const Entry& entry : entries_) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

std::optional<YAML::Node> MappingReader::value(const std::string& key) const {
  const Entry* entry = find(key);
  if (entry == nullptr) return std::nullopt;
  return entry->value;
}

YAML::Mark MappingReader::markOf(const std::string& key) const {
  const Entry* entry = find(key);
  if (entry == nullptr) return where_;
  // yaml-cpp marks an empty value at the start of the next line; the key is
  // where the operator needs to look.
  return entry->value.IsNull() ? entry->keyNode.Mark() : entry->value.Mark();
}

void MappingReader::fail(const std::string& key, const std::string& reason) {
  failAt(markOf(key), pathOf(key), reason);
}

void MappingReader::failAt(const YAML::Mark& mark, const std::string& path,
                           const std::string& reason) {
  if (ok()) status_ = configError(source_.displayName, mark, path, reason);
}

void MappingReader::record(const Status& status) {
  if (ok() && !status.isOk()) status_ = status;
}

std::optional<std::string> MappingReader::scalar(const std::string& key) {
  const Entry* entry = find(key);
  if (!ok() || entry == nullptr) return std::nullopt;
  Result<std::string> text = readScalarText(entry->value, entry->keyNode.Mark(), pathOf(key), source_);
  if (!text) {
    record(text.status());
    return std::nullopt;
  }
  return std::move(text).value();
}

std::optional<std::int64_t> MappingReader::integer(const std::string& key, std::int64_t min,
                                                   std::int64_t max) {
  const Entry* entry = find(key);
  if (!ok() || entry == nullptr) return std::nullopt;
  if (!entry->value.IsScalar()) {
    fail(key, "expected an integer, got " + describeNode(entry->value));
    return std::nullopt;
  }
  std::optional<std::string> text = scalar(key);
  if (!text) return std::nullopt;
  const std::string range = "between " + std::to_string(min) + " and " + std::to_string(max);
  std::optional<std::int64_t> number = parseDecimal(*text);
  if (!number) {
    if (looksInteger(*text)) {
      fail(key, "must be " + range + ", got " + *text);
    } else {
      fail(key, "expected an integer, got '" + text->substr(0, 40) + "'");
    }
    return std::nullopt;
  }
  if (*number < min || *number > max) {
    fail(key, "must be " + range + ", got " + std::to_string(*number));
    return std::nullopt;
  }
  return number;
}

void MappingReader::readString(const std::string& key, std::string& out) {
  if (std::optional<std::string> text = scalar(key)) out = std::move(*text);
}

void MappingReader::readInt(const std::string& key, int& out, std::int64_t min, std::int64_t max) {
  if (auto number = integer(key, min, max)) out = static_cast<int>(*number);
}

void MappingReader::readSize(const std::string& key, std::size_t& out, std::int64_t min,
                             std::int64_t max) {
  if (auto number = integer(key, min, max)) out = static_cast<std::size_t>(*number);
}

void MappingReader::readOneOf(const std::string& key, std::string& out,
                              const std::vector<std::string>& allowed) {
  std::optional<std::string> text = scalar(key);
  if (!text) return;
  if (std::find(allowed.begin(), allowed.end(), *text) == allowed.end()) {
    fail(key, "must be one of " + joinQuoted(allowed) + ", got '" + text->substr(0, 40) + "'");
    return;
  }
  out = std::move(*text);
}

void MappingReader::readBool(const std::string& key, bool& out) {
  std::optional<std::string> text = scalar(key);
  if (!text) return;
  for (const char* yes : {"true", "True", "TRUE"}) {
    if (*text == yes) {
      out = true;
      return;
    }
  }
  for (const char* no : {"false", "False", "FALSE"}) {
    if (*text == no) {
      out = false;
      return;
    }
  }
  fail(key, "expected true or false, got '" + text->substr(0, 40) + "'");
}

void MappingReader::readPath(const std::string& key, std::string& out) {
  std::optional<std::string> text = scalar(key);
  if (!text) return;
  try {
    out = resolveAgainst(source_.baseDirectory, *text);
  } catch (const std::exception& error) {
    fail(key, std::string("not a usable path: ") + error.what());
  }
}

MappingReader MappingReader::child(const std::string& key) {
  const Entry* entry = find(key);
  if (entry == nullptr) return MappingReader(YAML::Node(), where_, pathOf(key), source_, status_);
  return MappingReader(entry->value, entry->keyNode.Mark(), pathOf(key), source_, status_);
}

MappingReader MappingReader::nested(const YAML::Node& node, std::string path) {
  return MappingReader(node, node.Mark(), std::move(path), source_, status_);
}

}  // namespace sb::config
