#include <gtest/gtest.h>

#include "test_database.hpp"

namespace sb::testing {
namespace {

using UsersTest = StoreTest;

TEST_F(UsersTest, EnsureUserCreatesOnceAndOnlyPromotes) {
  auto alice = store_->users().ensureUser("alice", false);
  ASSERT_TRUE(alice.isOk()) << alice.status().message();
  EXPECT_EQ(alice->id.rfind("usr_", 0), 0u);
  EXPECT_EQ(alice->name, "alice");
  EXPECT_FALSE(alice->isAdmin);
  EXPECT_EQ(alice->createdAt.size(), 24u);

  auto promoted = store_->users().ensureUser("alice", true);
  ASSERT_TRUE(promoted.isOk()) << promoted.status().message();
  EXPECT_EQ(promoted->id, alice->id);
  EXPECT_TRUE(promoted->isAdmin);

  auto again = store_->users().ensureUser("alice", false);
  ASSERT_TRUE(again.isOk());
  EXPECT_TRUE(again->isAdmin) << "ensureUser(false) must not demote";

  auto count = store_->users().countUsers();
  ASSERT_TRUE(count.isOk());
  EXPECT_EQ(count.value(), 1u);
}

TEST_F(UsersTest, FindUser) {
  ASSERT_TRUE(store_->users().ensureUser("bob", false).isOk());
  auto found = store_->users().findUser("bob");
  ASSERT_TRUE(found.isOk());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->name, "bob");
  auto missing = store_->users().findUser("nobody");
  ASSERT_TRUE(missing.isOk());
  EXPECT_FALSE(missing->has_value());
}

TEST_F(UsersTest, RejectsBadUserNames) {
  for (const std::string& bad :
       std::vector<std::string>{"", "has space", "semi;colon", std::string(65, 'a'), "ümlaut"}) {
    auto result = store_->users().ensureUser(bad, false);
    EXPECT_EQ(result.status().code(), ErrorCode::InvalidArgument) << bad;
    EXPECT_EQ(result.status().field(), "name");
  }
  EXPECT_TRUE(store_->users().ensureUser("ok.name_with-64", false).isOk());
  EXPECT_EQ(store_->users().countUsers().value(), 1u);
}

TEST_F(UsersTest, TokensResolveToTheirPrincipal) {
  auto carol = store_->users().ensureUser("carol", true);
  ASSERT_TRUE(carol.isOk());
  const std::string hash = fakeTokenHash("carol-token");
  auto token = store_->users().createToken(carol->id, hash, "laptop");
  ASSERT_TRUE(token.isOk()) << token.status().message();
  EXPECT_EQ(token->id.rfind("tok_", 0), 0u);
  EXPECT_EQ(token->userId, carol->id);
  EXPECT_EQ(token->label, "laptop");

  auto principal = store_->users().findPrincipalByTokenHash(hash);
  ASSERT_TRUE(principal.isOk()) << principal.status().message();
  ASSERT_TRUE(principal->has_value());
  EXPECT_EQ((*principal)->tokenId, token->id);
  EXPECT_EQ((*principal)->user.id, carol->id);
  EXPECT_EQ((*principal)->user.name, "carol");
  EXPECT_TRUE((*principal)->user.isAdmin);

  auto unknown = store_->users().findPrincipalByTokenHash(fakeTokenHash("someone else"));
  ASSERT_TRUE(unknown.isOk());
  EXPECT_FALSE(unknown->has_value());
  auto malformed = store_->users().findPrincipalByTokenHash("not-a-hash");
  ASSERT_TRUE(malformed.isOk());
  EXPECT_FALSE(malformed->has_value());
}

TEST_F(UsersTest, TokenCreationErrors) {
  auto dave = store_->users().ensureUser("dave", false);
  ASSERT_TRUE(dave.isOk());
  const std::string hash = fakeTokenHash("dave");
  ASSERT_TRUE(store_->users().createToken(dave->id, hash, "").isOk());

  auto duplicate = store_->users().createToken(dave->id, hash, "again");
  EXPECT_EQ(duplicate.status().code(), ErrorCode::AlreadyExists) << duplicate.status().message();
  EXPECT_EQ(duplicate.status().message().find(hash), std::string::npos);

  auto unknownUser = store_->users().createToken("usr_missing", fakeTokenHash("x"), "");
  EXPECT_EQ(unknownUser.status().code(), ErrorCode::NotFound);
  EXPECT_NE(unknownUser.status().message().find("usr_missing"), std::string::npos);

  EXPECT_EQ(store_->users().createToken(dave->id, "ABC", "").status().code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(store_->users().createToken(dave->id, fakeTokenHash("y"), std::string(201, 'l')).status().code(),
            ErrorCode::InvalidArgument);
}

}  // namespace
}  // namespace sb::testing
