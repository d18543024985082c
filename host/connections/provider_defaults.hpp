// Connection defaults from provider plugins. A `connections:` entry with
// `provider: <plugin id>` takes that plugin's on_describe endpoints, scopes
// and client authentication for whatever the YAML left out (the YAML wins
// field by field), and has its 2xx token replies read by the plugin's
// on_token_response (the host still judges error replies itself).
// Thread-safety: run once at start-up, after the plugins loaded and before
// the connections are synced; the adapters it installs may then be called
// from any thread (plugin hooks may run concurrently).
#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"
#include "core/result.hpp"

namespace sb {
class PluginRegistry;
}

namespace sb::connections {

// Merges one on_describe document into `connection`. A document that is not
// {"authorizationEndpoint","tokenEndpoint","revocationEndpoint"?,"scopes":[],
// "clientAuth"} with http(s) URLs is refused (InvalidArgument, saying what).
// Empty endpoints (an MCP provider's: discovery finds them) fill nothing.
Status mergeProviderDescribe(ConnectionConfig& connection, const std::string& describeJson);

// For each entry with a `provider`:
//  - no plugin of that id is configured, or it has no connection provider:
//    a configuration error naming the entry's file:line:column;
//  - the plugin failed to load, or described itself badly: the entry is
//    disabled with that reason (start-up goes on);
//  - an oauth2 entry still without authorize_url or token_url after the
//    merge: a configuration error.
Status applyProviderDefaults(std::vector<ConnectionConfig>& connections, const PluginRegistry& registry);

}  // namespace sb::connections
