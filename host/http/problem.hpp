// RFC 9457 problem details: the one place that maps sb::Status / ErrorCode to
// an HTTP status and an `application/problem+json` body. Handlers never pick
// error statuses themselves except for protocol-level ones (405, 413, 415).
// Thread-safety: pure functions on values; thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/provider_refusal.hpp"
#include "core/result.hpp"

namespace sb::http {

inline constexpr const char* kProblemContentType = "application/problem+json";

struct Problem {
  int status = 500;
  std::string type;    // "urn:switchboard:problem:<slug>"
  std::string title;   // short, the same for every occurrence of the type
  std::string detail;  // this occurrence, safe to show to the caller
  std::string field;   // the input field or parameter at fault; may be empty
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Allow, WWW-Authenticate
  // RFC 9457 extension members (string-valued), e.g. which dependency is down.
  std::vector<std::pair<std::string, std::string>> extensions;
};

int httpStatusFor(ErrorCode code);
// The mapping. Internal errors keep their message out of `detail` (it may
// carry SQL or paths); the caller logs the Status instead.
Problem problemFor(const Status& status);
// A problem for an HTTP-level condition that has no ErrorCode (404 route,
// 405, 408, 413, 415); type and title are derived from the status.
Problem problemForHttpStatus(int httpStatus, std::string detail, std::string field = {});
// 422: the body is well-formed JSON but `field` breaks the rules of the
// integration schema (unknown, wrong type, too long, control characters).
Problem problemForInvalidField(std::string field, std::string detail);

// A provider's refusal of a call made for the caller. The caller's own
// credentials are fine, so a rejected provider token is 422 (not 401) and no
// access is 422 (not 403): the link needs fixing. 429 carries Retry-After,
// an unreachable or failing provider is 502, a slow one 504; never 500.
Problem problemForProviderRefusal(const ProviderRefusal& refusal);

// The JSON body: type, title, status, detail, instance, requestId (+ field,
// + extensions).
std::string problemJson(const Problem& problem, const std::string& instance,
                        const std::string& requestId);

}  // namespace sb::http
