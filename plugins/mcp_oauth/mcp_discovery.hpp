// MCP authorization discovery (modelcontextprotocol.io specification
// 2025-11-25, "Authorization"): the protected resource metadata (RFC 9728)
// named by the server's 401 `WWW-Authenticate: Bearer resource_metadata=...`,
// else its path-aware well-known URL, then the root one; then the metadata of
// its first authorization server (RFC 8414, then OpenID Connect Discovery, in
// the order of docs STANDARDS.md), whose `issuer` must equal the issuer
// asked for, and which must advertise PKCE S256 (absent = refused).
// Requests go through the host's HTTP client (egress policy, timeouts).
// Thread-safety: free functions, reentrant.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <switchboard/sdk.hpp>

namespace mcp {

// The resource_metadata parameter of a Bearer challenge (RFC 9728 §5.1), "" if none.
std::string resourceMetadataFrom(std::string_view wwwAuthenticate);
// RFC 9728 §3.1: https://host/.well-known/oauth-protected-resource/<path>, then the root one.
std::vector<std::string> resourceMetadataUrls(const std::string& serverUrl);
// RFC 8414 §3.1 then OIDC Discovery 1.0 §4, for an issuer with or without a path.
std::vector<std::string> authorizationServerMetadataUrls(const std::string& issuer);

// request {"serverUrl","wwwAuthenticate"?}; out: {"issuer","resource",
// "authorizationEndpoint","tokenEndpoint","revocationEndpoint"?,
// "registrationEndpoint"?,"clientIdMetadataDocumentSupported","scopes":[],
// "clientAuth"}. When no challenge is given, the server is asked once
// without a token for its 401.
switchboard::Outcome discover(const switchboard::Host& host, const switchboard::Call& call,
                              std::string_view requestJson);

}  // namespace mcp
