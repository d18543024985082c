// Renders the status line and header block of a reply: the common headers
// every reply carries (Date, X-Request-Id, Cache-Control: no-store unless the
// route set its own), the route's headers, the body framing and Connection.
// Thread-safety: pure functions (the Date text is cached per thread).
#pragma once

#include <cstddef>
#include <string>

#include "http/exchange.hpp"

namespace sb::http {

struct HeadFraming {
  bool headRequest = false;  // HEAD: framing of the GET body, no body bytes
  bool close = false;        // the connection closes after this reply
  bool http10 = false;       // the client spoke HTTP/1.0
  bool stream = false;       // body produced later (chunked on 1.1, until close on 1.0)
};

// The head of `reply`; when the reply has a body that is sent, append it.
std::string renderHead(const ApiReply& reply, const std::string& requestId, const HeadFraming& framing);
// True for statuses that never carry a body (1xx, 204, 304).
bool statusHasNoBody(int status);
// The IMF-fixdate of now (RFC 9110 §5.6.7), e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
std::string httpDateNow();

}  // namespace sb::http
