// Method + path-template routing (`/api/v1/projects/{id}`). Unknown paths
// resolve to NotFound, known paths with another method to MethodNotAllowed
// with the allowed methods (for the `Allow` header). A literal segment beats
// a `{param}` at the same position, so `/schemas/categories` wins over
// `/schemas/{id}` regardless of registration order. A route added with
// addSpanning() lets its last `{param}` take every remaining segment, joined
// by "/" (empty ones included, for the handler to refuse by name): workspace
// file paths such as `/files/workflows/deploy.yaml`.
// Thread-safety: build with add() before serving; match()/routes() are const
// and safe from any number of threads afterwards.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "http/exchange.hpp"

namespace sb::http {

using RouteHandler = std::function<ApiReply(ApiRequest&)>;
// Answers from memory alone, or declines (nullopt) and the handler runs on a
// worker. It runs on an I/O thread, so it never waits: no store, no plugin,
// no lock that anyone holds across either (see docs/architecture.md).
using FastRouteHandler = std::function<std::optional<ApiReply>(ApiRequest&)>;

enum class RouteAccess { Public, Bearer };

struct Route {
  std::string method;   // GET, POST, PUT, DELETE
  std::string pattern;  // "/api/v1/projects/{id}"
  RouteAccess access = RouteAccess::Bearer;
  RouteHandler handler;
  FastRouteHandler fast;  // optional
};

struct RouteMatch {
  enum class Kind { Found, NotFound, MethodNotAllowed };
  Kind kind = Kind::NotFound;
  const Route* route = nullptr;
  std::map<std::string, std::string> params;
  std::vector<std::string> allowedMethods;  // for MethodNotAllowed, sorted
};

// Splits "/a/b%20c" into {"a", "b c"}, decoding each segment separately so an
// encoded "/" stays inside its segment. nullopt for an invalid %-escape or a
// path that does not start with "/".
std::optional<std::vector<std::string>> splitPath(const std::string& rawPath);

class Router {
 public:
  void add(std::string method, std::string pattern, RouteAccess access, RouteHandler handler,
           FastRouteHandler fast = {});
  // As add(), with the pattern's last segment (a `{param}`) spanning one or
  // more request segments.
  void addSpanning(std::string method, std::string pattern, RouteAccess access, RouteHandler handler);
  RouteMatch match(const std::string& method, const std::vector<std::string>& segments) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Segment {
    std::string text;
    bool isParam = false;
    bool spans = false;  // the last param of an addSpanning() route
  };
  static std::vector<Segment> compile(const std::string& pattern);
  static bool matches(const std::vector<Segment>& pattern, const std::vector<std::string>& segments);
  static bool moreSpecific(const std::vector<Segment>& a, const std::vector<Segment>& b);

  std::vector<Route> routes_;
  std::vector<std::vector<Segment>> compiled_;  // parallel to routes_
};

}  // namespace sb::http
