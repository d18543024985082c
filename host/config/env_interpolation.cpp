#include "config/env_interpolation.hpp"

#include <cstdlib>

namespace sb {

EnvLookup processEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    // getenv is safe here: the host never calls setenv after start-up.
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

}  // namespace sb

namespace sb::config {
namespace {

bool isNameStart(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool isNameChar(char c) { return isNameStart(c) || (c >= '0' && c <= '9'); }

bool isValidName(const std::string& name) {
  if (name.empty() || !isNameStart(name.front())) return false;
  for (char c : name) {
    if (!isNameChar(c)) return false;
  }
  return true;
}

// Expands one `${...}` body (the text between the braces).
Result<std::string> expandReference(const std::string& body, const EnvLookup& env) {
  const std::size_t fallbackAt = body.find(":-");
  const std::string name = body.substr(0, fallbackAt);
  if (!isValidName(name)) {
    return Result<std::string>(
        ErrorCode::InvalidArgument,
        "invalid environment variable reference '${" + body.substr(0, 64) +
            "}' (names are [A-Za-z_][A-Za-z0-9_]*)");
  }
  std::optional<std::string> value = env ? env(name) : std::nullopt;
  if (fallbackAt != std::string::npos) {
    // Shell semantics: `:-` also replaces a set-but-empty variable.
    if (!value || value->empty()) return body.substr(fallbackAt + 2);
    return *value;
  }
  if (!value) {
    return Result<std::string>(ErrorCode::InvalidArgument,
                               "environment variable '" + name +
                                   "' is not set (use ${" + name +
                                   ":-default} to give a fallback)");
  }
  return *value;
}

}  // namespace

Result<std::string> interpolateEnv(const std::string& text, const EnvLookup& env) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 3, "$${") == 0) {
      out += "${";
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") != 0) {
      out += text[i++];
      continue;
    }
    const std::size_t close = text.find('}', i + 2);
    if (close == std::string::npos) {
      return Result<std::string>(ErrorCode::InvalidArgument,
                                 "unterminated '${' (write '$${' for a literal '${')");
    }
    Result<std::string> expanded = expandReference(text.substr(i + 2, close - i - 2), env);
    if (!expanded) return expanded;
    out += expanded.value();
    i = close + 1;
  }
  return out;
}

}  // namespace sb::config
