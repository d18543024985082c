#include "http/router.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <stdexcept>

namespace sb::http {

std::optional<std::vector<std::string>> splitPath(const std::string& rawPath) {
  if (rawPath.empty() || rawPath.front() != '/') return std::nullopt;
  std::vector<std::string> segments;
  std::size_t start = 1;
  while (true) {
    const std::size_t slash = rawPath.find('/', start);
    const std::string raw = rawPath.substr(start, slash == std::string::npos ? std::string::npos
                                                                            : slash - start);
    std::string decoded;
    try {
      Poco::URI::decode(raw, decoded);
    } catch (const Poco::Exception&) {
      return std::nullopt;
    }
    segments.push_back(std::move(decoded));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return segments;
}

void Router::add(std::string method, std::string pattern, RouteAccess access, RouteHandler handler,
                 FastRouteHandler fast) {
  compiled_.push_back(compile(pattern));
  routes_.push_back(Route{std::move(method), std::move(pattern), access, std::move(handler), std::move(fast)});
}

void Router::addSpanning(std::string method, std::string pattern, RouteAccess access, RouteHandler handler) {
  std::vector<Segment> segments = compile(pattern);
  if (segments.empty() || !segments.back().isParam) {
    throw std::invalid_argument("a spanning route must end in a {param}: " + pattern);
  }
  segments.back().spans = true;
  compiled_.push_back(std::move(segments));
  routes_.push_back(Route{std::move(method), std::move(pattern), access, std::move(handler), {}});
}

std::vector<Router::Segment> Router::compile(const std::string& pattern) {
  const auto parts = splitPath(pattern);
  if (!parts) throw std::invalid_argument("route pattern must start with '/': " + pattern);
  std::vector<Segment> segments;
  for (const auto& part : *parts) {
    const bool isParam = part.size() > 2 && part.front() == '{' && part.back() == '}';
    segments.push_back({isParam ? part.substr(1, part.size() - 2) : part, isParam});
  }
  return segments;
}

bool Router::matches(const std::vector<Segment>& pattern, const std::vector<std::string>& segments) {
  const bool spans = !pattern.empty() && pattern.back().spans;
  if (spans ? segments.size() < pattern.size() : pattern.size() != segments.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i].spans) return true;  // the rest, whatever it holds, is the handler's to judge
    if (pattern[i].isParam ? segments[i].empty() : pattern[i].text != segments[i]) return false;
  }
  return true;
}

bool Router::moreSpecific(const std::vector<Segment>& a, const std::vector<Segment>& b) {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i].isParam != b[i].isParam) return !a[i].isParam;
  }
  return false;
}

RouteMatch Router::match(const std::string& method, const std::vector<std::string>& segments) const {
  // Pick the most specific template first; only then look at the method, so
  // a wrong method on `/schemas/categories` is a 405, not a hit on `{id}`.
  const std::vector<Segment>* best = nullptr;
  const std::string* bestPattern = nullptr;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    if (!matches(compiled_[i], segments)) continue;
    if (best == nullptr || moreSpecific(compiled_[i], *best)) {
      best = &compiled_[i];
      bestPattern = &routes_[i].pattern;
    }
  }
  RouteMatch result;
  if (best == nullptr) return result;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    if (routes_[i].pattern != *bestPattern) continue;
    result.allowedMethods.push_back(routes_[i].method);
    if (routes_[i].method == method) result.route = &routes_[i];
  }
  std::sort(result.allowedMethods.begin(), result.allowedMethods.end());
  if (result.route == nullptr) {
    result.kind = RouteMatch::Kind::MethodNotAllowed;
    return result;
  }
  result.kind = RouteMatch::Kind::Found;
  for (std::size_t i = 0; i < best->size(); ++i) {
    if (!(*best)[i].isParam) continue;
    std::string value = segments[i];
    if ((*best)[i].spans) {
      for (std::size_t rest = i + 1; rest < segments.size(); ++rest) value += "/" + segments[rest];
    }
    result.params[(*best)[i].text] = std::move(value);
  }
  return result;
}

}  // namespace sb::http
