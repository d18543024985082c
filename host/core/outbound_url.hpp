// The one rule for a URL that leaves the server in a reply: status items
// (resource.url, environments[].url) and catalog entries (docsUrl, iconUrl).
// A UI renders these as links, so only an absolute http or https URL with a
// host and no user info may go out; anything else (javascript:, data:,
// file:, relative, "https://user:pass@host", backslashes or control
// characters that browsers "repair") is dropped by the view that writes it.
// Thread-safety: pure function.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sb {

// Why `url` may not leave the server, or nullopt when it may. The reason
// never repeats the URL (it may carry a credential).
std::optional<std::string> outboundUrlProblem(std::string_view url);

}  // namespace sb
