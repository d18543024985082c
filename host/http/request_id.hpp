// Request ids for correlating a client's call with access and error logs.
// A client-supplied X-Request-Id is kept when it is 1..128 chars of
// [A-Za-z0-9._-] (safe to log and echo); anything else is replaced.
// Thread-safety: free functions; thread-safe.
#pragma once

#include <string>

namespace sb::http {

inline constexpr const char* kRequestIdHeader = "X-Request-Id";

bool isAcceptableRequestId(const std::string& candidate);
// A fresh random id (UUID v4 text).
std::string generateRequestId();
// The client's id when acceptable, else a fresh one.
std::string requestIdFor(const std::string& clientValue);

}  // namespace sb::http
