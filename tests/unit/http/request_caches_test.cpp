#include <gtest/gtest.h>

#include <thread>

#include "auth/principal_cache.hpp"
#include "http/rendered_reply_cache.hpp"

namespace sb::http {
namespace {

ApiReply replyWith(int status, const std::string& body) {
  ApiReply reply;
  reply.status = status;
  reply.body = body;
  return reply;
}

TEST(RenderedReplyCache, ReusesA200UntilItExpires) {
  RenderedReplyCache cache(std::chrono::milliseconds(50));
  int renders = 0;
  auto render = [&] { return replyWith(200, "v" + std::to_string(++renders)); };
  EXPECT_EQ(cache.getOrRender("k", render).body, "v1");
  EXPECT_EQ(cache.getOrRender("k", render).body, "v1");
  EXPECT_EQ(cache.getOrRender("other", render).body, "v2");
  std::this_thread::sleep_for(std::chrono::milliseconds(80));  // past the TTL
  EXPECT_EQ(cache.getOrRender("k", render).body, "v3");
}

TEST(RenderedReplyCache, NeverKeepsErrors) {
  RenderedReplyCache cache(std::chrono::seconds(60));
  int renders = 0;
  auto failing = [&] { return replyWith(503, std::to_string(++renders)); };
  EXPECT_EQ(cache.getOrRender("k", failing).body, "1");
  EXPECT_EQ(cache.getOrRender("k", failing).body, "2");
}

TEST(RenderedReplyCache, StaysBoundedWhenKeysComeFromClients) {
  RenderedReplyCache cache(std::chrono::seconds(60), 4);
  int renders = 0;
  auto render = [&] { return replyWith(200, std::to_string(++renders)); };
  for (int i = 0; i < 10; ++i) cache.getOrRender("k" + std::to_string(i), render);
  EXPECT_EQ(renders, 10);
  cache.getOrRender("k9", render);  // still held after the last reset
  EXPECT_EQ(renders, 10);
}

TEST(PrincipalCache, RemembersUntilExpiryOrForget) {
  PrincipalCache cache(std::chrono::milliseconds(50));
  Principal alice;
  alice.user.name = "alice";
  EXPECT_FALSE(cache.find("h1"));
  cache.put("h1", alice);
  ASSERT_TRUE(cache.find("h1"));
  EXPECT_EQ(cache.find("h1")->user.name, "alice");
  cache.forget("h1");
  EXPECT_FALSE(cache.find("h1"));
  cache.put("h2", alice);
  std::this_thread::sleep_for(std::chrono::milliseconds(80));  // past the TTL
  EXPECT_FALSE(cache.find("h2"));
}

}  // namespace
}  // namespace sb::http
