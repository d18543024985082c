// What happens to a request between the front end's parser and its writer,
// in the order the front end drives it:
//   route()        I/O thread: request target, 404/405; never blocks.
//   cachedAuth()   I/O thread: a bearer token the PrincipalCache knows.
//   authenticate() worker: the store lookup for any other token.
//   fast()         I/O thread: a route's answer from memory, if it has one.
//   handle()       worker: the route handler behind an exception barrier.
//   record()       I/O thread, after the reply is written: access log, metrics.
// Refusals (404/405/401) come before the body is read, so a refused request
// costs no upload; the front end then closes a connection whose body is unread.
// Thread-safety: one RequestPipeline serves every connection; it is read-only
// after construction (AccessLog and Metrics lock internally).
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "core/metrics.hpp"

#include "http/access_log.hpp"
#include "http/router.hpp"

namespace sb {
class PrincipalCache;
class UserRepository;
}  // namespace sb

namespace sb::http {

// One request as it passes through the pipeline.
struct Exchange {
  ApiRequest request;
  const Route* route = nullptr;
  std::string authorization;       // raw Authorization value (never logged)
  bool hasAuthorization = false;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

class RequestPipeline {
 public:
  RequestPipeline(const Router& router, UserRepository& users, AccessLog* accessLog, PrincipalCache* principals,
                  Metrics* metrics);

  // Parses the target and finds the route. A reply means: answer with it now.
  std::optional<ApiReply> route(Exchange& exchange, const std::string& target) const;
  // For a route that needs a bearer token: true when authentication is
  // settled without the store (principal set, or `refusal` set); false means
  // run authenticate() on a worker.
  bool cachedAuth(Exchange& exchange, std::optional<ApiReply>& refusal) const;
  std::optional<ApiReply> authenticate(Exchange& exchange) const;
  // The route's fast handler, behind the same exception barrier; nullopt
  // when it has none or it declines.
  std::optional<ApiReply> fast(Exchange& exchange) const;
  ApiReply handle(Exchange& exchange) const;
  void record(const Exchange& exchange, int status, std::size_t bodyBytes) const;

 private:
  const Router& router_;
  UserRepository& users_;
  AccessLog* accessLog_;
  PrincipalCache* principals_;
  Metrics* metrics_;
  mutable std::mutex countersMutex_;
  mutable std::map<std::pair<const Route*, int>, Metrics::Counter> counters_;
};

}  // namespace sb::http
