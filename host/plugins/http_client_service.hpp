// host_http_send: the only way a plugin reaches the network. Resolves relative
// URLs against the plugin's base URL, applies the plugin's egress policy
// (plugins/egress_policy.hpp: scheme, then every resolved address, connecting
// only to checked ones), bounds each request by min(request timeout, plugin
// timeout, call deadline) and refuses (never truncates) a body larger than
// the plugin's limit. Redirects are not followed: a 3xx goes back to the
// plugin, and a request it sends to the new location is checked again.
// Thread-safety: reentrant; each call opens its own Poco client session.
#pragma once

#include <string>

#include <switchboard/abi.h>

#include "core/result.hpp"
#include "plugins/host_services.hpp"

namespace sb {

// Implements host_http_send for the plugin described by `settings`. On error
// nothing is allocated and the reason is appended to `error` (may be null).
sb_status sendPluginHttpRequest(const HostServiceSettings& settings, sb_call* call,
                                const sb_http_request* request, sb_http_response** outResponse,
                                sb_output* error);

// The absolute URL a plugin request targets: `url` itself when absolute, else
// `baseUrl` joined with it (the base URL's path is kept as a prefix).
Result<std::string> resolvePluginUrl(const std::string& baseUrl, const std::string& url);

}  // namespace sb
