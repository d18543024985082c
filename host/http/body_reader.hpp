// Reads a request body without ever holding more than the configured limit,
// so a chunked upload cannot exhaust memory by lying about its size.
// Thread-safety: free functions on the caller's stream.
#pragma once

#include <cstddef>
#include <istream>
#include <string>

namespace sb::http {

struct BoundedBody {
  std::string bytes;      // the body when it fit
  bool tooLarge = false;  // more than maxBytes arrived; `bytes` is then incomplete
};

// Reads until end of stream or until more than maxBytes arrived.
BoundedBody readBoundedBody(std::istream& in, std::size_t maxBytes);

// Reads and drops up to maxBytes so a rejected request's body does not turn
// into a TCP reset before the client has read our 413.
void discardBody(std::istream& in, std::size_t maxBytes);

}  // namespace sb::http
