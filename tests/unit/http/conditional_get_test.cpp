// Conditional GET: ETag shape, If-None-Match parsing (RFC 9110 §13.1.2), and
// the catalog's 304 over real HTTP.
#include <gtest/gtest.h>

#include "http/conditional_get.hpp"
#include "test_server.hpp"

namespace sb::http {
namespace {

TEST(ConditionalGet, WeakEtagIsQuotedAndChangesWithTheBytes) {
  const std::string a = weakEtagFor("{\"items\":[]}");
  EXPECT_EQ(a.rfind("W/\"", 0), 0u);
  EXPECT_EQ(a.back(), '"');
  EXPECT_EQ(a.size(), 4u + 16u);
  EXPECT_EQ(a, weakEtagFor("{\"items\":[]}"));
  EXPECT_NE(a, weakEtagFor("{\"items\":[1]}"));
}

TEST(ConditionalGet, IfNoneMatchUsesWeakComparisonListsAndStar) {
  const std::string etag = "W/\"abc\"";
  EXPECT_TRUE(ifNoneMatchMatches("W/\"abc\"", etag));
  EXPECT_TRUE(ifNoneMatchMatches("\"abc\"", etag));  // weak comparison ignores W/
  EXPECT_TRUE(ifNoneMatchMatches("\"x\", W/\"abc\"", etag));
  EXPECT_TRUE(ifNoneMatchMatches("\"x\",W/\"abc\" ,", etag));
  EXPECT_TRUE(ifNoneMatchMatches(" * ", etag));
  EXPECT_FALSE(ifNoneMatchMatches("\"abcd\"", etag));
  EXPECT_FALSE(ifNoneMatchMatches("W/\"ab\"", etag));
  EXPECT_FALSE(ifNoneMatchMatches("", etag));
  EXPECT_FALSE(ifNoneMatchMatches("abc", etag));          // unquoted: malformed
  EXPECT_FALSE(ifNoneMatchMatches("\"abc", etag));        // unterminated
  EXPECT_FALSE(ifNoneMatchMatches("*, \"abc\"", etag));   // `*` stands alone
  EXPECT_FALSE(ifNoneMatchMatches("\"x\" \"abc\"", etag));  // not comma-separated
}

TEST(ConditionalGet, IfMatchTagsAreForStrongComparison) {
  EXPECT_EQ(ifMatchTags("\"abc\""), (std::vector<std::string>{"abc"}));
  EXPECT_EQ(ifMatchTags(" \"a\" , \"b\" "), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(ifMatchTags("*"), (std::vector<std::string>{"*"}));
  EXPECT_EQ(ifMatchTags("W/\"weak\""), std::vector<std::string>{}) << "a weak tag never matches strongly";
  EXPECT_EQ(ifMatchTags("W/\"weak\", \"strong\""), (std::vector<std::string>{"strong"}));
  EXPECT_FALSE(ifMatchTags("no-quotes"));
  EXPECT_FALSE(ifMatchTags("\"open"));
  EXPECT_FALSE(ifMatchTags("*, \"a\""));
  EXPECT_FALSE(ifMatchTags(""));
  EXPECT_FALSE(ifMatchTags("\"a\" \"b\""));
}

TEST(ConditionalGet, OnlyA200BecomesA304) {
  ApiRequest request;
  request.ifNoneMatch = "*";
  ApiReply notFound;
  notFound.status = 404;
  notFound.body = "{}";
  EXPECT_EQ(withConditionalGet(notFound, request, "no-cache").status, 404);
  ApiReply ok;
  ok.body = "{}";
  ok.contentType = kJsonContentType;
  ApiReply revalidated = withConditionalGet(ok, request, "no-cache");
  EXPECT_EQ(revalidated.status, 304);
  EXPECT_TRUE(revalidated.body.empty());
  EXPECT_TRUE(revalidated.contentType.empty());
}

TEST(ConditionalGet, CatalogAnswers304WithTheSameValidatorsAndNoBody) {
  auto& server = testing::testServer();
  auto full = server.get("/api/v1/integrations/schemas", "nora");
  ASSERT_EQ(full.status, 200) << full.body;
  const std::string etag = full.header("etag");
  ASSERT_EQ(etag.rfind("W/\"", 0), 0u) << etag;
  EXPECT_EQ(full.header("cache-control"), "private, no-cache");

  testing::HttpCall call;
  call.path = "/api/v1/integrations/schemas";
  call.token = server.token("nora");
  call.headers = {{"If-None-Match", "\"other\", " + etag}};
  auto revalidated = server.call(call);
  EXPECT_EQ(revalidated.status, 304);
  EXPECT_TRUE(revalidated.body.empty());
  EXPECT_EQ(revalidated.header("etag"), etag);
  EXPECT_EQ(revalidated.header("cache-control"), "private, no-cache");
  EXPECT_EQ(revalidated.header("content-length"), "");

  call.headers = {{"If-None-Match", "W/\"stale\""}};
  auto changed = server.call(call);
  EXPECT_EQ(changed.status, 200);
  EXPECT_EQ(changed.body, full.body);

  // One representation, one validator: same bytes, same ETag, and not otherwise.
  auto filtered = server.get("/api/v1/integrations/schemas?featured=true", "nora");
  ASSERT_EQ(filtered.status, 200);
  EXPECT_NE(filtered.body, full.body) << "the seeded catalog has unfeatured schemas";
  EXPECT_NE(filtered.header("etag"), etag);
}

}  // namespace
}  // namespace sb::http
