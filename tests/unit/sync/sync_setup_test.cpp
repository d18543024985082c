// What the host accepts from a sync set-up hook: documented members read
// into records (anything else dropped, so a plugin cannot make a reply carry
// more), and a malformed reply named precisely.
#include <gtest/gtest.h>

#include "sync/sync_setup.hpp"

namespace sb::sync {
namespace {

TEST(SyncSetupData, ValidateKeepsOnlyTheDocumentedMembers) {
  auto data = parseSetupData(SetupCall::Validate,
                             R"({"resource":"acme/web","canRead":true,"canWrite":false,"defaultBranch":"main",)"
                             R"("token":"leaked","private":"yes"})");
  ASSERT_TRUE(data) << data.status().message();
  const auto& check = std::get<LinkCheck>(*data);
  EXPECT_EQ(check.resource, "acme/web");
  EXPECT_TRUE(check.canRead);
  EXPECT_FALSE(check.canWrite);
  EXPECT_EQ(check.defaultBranch, "main");
  EXPECT_FALSE(check.isPrivate.has_value()) << "a member of the wrong type reads as absent";
}

TEST(SyncSetupData, ListingsReadTheirItems) {
  auto data = parseSetupData(SetupCall::Branches,
                             R"({"branches":[{"name":"main","head":"abc","protected":true}],"truncated":true})");
  ASSERT_TRUE(data) << data.status().message();
  const auto& branches = std::get<Listing<RemoteBranch>>(*data);
  ASSERT_EQ(branches.items.size(), 1u);
  EXPECT_EQ(branches.items[0].head, "abc");
  EXPECT_TRUE(branches.truncated);
  auto commits = parseSetupData(SetupCall::Commits, R"({"branch":"main","commits":[{"sha":"c1","message":"m"}]})");
  ASSERT_TRUE(commits) << commits.status().message();
  EXPECT_EQ(std::get<Listing<RemoteCommit>>(*commits).branch, "main");
}

TEST(SyncSetupData, MalformedRepliesAreNamed) {
  EXPECT_EQ(parseSetupData(SetupCall::Validate, "[]").status().message(), "not a JSON object");
  EXPECT_EQ(parseSetupData(SetupCall::Validate, R"({"resource":"a/b"})").status().message(),
            "\"canRead\" and \"canWrite\" must be true or false");
  EXPECT_EQ(parseSetupData(SetupCall::Repositories, R"({"repositories":{}})").status().message(),
            "\"repositories\" is missing or not an array");
  EXPECT_EQ(parseSetupData(SetupCall::Branches, R"({"branches":[{"name":"main"}]})").status().message(),
            "branches[0]: \"head\" is missing or not a string");
  EXPECT_EQ(parseSetupData(SetupCall::Commits, R"({"commits":[1]})").status().message(),
            "commits[0] is not an object");
}

}  // namespace
}  // namespace sb::sync
