#include "plugins/egress_policy.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <utility>

namespace sb {
namespace {

struct RefusedRange {
  IpNetwork network;
  std::string_view rule;
};

// IANA special-purpose registries (RFC 6890 and successors): everything here
// is either this host, a private network, or not a unicast destination.
const std::vector<RefusedRange>& refusedRanges() {
  static const std::vector<RefusedRange> ranges = [] {
    const std::vector<std::pair<const char*, std::string_view>> table{
        {"0.0.0.0/8", "unspecified"},     // "this network"
        {"10.0.0.0/8", "private"},        // RFC 1918
        {"100.64.0.0/10", "cgnat"},       // RFC 6598 shared address space
        {"127.0.0.0/8", "loopback"},
        {"169.254.0.0/16", "link-local"}, // cloud metadata lives here
        {"172.16.0.0/12", "private"},
        {"192.0.0.0/24", "reserved"},     // IETF protocol assignments
        {"192.0.2.0/24", "reserved"},     // documentation
        {"192.168.0.0/16", "private"},
        {"198.18.0.0/15", "reserved"},    // benchmarking
        {"198.51.100.0/24", "reserved"},
        {"203.0.113.0/24", "reserved"},
        {"224.0.0.0/4", "multicast"},
        {"240.0.0.0/4", "reserved"},      // includes 255.255.255.255
        {"::/128", "unspecified"},
        {"::1/128", "loopback"},
        {"::/8", "reserved"},             // IPv4-compatible and other legacy forms
        {"100::/64", "reserved"},         // discard
        {"2001:db8::/32", "reserved"},    // documentation
        {"fc00::/7", "unique-local"},
        {"fe80::/10", "link-local"},
        {"fec0::/10", "reserved"},        // deprecated site-local
        {"ff00::/8", "multicast"},
    };
    std::vector<RefusedRange> out;
    for (const auto& [text, rule] : table) out.push_back({*IpNetwork::parse(text), rule});
    return out;
  }();
  return ranges;
}

// The IPv4 address an IPv6 one stands for, when it embeds one that a
// translator or relay would reach: NAT64 (64:ff9b::/96) and 6to4 (2002::/16).
IpAddress embeddedIpv4(const IpAddress& address) {
  const IpAddress plain = address.unmapped();
  if (plain.family == IpAddress::Family::V4) return plain;
  static const IpNetwork nat64 = *IpNetwork::parse("64:ff9b::/96");
  static const IpNetwork sixToFour = *IpNetwork::parse("2002::/16");
  const auto& b = plain.bytes;
  if (nat64.contains(plain)) return IpAddress::v4(b[12], b[13], b[14], b[15]);
  if (sixToFour.contains(plain)) return IpAddress::v4(b[2], b[3], b[4], b[5]);
  return plain;
}

std::string lowerCase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string describeRule(std::string_view rule) {
  if (rule == "private") return "a private (RFC 1918) address";
  if (rule == "cgnat") return "a carrier-grade NAT (RFC 6598) address";
  if (rule == "unspecified") return "an unspecified address";
  return "a " + std::string(rule) + " address";
}

Status refusal(const std::string& what, std::string_view rule, const std::string& remedy) {
  return {ErrorCode::PermissionDenied,
          "egress policy refused " + what + " (rule: " + std::string(rule) + "); " + remedy, kEgressRefusalField};
}

}  // namespace

std::optional<std::string_view> refusedRange(const IpAddress& address) {
  const IpAddress judged = embeddedIpv4(address);
  for (const RefusedRange& range : refusedRanges()) {
    if (range.network.contains(judged)) return range.rule;
  }
  return std::nullopt;
}

EgressPolicy::EgressPolicy(const EgressConfig& config) : allowHttp_(config.allowHttp) {
  for (const std::string& entry : config.allow) {
    if (auto network = IpNetwork::parse(entry)) {
      networks_.push_back(*network);
    } else if (!entry.empty()) {
      hosts_.push_back(lowerCase(entry));
    }
  }
}

Status EgressPolicy::checkScheme(const std::string& scheme) const {
  const std::string lower = lowerCase(scheme);
  if (lower == "https" || (lower == "http" && allowHttp_)) return Status::ok();
  if (lower == "http") {
    return refusal("a plain http:// request", "https-only",
                   "an operator may allow http for this plugin with plugins.enabled[].egress.allow_http");
  }
  return refusal("the URL scheme \"" + lower + "\"", "https-only", "only https (and http if allowed) is used");
}

Result<std::vector<IpAddress>> EgressPolicy::permittedAddresses(const std::string& host,
                                                               const std::vector<IpAddress>& resolved) const {
  if (resolved.empty()) return Status(ErrorCode::Unavailable, "\"" + host + "\" resolved to no address");
  const bool hostAllowed = std::find(hosts_.begin(), hosts_.end(), lowerCase(host)) != hosts_.end();
  std::vector<IpAddress> permitted;
  std::optional<std::pair<IpAddress, std::string_view>> firstRefused;
  for (const IpAddress& address : resolved) {
    const std::optional<std::string_view> rule = refusedRange(address);
    const bool networkAllowed = std::any_of(networks_.begin(), networks_.end(),
                                            [&](const IpNetwork& network) { return network.contains(address); });
    if (!rule || hostAllowed || networkAllowed) {
      permitted.push_back(address);
    } else if (!firstRefused) {
      firstRefused.emplace(address, *rule);
    }
  }
  if (!permitted.empty()) return permitted;
  const std::string literal = firstRefused->first.toString();
  const std::string what = IpAddress::parse(host) ? literal : "\"" + host + "\", which resolves to " + literal;
  return refusal(what + ", " + describeRule(firstRefused->second), firstRefused->second,
                 "an operator may allow the host or its network for this plugin in plugins.enabled[].egress.allow");
}

Result<std::vector<IpAddress>> resolveHost(const std::string& host) {
  if (auto literal = IpAddress::parse(host)) return std::vector<IpAddress>{*literal};
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &found);
  if (rc != 0) {
    return Status(ErrorCode::Unavailable, "cannot resolve \"" + host + "\": " + ::gai_strerror(rc));
  }
  std::vector<IpAddress> addresses;
  for (const addrinfo* item = found; item != nullptr; item = item->ai_next) {
    IpAddress address;
    if (item->ai_family == AF_INET) {
      const auto* v4 = reinterpret_cast<const sockaddr_in*>(item->ai_addr);
      address.family = IpAddress::Family::V4;
      std::memcpy(address.bytes.data(), &v4->sin_addr, 4);
    } else if (item->ai_family == AF_INET6) {
      const auto* v6 = reinterpret_cast<const sockaddr_in6*>(item->ai_addr);
      address.family = IpAddress::Family::V6;
      std::memcpy(address.bytes.data(), &v6->sin6_addr, 16);
    } else {
      continue;
    }
    if (std::find(addresses.begin(), addresses.end(), address) == addresses.end()) addresses.push_back(address);
  }
  ::freeaddrinfo(found);
  return addresses;
}

}  // namespace sb
