#include "config/settings_json.hpp"

#include <charconv>
#include <regex>
#include <set>
#include <sstream>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "config/env_interpolation.hpp"
#include "config/mapping_reader.hpp"

namespace sb::config {
namespace {

// Aliases can make a node refer to itself (`&a [*a]`) or fan out
// exponentially; both limits turn that into an error instead of a hang.
constexpr int kMaxDepth = 32;
constexpr long kMaxNodes = 100000;

class SettingsConverter {
 public:
  explicit SettingsConverter(const ConfigSource& source) : source_(source) {}

  Result<Poco::Dynamic::Var> convert(const YAML::Node& node, const std::string& path, int depth) {
    if (depth > kMaxDepth) return error(node, path, "nested too deeply");
    if (++nodes_ > kMaxNodes) return error(node, path, "too many values");
    switch (node.Type()) {
      case YAML::NodeType::Map: return convertMap(node, path, depth);
      case YAML::NodeType::Sequence: return convertSequence(node, path, depth);
      case YAML::NodeType::Scalar: return convertScalar(node, path);
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined: break;
    }
    return Poco::Dynamic::Var();  // empty Var stringifies as null
  }

 private:
  Status error(const YAML::Node& node, const std::string& path, const std::string& reason) {
    return configError(source_.displayName, node.Mark(), path, reason);
  }

  Result<Poco::Dynamic::Var> convertMap(const YAML::Node& node, const std::string& path, int depth) {
    Poco::JSON::Object::Ptr object = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (!it->first.IsScalar()) {
        return error(it->first, path, "keys must be strings, got " + describeNode(it->first));
      }
      const std::string& key = it->first.Scalar();
      const std::string childPath = path + "." + key;
      if (!seen.insert(key).second) return error(it->first, childPath, "duplicate key");
      Result<Poco::Dynamic::Var> value = convert(it->second, childPath, depth + 1);
      if (!value) return value;
      object->set(key, value.value());
    }
    return Poco::Dynamic::Var(object);
  }

  Result<Poco::Dynamic::Var> convertSequence(const YAML::Node& node, const std::string& path,
                                             int depth) {
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array();
    for (std::size_t i = 0; i < node.size(); ++i) {
      Result<Poco::Dynamic::Var> value =
          convert(node[i], path + "[" + std::to_string(i) + "]", depth + 1);
      if (!value) return value;
      array->add(value.value());
    }
    return Poco::Dynamic::Var(array);
  }

  Result<Poco::Dynamic::Var> convertScalar(const YAML::Node& node, const std::string& path) {
    Result<std::string> text = interpolateEnv(node.Scalar(), source_.env);
    if (!text) return error(node, path, text.status().message());
    // yaml-cpp tags plain scalars "?" and quoted ones "!": quoting is how an
    // operator says "this is a string".
    if (node.Tag() != "?") return Poco::Dynamic::Var(text.value());
    return typedPlainScalar(text.value());
  }

  static Poco::Dynamic::Var typedPlainScalar(const std::string& text) {
    static const std::regex kNull("null|Null|NULL|~");
    static const std::regex kTrue("true|True|TRUE");
    static const std::regex kFalse("false|False|FALSE");
    static const std::regex kDecimal("[-+]?[0-9]+");
    static const std::regex kOctal("0o[0-7]+");
    static const std::regex kHex("0x[0-9a-fA-F]+");
    static const std::regex kFloat("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    if (text.empty() || std::regex_match(text, kNull)) return Poco::Dynamic::Var();
    if (std::regex_match(text, kTrue)) return Poco::Dynamic::Var(true);
    if (std::regex_match(text, kFalse)) return Poco::Dynamic::Var(false);
    if (std::regex_match(text, kDecimal)) {
      const std::string digits = text.front() == '+' ? text.substr(1) : text;
      if (auto value = parseInteger(digits, 10)) return Poco::Dynamic::Var(*value);
    } else if (std::regex_match(text, kOctal)) {
      if (auto value = parseInteger(text.substr(2), 8)) return Poco::Dynamic::Var(*value);
    } else if (std::regex_match(text, kHex)) {
      if (auto value = parseInteger(text.substr(2), 16)) return Poco::Dynamic::Var(*value);
    } else if (std::regex_match(text, kFloat)) {
      // .inf and .nan have no JSON form; they stay strings like any other word.
      std::istringstream in(text);
      in.imbue(std::locale::classic());
      double value = 0;
      if (in >> value) return Poco::Dynamic::Var(value);
    }
    // Out-of-range integers stay strings rather than silently losing digits.
    return Poco::Dynamic::Var(text);
  }

  static std::optional<Poco::Int64> parseInteger(const std::string& digits, int base) {
    Poco::Int64 value = 0;
    const char* end = digits.data() + digits.size();
    auto [ptr, error] = std::from_chars(digits.data(), end, value, base);
    if (error != std::errc() || ptr != end) return std::nullopt;
    return value;
  }

  const ConfigSource& source_;
  long nodes_ = 0;
};

}  // namespace

Result<std::string> settingsToJson(const YAML::Node& settings, const std::string& path,
                                   const ConfigSource& source) {
  if (!settings.IsDefined() || settings.IsNull()) return std::string("{}");
  if (!settings.IsMap()) {
    return configError(source.displayName, settings.Mark(), path,
                       "expected a mapping, got " + describeNode(settings));
  }
  SettingsConverter converter(source);
  Result<Poco::Dynamic::Var> value = converter.convert(settings, path, 0);
  if (!value) return value.status();
  std::ostringstream out;
  value.value().extract<Poco::JSON::Object::Ptr>()->stringify(out);
  return out.str();
}

}  // namespace sb::config
