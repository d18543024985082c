// Conditional GET (RFC 9110 §8.8.3, §13.1.2, §15.4.5): a weak ETag per
// representation and If-None-Match evaluation (weak comparison, lists, `*`).
// A 304 carries no body and repeats the validator and caching headers.
// Thread-safety: free functions, thread-safe.
#pragma once

#include <string>
#include <optional>
#include <string_view>
#include <vector>

#include "http/exchange.hpp"

namespace sb::http {

// W/"<16 hex digits>" derived from the representation's bytes.
std::string weakEtagFor(std::string_view body);

// True when an If-None-Match field value matches `etag` under weak comparison:
// `*`, or any listed entity-tag whose opaque-tag equals etag's (W/ ignored).
// A malformed field value matches nothing, so the full response is sent.
bool ifNoneMatchMatches(std::string_view fieldValue, std::string_view etag);

// The entity-tags of an If-Match field value for strong comparison (RFC 9110
// §13.1.1): the opaque values without quotes; a weak tag (W/) is dropped, as
// it never matches strongly; `*` is returned as "*". nullopt when malformed.
std::optional<std::vector<std::string>> ifMatchTags(std::string_view fieldValue);

// Adds ETag (unless the reply carries one, e.g. computed when it was cached)
// and Cache-Control to a 200 reply and turns it into a bodiless 304
// when the request's If-None-Match matches. `cacheControl` is what the 200
// would carry (the 304 repeats it).
ApiReply withConditionalGet(ApiReply reply, const ApiRequest& request,
                            const std::string& cacheControl);

}  // namespace sb::http
