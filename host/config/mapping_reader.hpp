// Reads one YAML mapping of the config into typed fields: checks keys
// (unknown -> did-you-mean, duplicates), converts scalars after `${VAR}`
// interpolation, range-checks and resolves paths. The first error wins and
// is kept in a Status shared by every reader of one parse, so section
// parsers read field after field without an error check per line.
// Internal to sb_config. Thread-safety: one parse, one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/config_source.hpp"

namespace sb::config {

// The scalar at `value` as text after env interpolation; `where` is the
// location used when the value is null. Errors carry `path`.
Result<std::string> readScalarText(const YAML::Node& value, const YAML::Mark& where,
                                   const std::string& path, const ConfigSource& source);

// "a sequence", "a mapping", "null" or the quoted scalar, for type errors.
std::string describeNode(const YAML::Node& node);

class MappingReader {
 public:
  // `node` must be a mapping or null (a null section means "all defaults").
  // `where` locates the mapping itself: missing keys are reported there.
  MappingReader(const YAML::Node& node, const YAML::Mark& where, std::string path,
                const ConfigSource& source, Status& status);

  // Rejects keys outside `known` (with a suggestion), non-string and duplicate keys.
  void expectKeys(const std::vector<std::string>& known);

  bool ok() const { return status_.isOk(); }
  bool has(const std::string& key) const { return find(key) != nullptr; }
  const YAML::Mark& where() const { return where_; }
  const std::string& path() const { return path_; }
  const ConfigSource& source() const { return source_; }
  std::string pathOf(const std::string& key) const;

  // Each reader leaves `out` untouched when the key is absent or an error
  // was already recorded.
  void readString(const std::string& key, std::string& out);
  void readInt(const std::string& key, int& out, std::int64_t min, std::int64_t max);
  void readSize(const std::string& key, std::size_t& out, std::int64_t min, std::int64_t max);
  void readOneOf(const std::string& key, std::string& out, const std::vector<std::string>& allowed);
  // true/false in any of YAML's three spellings (true, True, TRUE).
  void readBool(const std::string& key, bool& out);
  // A string made absolute against the config directory ("" stays "").
  void readPath(const std::string& key, std::string& out);

  // A nested mapping (absent or null -> an empty reader).
  MappingReader child(const std::string& key);
  // A reader for a mapping found inside this one (e.g. a list item) that
  // shares this reader's error slot.
  MappingReader nested(const YAML::Node& node, std::string path);
  // The raw value node for structures a section reads itself (lists).
  std::optional<YAML::Node> value(const std::string& key) const;
  // Location of `key`'s value (the key itself when the value is null).
  YAML::Mark markOf(const std::string& key) const;

  // Records an error about `key` (at its value) unless one is already recorded.
  void fail(const std::string& key, const std::string& reason);
  // Records an error at an explicit place.
  void failAt(const YAML::Mark& mark, const std::string& path, const std::string& reason);
  // Keeps `status` unless an error is already recorded.
  void record(const Status& status);

 private:
  struct Entry {
    std::string key;
    YAML::Node keyNode;
    YAML::Node value;
  };
  const Entry* find(const std::string& key) const;
  std::optional<std::string> scalar(const std::string& key);
  std::optional<std::int64_t> integer(const std::string& key, std::int64_t min, std::int64_t max);

  std::vector<Entry> entries_;
  YAML::Mark where_;
  std::string path_;
  const ConfigSource& source_;
  Status& status_;
};

}  // namespace sb::config
