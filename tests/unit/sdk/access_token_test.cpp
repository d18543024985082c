// ABI 1.3 in the C++ SDK: Call::accessToken and Call::refreshAccessToken on
// the fake host, which follows the host's rules (one refresh per call, its
// outcome repeated), and their fallbacks on a host older than 1.3.
#include <gtest/gtest.h>

#include <cstddef>

#include "switchboard/fake_host.hpp"
#include "switchboard/host.hpp"

using switchboard::Call;
using switchboard::testing::FakeCall;
using switchboard::testing::FakeHost;

TEST(AccessToken, ALinkWithoutAConnectionHasNoTokenToRefresh) {
  FakeHost host;
  FakeCall fake;
  Call call(host.api(), fake.raw());
  EXPECT_EQ(call.accessToken(), "");
  EXPECT_EQ(call.refreshAccessToken(), SB_ERR_NOT_SUPPORTED);
}

TEST(AccessToken, OneRefreshPerCallSwitchesToTheNewToken) {
  FakeHost host;
  FakeCall fake;
  fake.useConnection("old-token", "new-token");
  Call call(host.api(), fake.raw());
  EXPECT_EQ(call.accessToken(), "old-token");
  EXPECT_EQ(call.refreshAccessToken(), SB_OK);
  EXPECT_EQ(call.accessToken(), "new-token");
  EXPECT_EQ(call.refreshAccessToken(), SB_OK);  // the same outcome, no second refresh
  EXPECT_EQ(call.accessToken(), "new-token");
  EXPECT_EQ(fake.refreshes(), 2);
}

TEST(AccessToken, ARevokedGrantIsUnauthorized) {
  FakeHost host;
  FakeCall fake;
  fake.useConnection("old-token", "", SB_ERR_UNAUTHORIZED);
  Call call(host.api(), fake.raw());
  EXPECT_EQ(call.refreshAccessToken(), SB_ERR_UNAUTHORIZED);
  EXPECT_EQ(call.accessToken(), "old-token");
}

TEST(AccessToken, AHostBefore13HasNeither) {
  FakeHost host;
  FakeCall fake;
  fake.useConnection("old-token", "new-token");
  host.mutableApi().abi_minor = 2;
  host.mutableApi().struct_size = offsetof(sb_host_api, host_access_token);
  Call call(host.api(), fake.raw());
  EXPECT_EQ(call.accessToken(), "");
  EXPECT_EQ(call.refreshAccessToken(), SB_ERR_NOT_SUPPORTED);
  EXPECT_EQ(fake.refreshes(), 0);
}
