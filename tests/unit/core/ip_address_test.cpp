#include <gtest/gtest.h>

#include "core/ip_address.hpp"

namespace sb {
namespace {

TEST(IpAddress, ParsesBothFamiliesAndRefusesNames) {
  auto v4 = IpAddress::parse("192.168.1.20");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->family, IpAddress::Family::V4);
  EXPECT_EQ(v4->toString(), "192.168.1.20");
  auto v6 = IpAddress::parse("[2001:DB8::1]");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->family, IpAddress::Family::V6);
  EXPECT_EQ(v6->toString(), "2001:db8::1");
  for (const char* text : {"", "localhost", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4x", "::g", "[::1"}) {
    EXPECT_FALSE(IpAddress::parse(text)) << text;
  }
}

TEST(IpAddress, AMappedAddressIsTheIpv4AddressInside) {
  auto mapped = IpAddress::parse("::ffff:127.0.0.1");
  ASSERT_TRUE(mapped);
  EXPECT_EQ(mapped->unmapped(), IpAddress::v4(127, 0, 0, 1));
  EXPECT_EQ(IpAddress::parse("::1")->unmapped(), *IpAddress::parse("::1"));
}

TEST(IpNetwork, ParsesCidrAndSingleAddresses) {
  auto net = IpNetwork::parse("10.0.0.0/8");
  ASSERT_TRUE(net);
  EXPECT_EQ(net->toString(), "10.0.0.0/8");
  EXPECT_TRUE(net->contains(*IpAddress::parse("10.200.3.4")));
  EXPECT_FALSE(net->contains(*IpAddress::parse("11.0.0.1")));
  EXPECT_TRUE(net->contains(*IpAddress::parse("::ffff:10.0.0.1")));
  EXPECT_FALSE(net->contains(*IpAddress::parse("::1")));

  auto one = IpNetwork::parse("127.0.0.1");
  ASSERT_TRUE(one);
  EXPECT_EQ(one->prefixLength, 32);
  EXPECT_TRUE(one->contains(IpAddress::v4(127, 0, 0, 1)));
  EXPECT_FALSE(one->contains(IpAddress::v4(127, 0, 0, 2)));

  auto odd = IpNetwork::parse("172.16.0.0/12");
  ASSERT_TRUE(odd);
  EXPECT_TRUE(odd->contains(IpAddress::v4(172, 31, 255, 255)));
  EXPECT_FALSE(odd->contains(IpAddress::v4(172, 32, 0, 0)));

  auto v6 = IpNetwork::parse("fe80::/10");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->contains(*IpAddress::parse("febf::1")));
  EXPECT_FALSE(v6->contains(*IpAddress::parse("fec0::1")));

  auto mapped = IpNetwork::parse("::ffff:10.0.0.0/104");
  ASSERT_TRUE(mapped);
  EXPECT_EQ(mapped->toString(), "10.0.0.0/8");
  EXPECT_TRUE(IpNetwork::parse("0.0.0.0/0")->contains(IpAddress::v4(8, 8, 8, 8)));
}

TEST(IpNetwork, RefusesHostBitsBadPrefixesAndNames) {
  for (const char* text : {"10.0.0.1/8", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8x", "::/129",
                           "example.com/24", "10.0.0.0/0008"}) {
    EXPECT_FALSE(IpNetwork::parse(text)) << text;
  }
}

}  // namespace
}  // namespace sb
