// plugins.enabled[].egress: what the operator allows one plugin to reach
// beyond the default egress policy (see EgressConfig).
#include <algorithm>
#include <cctype>

#include "config/sections.hpp"
#include "core/ip_address.hpp"

namespace sb::config {
namespace {

constexpr std::size_t kMaxAllowEntries = 256;

// RFC 1123 host names: dot-separated labels of letters, digits and inner
// hyphens, at most 63 characters each and 253 in all.
bool isHostName(const std::string& name) {
  if (name.empty() || name.size() > 253) return false;
  std::size_t labelStart = 0;
  for (std::size_t i = 0; i <= name.size(); ++i) {
    if (i < name.size() && name[i] != '.') {
      const char c = name[i];
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
      continue;
    }
    const std::size_t length = i - labelStart;
    if (length == 0 || length > 63 || name[labelStart] == '-' || name[i - 1] == '-') return false;
    labelStart = i + 1;
  }
  return true;
}

std::string lowerCase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// One allow-list entry, normalised (host names lower case), or why it is not one.
Result<std::string> allowEntry(const std::string& text) {
  if (IpNetwork::parse(text)) return text;
  const std::size_t slash = text.find('/');
  if (slash != std::string::npos && IpAddress::parse(text.substr(0, slash))) {
    return Status(ErrorCode::InvalidArgument,
                  "'" + text.substr(0, 64) + "' is not an IP network: write ADDRESS/PREFIX with the host bits zero, "
                  "e.g. 10.0.0.0/8 or fd00::/8");
  }
  if (text.find('*') != std::string::npos) {
    return Status(ErrorCode::InvalidArgument,
                  "'" + text.substr(0, 64) + "': wildcards are not supported; name each host");
  }
  if (!isHostName(text)) {
    return Status(ErrorCode::InvalidArgument,
                  "'" + text.substr(0, 64) + "' is neither a host name nor an IP network (CIDR)");
  }
  return lowerCase(text);
}

void readAllowList(MappingReader& egress, EgressConfig& out) {
  std::optional<YAML::Node> allow = egress.value("allow");
  if (!egress.ok() || !allow || allow->IsNull()) return;
  if (!allow->IsSequence()) {
    egress.fail("allow", "expected a list of host names or IP networks, got " + describeNode(*allow));
    return;
  }
  if (allow->size() > kMaxAllowEntries) {
    egress.fail("allow", "more than " + std::to_string(kMaxAllowEntries) + " entries");
    return;
  }
  for (std::size_t i = 0; i < allow->size() && egress.ok(); ++i) {
    const YAML::Node item = (*allow)[i];
    const std::string path = egress.pathOf("allow") + "[" + std::to_string(i) + "]";
    Result<std::string> text = readScalarText(item, item.Mark(), path, egress.source());
    if (!text) {
      egress.record(text.status());
      return;
    }
    Result<std::string> entry = allowEntry(*text);
    if (!entry) {
      egress.failAt(item.Mark(), path, entry.status().message());
      return;
    }
    out.allow.push_back(std::move(entry).value());
  }
}

}  // namespace

void readEgressSection(MappingReader& egress, EgressConfig& out) {
  egress.expectKeys({"allow_http", "allow"});
  egress.readBool("allow_http", out.allowHttp);
  readAllowList(egress, out);
}

}  // namespace sb::config
