// The one rule for what a user's connection looks like: disabled first, then
// no grant, revoked, expired by a known expiry, connected.
#include <gtest/gtest.h>

#include "connections/connection_state.hpp"

namespace sb::connections {
namespace {

OAuthTokenRecord grantExpiringAt(std::int64_t expiresAtMs) {
  OAuthTokenRecord grant;
  grant.expiresAtMs = expiresAtMs;
  return grant;
}

TEST(UserConnectionStates, FollowTheConnectionAndTheGrant) {
  ConnectionRecord connection;
  EXPECT_EQ(stateFor(connection, std::nullopt, 1000), UserConnectionState::NotConnected);
  EXPECT_EQ(stateFor(connection, grantExpiringAt(2000), 1000), UserConnectionState::Connected);
  EXPECT_EQ(stateFor(connection, grantExpiringAt(1000), 1000), UserConnectionState::Expired);
  EXPECT_EQ(stateFor(connection, grantExpiringAt(0), 1000), UserConnectionState::Connected)
      << "an unknown expiry is not an expired token";
  OAuthTokenRecord revoked = grantExpiringAt(2000);
  revoked.state = GrantState::Revoked;
  EXPECT_EQ(stateFor(connection, revoked, 1000), UserConnectionState::Revoked);
  connection.enabled = false;
  EXPECT_EQ(stateFor(connection, grantExpiringAt(2000), 1000), UserConnectionState::Disabled);
  EXPECT_STREQ(toString(UserConnectionState::NotConnected), "not_connected");
}

TEST(UserConnectionStates, OnlyARemovedConnectionIsNotOffered) {
  ConnectionRecord connection;
  EXPECT_TRUE(isOffered(connection));
  connection.enabled = false;
  connection.disabledReason = "environment variable 'X' is not set";
  EXPECT_TRUE(isOffered(connection));
  connection.disabledReason = kConnectionRemovedReason;
  EXPECT_FALSE(isOffered(connection));
}

TEST(UserConnectionStates, ScopesAreSplitOnSpaces) {
  EXPECT_EQ(scopeList("repo  read:org\tuser"), (std::vector<std::string>{"repo", "read:org", "user"}));
  EXPECT_TRUE(scopeList("").empty());
}

}  // namespace
}  // namespace sb::connections
