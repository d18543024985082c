#include "http/request_target.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include "http/router.hpp"

namespace sb::http {
namespace {

Result<QueryParams> parseQuery(const std::string& rawQuery) {
  QueryParams params;
  std::size_t start = 0;
  while (start <= rawQuery.size()) {
    std::size_t amp = rawQuery.find('&', start);
    if (amp == std::string::npos) amp = rawQuery.size();
    const std::string pair = rawQuery.substr(start, amp - start);
    if (!pair.empty()) {
      const std::size_t eq = pair.find('=');
      std::string name;
      std::string value;
      try {
        Poco::URI::decode(pair.substr(0, eq), name, true);
        if (eq != std::string::npos) Poco::URI::decode(pair.substr(eq + 1), value, true);
      } catch (const Poco::Exception&) {
        return Status(ErrorCode::InvalidArgument, "query string has an invalid %-escape");
      }
      params.emplace_back(std::move(name), std::move(value));
    }
    start = amp + 1;
  }
  return params;
}

}  // namespace

Result<RequestTarget> parseRequestTarget(const std::string& target) {
  const std::size_t question = target.find('?');
  RequestTarget parsed;
  parsed.path = target.substr(0, question);
  auto segments = splitPath(parsed.path);
  if (!segments) {
    return Status(ErrorCode::InvalidArgument,
                  "request target must be a path starting with '/' with valid %-escapes");
  }
  parsed.segments = std::move(*segments);
  if (question != std::string::npos) {
    auto query = parseQuery(target.substr(question + 1));
    if (!query) return query.status();
    parsed.query = std::move(*query);
  }
  return parsed;
}

}  // namespace sb::http
