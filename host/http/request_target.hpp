// Splits an origin-form request target ("/path?query") into decoded path
// segments and query parameters. Malformed targets are an InvalidArgument,
// never an exception.
// Thread-safety: pure function; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "http/exchange.hpp"

namespace sb::http {

struct RequestTarget {
  std::string path;  // raw path (still %-encoded), as the client sent it
  std::vector<std::string> segments;  // decoded
  QueryParams query;  // decoded, in order, duplicates kept
};

Result<RequestTarget> parseRequestTarget(const std::string& target);

}  // namespace sb::http
