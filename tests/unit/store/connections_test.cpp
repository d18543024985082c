// Connections' persistence (migration 5): config sync by name (ids kept,
// removed ones disabled with their tokens kept), grants sealed at rest and
// replaced in place, single-use pending authorizations, and the refresh
// lease that lets exactly one caller on any instance refresh a grant.
#include <atomic>
#include <fstream>
#include <iterator>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <Poco/Data/Session.h>

#include "crypto/secret_box.hpp"
#include "test_database.hpp"

namespace sb::testing {
namespace {

constexpr std::int64_t kMinute = 60'000;

ConnectionRecord configured(const std::string& name, const std::string& displayName) {
  ConnectionRecord out;
  out.name = name;
  out.displayName = displayName;
  out.settingsJson = R"({"client_id":"abc","token_url":"https://auth.example/token"})";
  return out;
}

class ConnectionsStoreTest : public StoreWithProjectTest {
 protected:
  void SetUp() override {
    StoreWithProjectTest::SetUp();
    if (HasFatalFailure()) return;
    auto box = SecretBox::fromKey(std::string(32, 'k'));
    ASSERT_TRUE(box.isOk());
    box_ = std::move(box.value());
  }

  OAuthTokenRecord grant(const std::string& connection, const std::string& accessToken) {
    OAuthTokenRecord out;
    out.userId = userId_;
    out.connectionName = connection;
    out.tokenSealed = box_->seal(R"({"access_token":")" + accessToken + R"(","refresh_token":"r-)" + accessToken + R"("})",
                                 oauthTokenContext(userId_, connection));
    out.accountLabel = "olivia@example.com";
    out.scopes = "repo read:org";
    out.expiresAtMs = 10 * kMinute;
    return out;
  }

  std::unique_ptr<SecretBox> box_;
};

TEST_F(ConnectionsStoreTest, SyncUpsertsByNameKeepsIdsAndDisablesRemovedOnesWithTheirTokens) {
  auto first = store_->connections().syncConfigs({configured("github", "GitHub"), configured("linear", "Linear")});
  ASSERT_TRUE(first.isOk()) << first.status().message();
  EXPECT_EQ(first->added, 2);
  auto before = store_->connections().getConfig("github");
  ASSERT_TRUE(before.isOk() && before->has_value());
  ASSERT_TRUE(store_->connections().putToken(grant("linear", "lin-access")).isOk());

  // Same YAML again: nothing changes.
  auto again = store_->connections().syncConfigs({configured("github", "GitHub"), configured("linear", "Linear")});
  ASSERT_TRUE(again.isOk());
  EXPECT_EQ(again->added + again->updated + again->disabled, 0);

  // github renamed on screen, linear removed.
  auto changed = store_->connections().syncConfigs({configured("github", "GitHub.com")});
  ASSERT_TRUE(changed.isOk()) << changed.status().message();
  EXPECT_EQ(changed->updated, 1);
  EXPECT_EQ(changed->disabled, 1);
  auto after = store_->connections().getConfig("github");
  ASSERT_TRUE(after.isOk() && after->has_value());
  EXPECT_EQ((*after)->id, (*before)->id) << "an upsert keeps the row id";
  EXPECT_EQ((*after)->displayName, "GitHub.com");
  EXPECT_EQ((*after)->createdAt, (*before)->createdAt);
  auto linear = store_->connections().getConfig("linear");
  ASSERT_TRUE(linear.isOk() && linear->has_value());
  EXPECT_FALSE((*linear)->enabled);
  EXPECT_EQ((*linear)->disabledReason, "removed from the configuration");
  auto token = store_->connections().getToken(userId_, "linear");
  ASSERT_TRUE(token.isOk() && token->has_value()) << "a removed connection keeps its tokens";

  // Back in the YAML: enabled again, same id, the grant still there.
  const std::string linearId = (*linear)->id;
  auto back = store_->connections().syncConfigs({configured("github", "GitHub.com"), configured("linear", "Linear")});
  ASSERT_TRUE(back.isOk());
  EXPECT_EQ(back->updated, 1);
  linear = store_->connections().getConfig("linear");
  ASSERT_TRUE(linear.isOk() && linear->has_value());
  EXPECT_TRUE((*linear)->enabled);
  EXPECT_EQ((*linear)->id, linearId);
  auto all = store_->connections().listConfigs();
  ASSERT_TRUE(all.isOk());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "github");
}

TEST_F(ConnectionsStoreTest, AGrantNeedsNoConfiguredConnectionAndIsReplacedInPlace) {
  // No foreign key onto the config table: validated at run time instead.
  auto stored = store_->connections().putToken(grant("not-configured", "a1"));
  ASSERT_TRUE(stored.isOk()) << stored.status().message();
  EXPECT_EQ(stored->generation, 1);
  EXPECT_EQ(stored->state, GrantState::Connected);

  OAuthTokenRecord reconnect = grant("not-configured", "a2");
  auto replaced = store_->connections().putToken(reconnect);
  ASSERT_TRUE(replaced.isOk());
  EXPECT_EQ(replaced->id, stored->id) << "links naming the token id stay valid";
  EXPECT_EQ(replaced->generation, 2);
  auto opened = box_->open(replaced->tokenSealed, oauthTokenContext(userId_, "not-configured"));
  ASSERT_TRUE(opened.isOk());
  EXPECT_NE(opened->find("\"a2\""), std::string::npos);
  EXPECT_FALSE(box_->open(replaced->tokenSealed, oauthTokenContext(userId_, "github")).isOk())
      << "bound to the connection";
  EXPECT_FALSE(box_->open(replaced->tokenSealed, oauthTokenContext("usr_other", "not-configured")).isOk())
      << "bound to the user";

  auto listed = store_->connections().listTokens(userId_);
  ASSERT_TRUE(listed.isOk());
  EXPECT_EQ(listed->size(), 1u);
  auto removed = store_->connections().deleteToken(userId_, "not-configured");
  ASSERT_TRUE(removed.isOk());
  EXPECT_TRUE(*removed);
  removed = store_->connections().deleteToken(userId_, "not-configured");
  ASSERT_TRUE(removed.isOk());
  EXPECT_FALSE(*removed);
}

TEST_F(ConnectionsStoreTest, TokensAreNotInTheDatabaseInPlaintext) {
  const std::string access = "gho_plaintextAccessTokenValue1234567890";
  ASSERT_TRUE(store_->connections().putToken(grant("github", access)).isOk());
  PendingAuthorization pending{fakeTokenHash("state"), userId_, "github",
                               box_->seal("verifier-plaintext-0123456789", oauthPendingContext(userId_, "github")),
                               5 * kMinute};
  ASSERT_TRUE(store_->connections().putPendingAuthorization(pending).isOk());
  std::string bytes;
  if (database_->isSqlite()) {
    // The files themselves, WAL included.
    for (const std::string& path : {database_->sqliteFile(), database_->sqliteFile() + "-wal"}) {
      std::ifstream file(path, std::ios::binary);
      bytes.append(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
    }
  } else {
    // PostgreSQL's files are the server's; every stored column is read instead.
    auto session = database_->rawSession();
    std::vector<std::string> sealed, labels, pendings;
    session << "SELECT token_sealed, account_label FROM oauth_tokens", Poco::Data::Keywords::into(sealed),
        Poco::Data::Keywords::into(labels), Poco::Data::Keywords::now;
    session << "SELECT pending_sealed FROM oauth_states", Poco::Data::Keywords::into(pendings),
        Poco::Data::Keywords::now;
    for (const auto* column : {&sealed, &labels, &pendings}) {
      for (const std::string& value : *column) bytes += value + "\n";
    }
  }
  ASSERT_GT(bytes.size(), 0u);
  EXPECT_NE(bytes.find("olivia@example.com"), std::string::npos) << "the check reads the rows' bytes";
  EXPECT_EQ(bytes.find(access), std::string::npos);
  EXPECT_EQ(bytes.find("r-" + access), std::string::npos);
  EXPECT_EQ(bytes.find("verifier-plaintext"), std::string::npos);
}

TEST_F(ConnectionsStoreTest, APendingAuthorizationIsUsedOnceAndNotAfterItExpires) {
  PendingAuthorization pending{fakeTokenHash("s1"), userId_, "github", "sealed", 10 * kMinute};
  ASSERT_TRUE(store_->connections().putPendingAuthorization(pending).isOk());
  auto used = store_->connections().consumePendingAuthorization(pending.stateHash, kMinute);
  ASSERT_TRUE(used.isOk()) << used.status().message();
  ASSERT_TRUE(used->has_value());
  EXPECT_EQ((*used)->userId, userId_);
  EXPECT_EQ((*used)->connectionName, "github");
  EXPECT_EQ((*used)->pendingSealed, "sealed");
  auto replay = store_->connections().consumePendingAuthorization(pending.stateHash, kMinute);
  ASSERT_TRUE(replay.isOk());
  EXPECT_FALSE(replay->has_value());

  PendingAuthorization old{fakeTokenHash("s2"), userId_, "github", "sealed", 10 * kMinute};
  ASSERT_TRUE(store_->connections().putPendingAuthorization(old).isOk());
  auto late = store_->connections().consumePendingAuthorization(old.stateHash, 10 * kMinute);
  ASSERT_TRUE(late.isOk());
  EXPECT_FALSE(late->has_value()) << "expired at its expiry time";
  auto gone = store_->connections().consumePendingAuthorization(old.stateHash, 0);
  ASSERT_TRUE(gone.isOk());
  EXPECT_FALSE(gone->has_value()) << "an expired state is removed when it is tried";

  PendingAuthorization stale{fakeTokenHash("s3"), userId_, "github", "sealed", kMinute};
  ASSERT_TRUE(store_->connections().putPendingAuthorization(stale).isOk());
  ASSERT_TRUE(store_->connections().prunePendingAuthorizations(2 * kMinute).isOk());
  auto pruned = store_->connections().consumePendingAuthorization(stale.stateHash, 0);
  ASSERT_TRUE(pruned.isOk());
  EXPECT_FALSE(pruned->has_value());
}

TEST_F(ConnectionsStoreTest, ConcurrentCallbacksOnTwoInstancesUseAStateExactlyOnce) {
  auto other = openAnother();
  ASSERT_NE(other, nullptr);
  PendingAuthorization pending{fakeTokenHash("race"), userId_, "github", "sealed", 10 * kMinute};
  ASSERT_TRUE(store_->connections().putPendingAuthorization(pending).isOk());
  std::atomic<int> used{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    Store* store = i % 2 == 0 ? store_.get() : other.get();
    threads.emplace_back([&, store] {
      auto result = store->connections().consumePendingAuthorization(pending.stateHash, 0);
      if (!result.isOk()) {
        ++failed;
      } else if (result->has_value()) {
        ++used;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(used.load(), 1);
}

TEST_F(ConnectionsStoreTest, ExactlyOneOfConcurrentCallersOnTwoInstancesTakesTheRefreshLease) {
  auto token = store_->connections().putToken(grant("github", "a1"));
  ASSERT_TRUE(token.isOk());
  auto other = openAnother();
  ASSERT_NE(other, nullptr);
  std::atomic<int> won{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 10; ++i) {
    Store* store = i % 2 == 0 ? store_.get() : other.get();
    const std::string owner = i % 2 == 0 ? "instance-a" : "instance-b";
    threads.emplace_back([&, store, owner] {
      auto result = store->connections().acquireRefreshLease(token->id, owner, 1000, kMinute);
      if (!result.isOk()) {
        ++failed;
      } else if (*result) {
        ++won;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(won.load(), 1);
  // A lapsed lease is taken over.
  auto takeover = store_->connections().acquireRefreshLease(token->id, "instance-c", 1000 + kMinute, kMinute);
  ASSERT_TRUE(takeover.isOk());
  EXPECT_TRUE(*takeover);
}

TEST_F(ConnectionsStoreTest, ARefreshStoresTheRotatedTokenAndReleasesTheLeaseInOneStep) {
  auto token = store_->connections().putToken(grant("github", "a1"));
  ASSERT_TRUE(token.isOk());
  ASSERT_TRUE(*store_->connections().acquireRefreshLease(token->id, "me", 0, kMinute));

  OAuthTokenRecord refreshed = grant("github", "a2");
  refreshed.id = token->id;
  refreshed.expiresAtMs = 70 * kMinute;
  refreshed.scopes = "repo";
  auto done = store_->connections().completeRefresh(refreshed, token->generation, "me");
  ASSERT_TRUE(done.isOk()) << done.status().message();
  EXPECT_TRUE(done->stored);
  EXPECT_EQ(done->current.generation, token->generation + 1);
  EXPECT_EQ(done->current.expiresAtMs, 70 * kMinute);
  EXPECT_EQ(done->current.scopes, "repo");
  EXPECT_EQ(done->current.accountLabel, "olivia@example.com");
  EXPECT_TRUE(*store_->connections().acquireRefreshLease(token->id, "next", 0, kMinute)) << "the lease was released";

  // A refresh based on the old generation stores nothing, and still lets go of its lease.
  OAuthTokenRecord late = grant("github", "a3");
  late.id = token->id;
  auto lost = store_->connections().completeRefresh(late, token->generation, "next");
  ASSERT_TRUE(lost.isOk());
  EXPECT_FALSE(lost->stored);
  EXPECT_EQ(lost->current.generation, token->generation + 1);
  EXPECT_EQ(lost->current.tokenSealed, refreshed.tokenSealed);
  EXPECT_TRUE(*store_->connections().acquireRefreshLease(token->id, "third", 0, kMinute));

  // A transient failure backs off and releases the lease.
  ASSERT_TRUE(store_->connections().releaseRefreshLease(token->id, "third", 5 * kMinute).isOk());
  auto backedOff = store_->connections().getTokenById(token->id);
  ASSERT_TRUE(backedOff.isOk() && backedOff->has_value());
  EXPECT_EQ((*backedOff)->refreshNotBeforeMs, 5 * kMinute);
  EXPECT_EQ((*backedOff)->state, GrantState::Connected);
  EXPECT_TRUE(*store_->connections().acquireRefreshLease(token->id, "fourth", 0, kMinute));

  // invalid_grant: revoked at once, the lease gone, and no refresh is stored over it.
  ASSERT_TRUE(store_->connections().markRevoked(token->id).isOk());
  auto revoked = store_->connections().getTokenById(token->id);
  ASSERT_TRUE(revoked.isOk() && revoked->has_value());
  EXPECT_EQ((*revoked)->state, GrantState::Revoked);
  EXPECT_TRUE(*store_->connections().acquireRefreshLease(token->id, "fifth", 0, kMinute));
  auto afterRevoke = store_->connections().completeRefresh(late, (*revoked)->generation, "fifth");
  ASSERT_TRUE(afterRevoke.isOk());
  EXPECT_FALSE(afterRevoke->stored);

  // Reconnecting replaces the revoked grant in place.
  auto reconnected = store_->connections().putToken(grant("github", "a4"));
  ASSERT_TRUE(reconnected.isOk());
  EXPECT_EQ(reconnected->id, token->id);
  EXPECT_EQ(reconnected->state, GrantState::Connected);
  EXPECT_EQ(reconnected->refreshNotBeforeMs, 0);
}

}  // namespace
}  // namespace sb::testing
