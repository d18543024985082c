#include <gtest/gtest.h>

#include "http/router.hpp"

namespace sb::http {
namespace {

RouteHandler replyWith(int status) {
  return [status](ApiRequest&) { return ApiReply{status, {}, {}, {}, {}}; };
}

std::vector<std::string> segments(const std::string& path) { return *splitPath(path); }

TEST(Router, LiteralSegmentBeatsParameterRegardlessOfOrder) {
  Router router;
  router.add("GET", "/schemas/{id}", RouteAccess::Bearer, replyWith(1));
  router.add("GET", "/schemas/categories", RouteAccess::Bearer, replyWith(2));
  auto categories = router.match("GET", segments("/schemas/categories"));
  ASSERT_EQ(categories.kind, RouteMatch::Kind::Found);
  EXPECT_EQ(categories.route->pattern, "/schemas/categories");
  auto byId = router.match("GET", segments("/schemas/github"));
  ASSERT_EQ(byId.kind, RouteMatch::Kind::Found);
  EXPECT_EQ(byId.params.at("id"), "github");
  // A wrong method on the literal path is a 405, not a fall-through to {id}.
  auto wrong = router.match("DELETE", segments("/schemas/categories"));
  EXPECT_EQ(wrong.kind, RouteMatch::Kind::MethodNotAllowed);
  EXPECT_EQ(wrong.allowedMethods, std::vector<std::string>{"GET"});
}

TEST(Router, UnknownPathIsNotFoundAndWrongMethodListsAllowed) {
  Router router;
  router.add("GET", "/p/{id}/m/{user}", RouteAccess::Bearer, replyWith(1));
  router.add("PUT", "/p/{id}/m/{user}", RouteAccess::Bearer, replyWith(2));
  EXPECT_EQ(router.match("GET", segments("/p/1/m")).kind, RouteMatch::Kind::NotFound);
  EXPECT_EQ(router.match("GET", segments("/p/1/m/")).kind, RouteMatch::Kind::NotFound);
  auto wrong = router.match("POST", segments("/p/1/m/bob"));
  ASSERT_EQ(wrong.kind, RouteMatch::Kind::MethodNotAllowed);
  EXPECT_EQ(wrong.allowedMethods, (std::vector<std::string>{"GET", "PUT"}));
  auto found = router.match("PUT", segments("/p/1/m/bob"));
  ASSERT_EQ(found.kind, RouteMatch::Kind::Found);
  EXPECT_EQ(found.params.at("id"), "1");
  EXPECT_EQ(found.params.at("user"), "bob");
}

TEST(Router, SplitPathDecodesEachSegmentAndRejectsBadEscapes) {
  EXPECT_EQ(segments("/a/b%2Fc/d%20e"), (std::vector<std::string>{"a", "b/c", "d e"}));
  EXPECT_FALSE(splitPath("/a/%zz").has_value());
  EXPECT_FALSE(splitPath("a/b").has_value());
  EXPECT_FALSE(splitPath("").has_value());
}

}  // namespace
}  // namespace sb::http
