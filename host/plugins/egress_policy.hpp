// The egress policy every plugin HTTP request goes through (status, actions,
// connections and sync alike): https only unless the operator allows http,
// and no destination that resolves to a loopback, private (RFC 1918),
// link-local, unique-local, CGNAT, multicast, unspecified or reserved address
// unless the operator allow-lists its host name or network in
// `plugins.enabled[].egress`. The client connects only to addresses checked
// here, so a name that resolves differently the second time (DNS rebinding)
// cannot get round it. A refusal is PermissionDenied with field "egress" and
// a message naming the rule.
// Thread-safety: an EgressPolicy is immutable; everything here may be called
// from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "core/ip_address.hpp"
#include "core/result.hpp"

namespace sb {

// The rule that refuses `address` by default ("loopback", "private",
// "link-local", "unique-local", "cgnat", "multicast", "unspecified",
// "reserved"), or nullopt for a public address. IPv4-mapped, NAT64 and 6to4
// IPv6 addresses are judged by the IPv4 address inside them.
std::optional<std::string_view> refusedRange(const IpAddress& address);

class EgressPolicy {
 public:
  EgressPolicy() = default;  // https only, public addresses only
  // Entries the config parser accepted; anything else in `allow` is ignored.
  explicit EgressPolicy(const EgressConfig& config);

  // Ok for https, and for http when the operator allows it.
  Status checkScheme(const std::string& scheme) const;

  // The addresses of `host` a request may connect to, in resolver order:
  // each one is public, inside an allowed network, or `host` is an allowed
  // name. When none is, the refusal names the rule of the first address.
  Result<std::vector<IpAddress>> permittedAddresses(const std::string& host,
                                                    const std::vector<IpAddress>& resolved) const;

 private:
  bool allowHttp_ = false;
  std::vector<std::string> hosts_;  // lower case
  std::vector<IpNetwork> networks_;
};

// Every address `host` resolves to (getaddrinfo, once); an IP literal is
// itself. Unavailable when the name does not resolve.
Result<std::vector<IpAddress>> resolveHost(const std::string& host);

}  // namespace sb
