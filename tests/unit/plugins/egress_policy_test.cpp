// The egress policy's decisions, made on addresses and names only: no test
// here opens a connection, so the addresses that must never be reached
// (cloud metadata, private networks, link-local) are safe to name.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plugins/egress_policy.hpp"

namespace sb {
namespace {

IpAddress ip(const std::string& text) {
  auto parsed = IpAddress::parse(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed.value_or(IpAddress{});
}

std::string ruleOf(const std::string& text) {
  auto rule = refusedRange(ip(text));
  return rule ? std::string(*rule) : "public";
}

TEST(EgressClassifier, CloudMetadataAndLinkLocalAreRefused) {
  EXPECT_EQ(ruleOf("169.254.169.254"), "link-local");  // AWS, GCP, Azure metadata
  EXPECT_EQ(ruleOf("169.254.0.1"), "link-local");
  EXPECT_EQ(ruleOf("fe80::1"), "link-local");
  EXPECT_EQ(ruleOf("febf:ffff::1"), "link-local");
  EXPECT_EQ(ruleOf("fd00:ec2::254"), "unique-local");  // AWS metadata over IPv6
}

TEST(EgressClassifier, PrivateNetworksAreRefused) {
  for (const char* address : {"10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.254", "192.168.0.1",
                              "192.168.255.255"}) {
    EXPECT_EQ(ruleOf(address), "private") << address;
  }
  EXPECT_EQ(ruleOf("100.64.0.1"), "cgnat");
  EXPECT_EQ(ruleOf("100.127.255.254"), "cgnat");
  EXPECT_EQ(ruleOf("fc00::1"), "unique-local");
  EXPECT_EQ(ruleOf("fdff:ffff::1"), "unique-local");
}

TEST(EgressClassifier, LoopbackMulticastUnspecifiedAndReservedAreRefused) {
  EXPECT_EQ(ruleOf("127.0.0.1"), "loopback");
  EXPECT_EQ(ruleOf("127.255.0.9"), "loopback");
  EXPECT_EQ(ruleOf("::1"), "loopback");
  EXPECT_EQ(ruleOf("224.0.0.251"), "multicast");
  EXPECT_EQ(ruleOf("239.255.255.250"), "multicast");
  EXPECT_EQ(ruleOf("ff02::1"), "multicast");
  EXPECT_EQ(ruleOf("0.0.0.0"), "unspecified");
  EXPECT_EQ(ruleOf("0.1.2.3"), "unspecified");
  EXPECT_EQ(ruleOf("::"), "unspecified");
  EXPECT_EQ(ruleOf("255.255.255.255"), "reserved");
  EXPECT_EQ(ruleOf("240.0.0.1"), "reserved");
  EXPECT_EQ(ruleOf("192.0.2.10"), "reserved");
  EXPECT_EQ(ruleOf("2001:db8::1"), "reserved");
}

TEST(EgressClassifier, IPv6FormsThatReachAnIPv4AddressAreJudgedByIt) {
  EXPECT_EQ(ruleOf("::ffff:169.254.169.254"), "link-local");  // IPv4-mapped
  EXPECT_EQ(ruleOf("::ffff:127.0.0.1"), "loopback");
  EXPECT_EQ(ruleOf("::ffff:10.1.2.3"), "private");
  EXPECT_EQ(ruleOf("64:ff9b::a9fe:a9fe"), "link-local");      // NAT64 of 169.254.169.254
  EXPECT_EQ(ruleOf("2002:a9fe:a9fe::1"), "link-local");       // 6to4 of 169.254.169.254
  EXPECT_EQ(ruleOf("2002:c0a8:0101::1"), "private");          // 6to4 of 192.168.1.1
  EXPECT_EQ(ruleOf("::127.0.0.1"), "reserved");               // deprecated IPv4-compatible
  EXPECT_EQ(ruleOf("64:ff9b::808:808"), "public");            // NAT64 of 8.8.8.8
}

TEST(EgressClassifier, PublicAddressesAreNotRefused) {
  for (const char* address : {"8.8.8.8", "140.82.112.6", "172.32.0.1", "172.15.255.255", "100.128.0.1",
                              "169.255.0.1", "192.169.0.1", "2606:4700::1111", "2a00:1450:4001::200e"}) {
    EXPECT_EQ(ruleOf(address), "public") << address;
  }
}

TEST(EgressPolicyScheme, HttpsAlwaysHttpOnlyWhenAllowed) {
  EXPECT_TRUE(EgressPolicy().checkScheme("https").isOk());
  EXPECT_TRUE(EgressPolicy().checkScheme("HTTPS").isOk());
  const Status refused = EgressPolicy().checkScheme("http");
  EXPECT_EQ(refused.code(), ErrorCode::PermissionDenied);
  EXPECT_EQ(refused.field(), kEgressRefusalField);
  EXPECT_NE(refused.message().find("(rule: https-only)"), std::string::npos) << refused.message();
  EXPECT_NE(refused.message().find("plugins.enabled[].egress.allow_http"), std::string::npos);
  EgressConfig http;
  http.allowHttp = true;
  EXPECT_TRUE(EgressPolicy(http).checkScheme("http").isOk());
  EXPECT_FALSE(EgressPolicy(http).checkScheme("ftp").isOk());
}

TEST(EgressPolicyAddresses, ThePolicyJudgesResolvedAddressesNotTheName) {
  const EgressPolicy policy;
  // A harmless-looking name that resolves to the metadata service.
  auto metadata = policy.permittedAddresses("status.example.com", {ip("169.254.169.254")});
  ASSERT_FALSE(metadata.isOk());
  EXPECT_EQ(metadata.status().code(), ErrorCode::PermissionDenied);
  EXPECT_EQ(metadata.status().field(), kEgressRefusalField);
  EXPECT_EQ(metadata.status().message(),
            "egress policy refused \"status.example.com\", which resolves to 169.254.169.254, a link-local address "
            "(rule: link-local); an operator may allow the host or its network for this plugin in "
            "plugins.enabled[].egress.allow");
  auto literal = policy.permittedAddresses("10.0.0.7", {ip("10.0.0.7")});
  ASSERT_FALSE(literal.isOk());
  EXPECT_EQ(literal.status().message().rfind(
                "egress policy refused 10.0.0.7, a private (RFC 1918) address (rule: private)", 0),
            0u)
      << literal.status().message();
}

TEST(EgressPolicyAddresses, OnlyCheckedAddressesAreKeptForTheConnection) {
  const EgressPolicy policy;
  // A rebinding answer mixes a public and a private address: only the public
  // one may be connected to.
  auto mixed = policy.permittedAddresses("api.example.com", {ip("10.0.0.1"), ip("93.184.216.34"), ip("::1")});
  ASSERT_TRUE(mixed.isOk());
  EXPECT_EQ(*mixed, std::vector<IpAddress>{ip("93.184.216.34")});
  EXPECT_FALSE(policy.permittedAddresses("api.example.com", {}).isOk());
}

TEST(EgressPolicyAddresses, TheOperatorAllowsNamedHostsAndNetworks) {
  EgressConfig config;
  config.allow = {"ghe.internal", "10.20.0.0/16", "fd00:1::/32"};
  const EgressPolicy policy(config);
  auto named = policy.permittedAddresses("GHE.internal", {ip("10.99.0.5"), ip("127.0.0.1")});
  ASSERT_TRUE(named.isOk()) << named.status().message();
  EXPECT_EQ(named->size(), 2u);
  auto network = policy.permittedAddresses("runner.corp", {ip("10.20.3.4"), ip("10.21.0.1")});
  ASSERT_TRUE(network.isOk());
  EXPECT_EQ(*network, std::vector<IpAddress>{ip("10.20.3.4")});
  EXPECT_TRUE(policy.permittedAddresses("v6.corp", {ip("fd00:1:abcd::1")}).isOk());
  EXPECT_TRUE(policy.permittedAddresses("mapped", {ip("::ffff:10.20.1.1")}).isOk());
  auto outside = policy.permittedAddresses("other.corp", {ip("10.21.0.1")});
  ASSERT_FALSE(outside.isOk());
  EXPECT_NE(outside.status().message().find("(rule: private)"), std::string::npos);
  EXPECT_FALSE(policy.permittedAddresses("metadata", {ip("169.254.169.254")}).isOk());
}

TEST(EgressResolution, LiteralsNeedNoLookupAndLocalhostIsLoopback) {
  auto literal = resolveHost("::1");
  ASSERT_TRUE(literal.isOk());
  EXPECT_EQ(*literal, std::vector<IpAddress>{ip("::1")});
  auto localhost = resolveHost("localhost");
  ASSERT_TRUE(localhost.isOk()) << localhost.status().message();
  ASSERT_FALSE(localhost->empty());
  for (const IpAddress& address : *localhost) EXPECT_EQ(ruleOf(address.toString()), "loopback");
  EXPECT_FALSE(EgressPolicy().permittedAddresses("localhost", *localhost).isOk());
}

}  // namespace
}  // namespace sb
