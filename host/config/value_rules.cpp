#include "config/value_rules.hpp"

#include <exception>

#include <Poco/URI.h>

namespace sb::config {

bool isValidName(const std::string& name) {
  if (name.empty() || name.size() > 64 || name.front() < 'a' || name.front() > 'z') return false;
  for (char c : name) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!allowed) return false;
  }
  return true;
}

std::string nameRule() { return "must match [a-z][a-z0-9_-]* (at most 64 characters)"; }

bool isHttpUrl(const std::string& text) {
  try {
    Poco::URI uri(text);
    return (uri.getScheme() == "http" || uri.getScheme() == "https") && !uri.getHost().empty();
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace sb::config
