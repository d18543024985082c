// parseTreeListing: on_list_tree output read token by token into the
// RemoteTree, with what a careless or hostile plugin might send.
#include <gtest/gtest.h>

#include <string>

#include "sync/tree_listing.hpp"

namespace sb::sync {
namespace {

const std::string kSha1(40, 'a');
const std::string kSha2(40, 'b');

TEST(TreeListing, ReadsTheHeadAndEveryEntry) {
  auto listing = parseTreeListing(R"({"head":"c1","unchanged":false,"entries":[)"
                                  R"({"path":"docs/a.md","hash":")" + kSha1 + R"(","size":12},)"
                                  R"({"size":3,"hash":")" + kSha2 + R"(","path":"b.txt"}]})");
  ASSERT_TRUE(listing) << listing.status().message();
  EXPECT_EQ(listing->head, "c1");
  EXPECT_FALSE(listing->unchanged);
  EXPECT_TRUE(listing->hasEntries);
  ASSERT_EQ(listing->entries.size(), 2u);
  EXPECT_EQ(listing->entries.at("docs/a.md").sha, kSha1);
  EXPECT_EQ(listing->entries.at("docs/a.md").size, 12);
  EXPECT_EQ(listing->entries.at("b.txt").sha, kSha2);
  EXPECT_EQ(listing->entries.at("b.txt").size, 3);
}

TEST(TreeListing, AnUnchangedHeadNeedsNoEntries) {
  auto listing = parseTreeListing(R"({"head":"c1","unchanged":true})");
  ASSERT_TRUE(listing) << listing.status().message();
  EXPECT_TRUE(listing->unchanged);
  EXPECT_FALSE(listing->hasEntries);
  EXPECT_TRUE(listing->entries.empty());
}

TEST(TreeListing, PassesOverEntriesWithoutAPathOrABlobShaAndMembersItDoesNotName) {
  auto listing = parseTreeListing(
      R"({"extra":{"head":"not this","entries":[{"path":"nested.md","hash":")" + kSha1 + R"("}]},)"
      R"("head":"c2","entries":[)"
      R"("a string", 7, null, [1, 2],)"
      R"({"path":"","hash":")" + kSha1 + R"("},)"
      R"({"path":"short.md","hash":"abc"},)"
      R"({"path":"upper.md","hash":")" + std::string(40, 'A') + R"("},)"
      R"({"path":42,"hash":")" + kSha1 + R"("},)"
      R"({"path":"kept.md","hash":")" + kSha1 + R"(","size":"big","meta":{"path":"inner.md","size":9}},)"
      R"({"path":"twice.md","hash":")" + kSha1 + R"("},)"
      R"({"path":"twice.md","hash":")" + kSha2 + R"(","size":5}]})");
  ASSERT_TRUE(listing) << listing.status().message();
  EXPECT_EQ(listing->head, "c2") << "a nested head is not the listing's";
  ASSERT_EQ(listing->entries.size(), 2u);
  EXPECT_EQ(listing->entries.at("kept.md").sha, kSha1);
  EXPECT_EQ(listing->entries.at("kept.md").size, 0) << "a size that is not a number, and a nested one, are not its size";
  EXPECT_EQ(listing->entries.at("twice.md").sha, kSha2) << "the later entry wins";
  EXPECT_EQ(listing->entries.at("twice.md").size, 5);
}

TEST(TreeListing, RefusesWhatIsNotAListing) {
  for (const std::string text :
       {"", "not json", "[]", R"("head")", R"({"entries":[]})", R"({"head":7,"entries":[]})",
        R"({"head":"c1","entries":[)", R"({"head":"c1"} trailing)"}) {
    auto listing = parseTreeListing(text);
    EXPECT_FALSE(listing) << text;
    if (!listing) {
      EXPECT_EQ(listing.status().code(), ErrorCode::Unavailable) << text;
    }
  }
}

}  // namespace
}  // namespace sb::sync
