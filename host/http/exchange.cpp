#include "http/exchange.hpp"

#include <Poco/Logger.h>

#include <sstream>

namespace sb::http {

const std::string& ApiRequest::param(const std::string& name) const {
  static const std::string kEmpty;
  const auto it = pathParams.find(name);
  return it == pathParams.end() ? kEmpty : it->second;
}

const std::string* ApiRequest::header(const std::string& lowerName) const {
  for (const auto& [name, value] : headers) {
    if (name == lowerName) return &value;
  }
  return nullptr;
}

ApiReply jsonReply(int status, const Poco::JSON::Object& body) {
  std::ostringstream out;
  body.stringify(out);
  return {status, kJsonContentType, out.str(), {}, {}};
}

ApiReply itemsReply(const Poco::JSON::Array& items) {
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("items", items);
  return jsonReply(200, body);
}

ApiReply noContentReply() { return {204, {}, {}, {}, {}}; }

ApiReply problemReply(const ApiRequest& request, const Problem& problem) {
  return {problem.status, kProblemContentType,
          problemJson(problem, request.path, request.requestId), problem.headers, {}};
}

ApiReply failureReply(const ApiRequest& request, const Status& status) {
  if (status.code() == ErrorCode::Internal || status.code() == ErrorCode::Unavailable ||
      status.code() == ErrorCode::Ok) {
    Poco::Logger::get("switchboard.http")
        .error("request %s %s %s failed: %s: %s", request.requestId, request.method, request.path,
               std::string(toString(status.code())), status.message());
  }
  return problemReply(request, problemFor(status));
}

}  // namespace sb::http
