// Strict JSON request bodies: the content type must be application/json
// (else 415), the body one JSON object nested at most 16 deep (else 400), no
// key twice in one object (else 400 naming it, e.g. `settings.branch`),
// every member one the endpoint knows (else 400 naming it), every member of
// the right type (else 400 naming it). Nothing here throws.
// Thread-safety: free functions; thread-safe.
#pragma once

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "http/exchange.hpp"
#include "http/problem.hpp"

namespace sb::http {

// Either the parsed object or the problem to answer with.
struct JsonBody {
  Poco::JSON::Object::Ptr object;
  std::optional<Problem> problem;
};

bool isJsonContentType(const std::string& contentType);

JsonBody parseJsonObjectBody(const ApiRequest& request, const std::vector<std::string>& knownFields);

// A required string member; InvalidArgument naming the field when missing or
// not a string.
Result<std::string> requiredString(const Poco::JSON::Object& object, const std::string& field);

}  // namespace sb::http
