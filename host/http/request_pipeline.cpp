#include "http/request_pipeline.hpp"

#include <Poco/Logger.h>

#include <algorithm>
#include <map>
#include <variant>

#include "auth/principal_cache.hpp"
#include "auth/tokens.hpp"
#include "core/metrics.hpp"
#include "http/bearer_auth.hpp"
#include "http/request_target.hpp"

namespace sb::http {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("switchboard.http"); }

std::string joined(const std::vector<std::string>& values) {
  std::string text;
  for (const auto& value : values) text += (text.empty() ? "" : ", ") + value;
  return text;
}

ApiReply internalErrorReply(const ApiRequest& request, const std::string& what) {
  logger().error("request %s %s %s: unhandled exception: %s", request.requestId, request.method,
                 request.path, what);
  return problemReply(request, problemFor(Status(ErrorCode::Internal, what)));
}

}  // namespace

RequestPipeline::RequestPipeline(const Router& router, UserRepository& users, AccessLog* accessLog,
                                 PrincipalCache* principals, Metrics* metrics)
    : router_(router), users_(users), accessLog_(accessLog), principals_(principals), metrics_(metrics) {}

std::optional<ApiReply> RequestPipeline::route(Exchange& exchange, const std::string& target) const {
  ApiRequest& request = exchange.request;
  request.path = target.substr(0, target.find('?'));
  auto parsed = parseRequestTarget(target);
  if (!parsed) return failureReply(request, parsed.status());
  request.path = parsed->path;
  request.query = std::move(parsed->query);

  // HEAD is GET without the body (RFC 9110 §9.3.2); the writer drops the body.
  const std::string method = request.method == "HEAD" ? "GET" : request.method;
  const RouteMatch match = router_.match(method, parsed->segments);
  if (match.kind == RouteMatch::Kind::NotFound) {
    return problemReply(request, problemForHttpStatus(404, "no resource at '" + request.path + "'"));
  }
  if (match.kind == RouteMatch::Kind::MethodNotAllowed) {
    std::vector<std::string> allowed = match.allowedMethods;
    if (std::find(allowed.begin(), allowed.end(), "GET") != allowed.end()) allowed.push_back("HEAD");
    Problem problem = problemForHttpStatus(
        405, "method " + request.method + " is not allowed here; allowed: " + joined(allowed));
    problem.headers.emplace_back("Allow", joined(allowed));
    return problemReply(request, problem);
  }
  exchange.route = match.route;
  request.pathParams = match.params;
  return std::nullopt;
}

bool RequestPipeline::cachedAuth(Exchange& exchange, std::optional<ApiReply>& refusal) const {
  if (exchange.route->access != RouteAccess::Bearer) return true;
  const auto token = exchange.hasAuthorization ? bearerToken(exchange.authorization) : std::nullopt;
  // Missing or malformed credentials are refused without the store.
  if (!token) {
    auto outcome = sb::http::authenticate(users_, nullptr, exchange.request, exchange.hasAuthorization,
                                          exchange.authorization);
    refusal = std::move(std::get<ApiReply>(outcome));
    return true;
  }
  if (principals_ == nullptr) return false;
  if (auto known = principals_->find(sha256Hex(*token))) {
    exchange.request.principal = std::move(*known);
    return true;
  }
  return false;
}

std::optional<ApiReply> RequestPipeline::authenticate(Exchange& exchange) const {
  auto outcome = sb::http::authenticate(users_, principals_, exchange.request, exchange.hasAuthorization,
                                        exchange.authorization);
  if (auto* reply = std::get_if<ApiReply>(&outcome)) return std::move(*reply);
  exchange.request.principal = std::move(std::get<Principal>(outcome));
  return std::nullopt;
}

// Nothing a route throws reaches the front end: it becomes a logged 500.
template <class Call>
auto guarded(const ApiRequest& request, Call&& call) -> decltype(call()) {
  try {
    return call();
  } catch (const std::exception& e) {
    return internalErrorReply(request, e.what());
  } catch (...) {
    return internalErrorReply(request, "unknown exception");
  }
}

std::optional<ApiReply> RequestPipeline::fast(Exchange& exchange) const {
  if (!exchange.route->fast) return std::nullopt;
  return guarded(exchange.request, [&] { return exchange.route->fast(exchange.request); });
}

ApiReply RequestPipeline::handle(Exchange& exchange) const {
  return guarded(exchange.request, [&] { return exchange.route->handler(exchange.request); });
}

void RequestPipeline::record(const Exchange& exchange, int status, std::size_t bodyBytes) const {
  const ApiRequest& request = exchange.request;
  const std::string& route = exchange.route != nullptr ? exchange.route->pattern : std::string();
  if (accessLog_ != nullptr) {
    AccessRecord record;
    record.requestId = request.requestId;
    record.method = request.method;
    record.path = request.path;
    record.route = route;
    record.status = status;
    record.bytes = bodyBytes;
    record.durationMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                                  exchange.started)
                            .count();
    if (request.principal) record.userId = request.principal->user.id;
    record.remote = request.remote;
    accessLog_->write(record);
  }
  if (metrics_ != nullptr) {
    // The route template, not the path: ids in paths would explode the label
    // set. Each (route, status) series is resolved once; counting is an add.
    Metrics::Counter counter;
    {
      std::lock_guard lock(countersMutex_);
      auto key = std::make_pair(exchange.route, status);
      auto it = counters_.find(key);
      if (it == counters_.end()) {
        const std::string label = route.empty() ? "unmatched" : route;
        it = counters_
                 .emplace(key, metrics_->counter(Metrics::kHttpRequests,
                                                 {{"route", label}, {"status", std::to_string(status)}}))
                 .first;
      }
      counter = it->second;
    }
    counter.add();
  }
}

}  // namespace sb::http
