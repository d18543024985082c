// The request and reply values a route handler sees. The dispatcher fills an
// ApiRequest from Poco's request (path, params, query, body already read
// within limits, caller already authenticated) and sends the ApiReply, so
// handlers never touch sockets and are trivially exception-safe.
// Thread-safety: one instance per request, used by one worker thread.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"
#include "http/problem.hpp"

namespace sb::http {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

struct ApiRequest {
  std::string method;
  std::string path;  // request path as sent (still %-encoded, no query): problem `instance`, logs
  std::map<std::string, std::string> pathParams;
  QueryParams query;
  std::string contentType;
  std::string body;
  std::string requestId;
  std::optional<std::string> ifNoneMatch;  // the If-None-Match field value, when sent
  std::optional<Principal> principal;  // set for routes that require a bearer token

  const std::string& param(const std::string& name) const;
};

struct ApiReply {
  int status = 200;
  std::string contentType;  // empty for bodiless replies (204)
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

inline constexpr const char* kJsonContentType = "application/json; charset=utf-8";

ApiReply jsonReply(int status, const Poco::JSON::Object& body);
// {"items": [...]}: every collection is wrapped so it can grow paging fields.
ApiReply itemsReply(const Poco::JSON::Array& items);
ApiReply noContentReply();
ApiReply problemReply(const ApiRequest& request, const Problem& problem);
// problemFor(status), logging Internal/Unavailable causes with the request id
// because their message is kept out of the response.
ApiReply failureReply(const ApiRequest& request, const Status& status);

}  // namespace sb::http
