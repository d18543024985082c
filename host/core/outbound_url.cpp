#include "core/outbound_url.hpp"

#include <algorithm>
#include <cctype>

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace sb {

std::optional<std::string> outboundUrlProblem(std::string_view url) {
  if (url.empty()) return std::string("is empty");
  const bool unsafeCharacter = std::any_of(url.begin(), url.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte <= 0x20 || byte == 0x7F || c == '\\';
  });
  if (unsafeCharacter) return std::string("contains a space, a control character or a backslash");
  const std::size_t colon = url.find(':');
  std::string scheme(url.substr(0, colon == std::string_view::npos ? 0 : colon));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (scheme != "http" && scheme != "https") {
    // Only a scheme made of letters is named: anything else is not one.
    const bool named = !scheme.empty() && scheme.size() <= 16 &&
                       std::all_of(scheme.begin(), scheme.end(), [](unsigned char c) { return std::isalpha(c); });
    return named ? "has the scheme \"" + scheme + "\", not http or https"
                 : std::string("is not an absolute http or https URL");
  }
  const std::string_view rest = url.substr(colon + 1);
  if (rest.substr(0, 2) != "//") return std::string("is not an absolute http or https URL");
  const std::string_view authority = rest.substr(2, rest.find_first_of("/?#", 2) - 2);
  if (authority.find('@') != std::string_view::npos) return std::string("carries user info (credentials)");
  try {
    const Poco::URI parsed{std::string(url)};
    if (parsed.getHost().empty()) return std::string("has no host");
  } catch (const Poco::Exception&) {
    return std::string("is not a well-formed URL");
  }
  return std::nullopt;
}

}  // namespace sb
