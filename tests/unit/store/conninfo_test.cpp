#include <gtest/gtest.h>

#include "store/conninfo.hpp"
#include "store/record_ids.hpp"

namespace sb::store {
namespace {

TEST(Placeholders, NumbersQuestionMarksOutsideQuotes) {
  EXPECT_EQ(withDollarPlaceholders("SELECT a FROM t WHERE b = ? AND c = '?' AND \"d?\" = ?"),
            "SELECT a FROM t WHERE b = $1 AND c = '?' AND \"d?\" = $2");
  EXPECT_EQ(withDollarPlaceholders("VALUES ('it''s ?', ?)"), "VALUES ('it''s ?', $1)");
  EXPECT_EQ(withDollarPlaceholders("SELECT 1"), "SELECT 1");
}

TEST(Conninfo, KeywordFormPassesThroughWithTimeout) {
  auto result = toKeywordConninfo("host=127.0.0.1 port=55432  user=postgres");
  ASSERT_TRUE(result.isOk()) << result.status().message();
  EXPECT_EQ(result.value(), "host=127.0.0.1 port=55432 user=postgres connect_timeout=10");
  auto explicitTimeout = toKeywordConninfo("host=db connect_timeout=3");
  ASSERT_TRUE(explicitTimeout.isOk());
  EXPECT_EQ(explicitTimeout.value(), "host=db connect_timeout=3");
}

TEST(Conninfo, UrlFormBecomesKeywords) {
  auto result = toKeywordConninfo("postgresql://app:p%40ss@db.example:6543/switch?sslmode=require");
  ASSERT_TRUE(result.isOk()) << result.status().message();
  EXPECT_EQ(result.value(),
            "password=p@ss user=app host=db.example port=6543 dbname=switch sslmode=require "
            "connect_timeout=10");
  auto ipv6 = toKeywordConninfo("postgres://[::1]:5432/db");
  ASSERT_TRUE(ipv6.isOk()) << ipv6.status().message();
  EXPECT_EQ(ipv6.value(), "host=::1 port=5432 dbname=db connect_timeout=10");
}

TEST(Conninfo, RejectsWhatTheConnectorWouldMangle) {
  auto noEquals = toKeywordConninfo("localhost");
  EXPECT_EQ(noEquals.status().code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(noEquals.status().field(), "database.url");
  EXPECT_EQ(toKeywordConninfo("host=x password='a b'").status().code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(toKeywordConninfo("postgresql://u:a%20b@h/db").status().code(),
            ErrorCode::InvalidArgument);
  EXPECT_EQ(toKeywordConninfo("postgresql://h/db%zz").status().code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(toKeywordConninfo("").status().code(), ErrorCode::InvalidArgument);
}

TEST(Conninfo, RedactsPasswordsInEveryForm) {
  const std::string keyword = "host=h user=u password=Secr3t dbname=d";
  EXPECT_EQ(redactPassword("failed for " + keyword, keyword),
            "failed for host=h user=u password=*** dbname=d");
  EXPECT_EQ(redactPassword("auth failed with Secr3t", keyword), "auth failed with ***");
  const std::string url = "postgresql://u:Secr3t@h:1/d";
  EXPECT_EQ(redactPassword("cannot reach " + url, url), "cannot reach postgresql://u:***@h:1/d");
  EXPECT_EQ(redactPassword("x postgres://a:b@c/d", "host=h"), "x postgres://a:***@c/d");
}

TEST(RecordIds, PrefixedUrlSafeAndDistinct) {
  std::string first = newRecordId("prj_");
  std::string second = newRecordId("prj_");
  EXPECT_NE(first, second);
  ASSERT_EQ(first.size(), 4u + 22u);
  EXPECT_EQ(first.rfind("prj_", 0), 0u);
  EXPECT_EQ(first.find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 4),
            std::string::npos);
}

TEST(RecordIds, TimestampsAreIsoUtcWithMilliseconds) {
  std::string now = utcNow();
  ASSERT_EQ(now.size(), 24u) << now;
  EXPECT_EQ(now[4], '-');
  EXPECT_EQ(now[10], 'T');
  EXPECT_EQ(now[19], '.');
  EXPECT_EQ(now[23], 'Z');
}

TEST(RecordIds, TimestampsStrictlyIncreaseWithinTheProcess) {
  std::string previous = utcNow();
  for (int i = 0; i < 1000; ++i) {
    std::string next = utcNow();
    ASSERT_LT(previous, next);
    previous = next;
  }
}

}  // namespace
}  // namespace sb::store
