// The request and reply values a route handler sees. The front end fills an
// ApiRequest from the parsed request (path, params, query, headers, body
// already read within limits, caller already authenticated) and sends the
// ApiReply, so handlers never touch sockets and are trivially exception-safe.
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
#include "http/reply_stream.hpp"

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
  // Request header fields, names lower-cased, in arrival order; a field sent
  // on several lines is one entry, its values joined by ", " (RFC 9110 §5.3).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string remote;  // peer "address:port"

  const std::string& param(const std::string& name) const;
  // The field value, or nullptr when absent. `lowerName` is lower-case.
  const std::string* header(const std::string& lowerName) const;
};

struct ApiReply {
  int status = 200;
  std::string contentType;  // empty for bodiless replies (204)
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set the reply is a stream: status and headers are sent, then the
  // body comes from the producer (reply_stream.hpp); `body` is ignored.
  StreamStart stream;
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
