#include <gtest/gtest.h>

#include <stdexcept>

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

TEST(Router, ASpanningParamTakesTheRestOfThePath) {
  Router router;
  router.add("GET", "/p/{id}/files", RouteAccess::Bearer, replyWith(1));
  router.addSpanning("GET", "/p/{id}/files/{path}", RouteAccess::Bearer, replyWith(2));
  router.addSpanning("PUT", "/p/{id}/files/{path}", RouteAccess::Bearer, replyWith(3));
  EXPECT_EQ(router.match("GET", segments("/p/1/files")).route->pattern, "/p/{id}/files");
  auto nested = router.match("GET", segments("/p/1/files/workflows/deploy.yaml"));
  ASSERT_EQ(nested.kind, RouteMatch::Kind::Found);
  EXPECT_EQ(nested.params.at("path"), "workflows/deploy.yaml");
  EXPECT_EQ(nested.params.at("id"), "1");
  // Empty segments reach the handler, which refuses them by name.
  EXPECT_EQ(router.match("GET", segments("/p/1/files/a//b")).params.at("path"), "a//b");
  EXPECT_EQ(router.match("GET", segments("/p/1/files/")).params.at("path"), "");
  // Each segment is decoded on its own; an encoded slash stays one segment's text.
  EXPECT_EQ(router.match("GET", segments("/p/1/files/a%2Fb/c")).params.at("path"), "a/b/c");
  auto wrong = router.match("DELETE", segments("/p/1/files/a/b"));
  ASSERT_EQ(wrong.kind, RouteMatch::Kind::MethodNotAllowed);
  EXPECT_EQ(wrong.allowedMethods, (std::vector<std::string>{"GET", "PUT"}));
  EXPECT_THROW(router.addSpanning("GET", "/p/{id}/literal", RouteAccess::Bearer, replyWith(4)), std::invalid_argument);
}

TEST(Router, SplitPathDecodesEachSegmentAndRejectsBadEscapes) {
  EXPECT_EQ(segments("/a/b%2Fc/d%20e"), (std::vector<std::string>{"a", "b/c", "d e"}));
  EXPECT_FALSE(splitPath("/a/%zz").has_value());
  EXPECT_FALSE(splitPath("a/b").has_value());
  EXPECT_FALSE(splitPath("").has_value());
}

}  // namespace
}  // namespace sb::http
