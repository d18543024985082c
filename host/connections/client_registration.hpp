// The host's OAuth client at an MCP server's authorization server when none
// is configured: a Client ID Metadata Document the host serves itself (its
// URL is the client id), or an RFC 7591 dynamic registration. A registration
// is sealed (SecretBox, associated data bound to the issuer) before it is
// stored per issuer, and reused until the server rejects it (invalid_client),
// its secret expires, or the redirect_uri changes.
// Thread-safety: pure functions, and registerClient is reentrant.
#pragma once

#include <cstdint>
#include <string>

#include "config/config.hpp"
#include "core/result.hpp"
#include "crypto/secret_box.hpp"

namespace sb::connections {

struct ClientRegistration {
  std::string clientId;
  std::string clientSecret;  // "" for a public client
  std::int64_t clientSecretExpiresAt = 0;  // epoch seconds, 0 = never (RFC 7591 §3.2.1)
  std::string tokenAuth = "client_secret_basic";  // client_secret_basic | client_secret_post
  std::string redirectUri;  // the one it was registered with
};

// The path the host serves a connection's Client ID Metadata Document at.
std::string clientMetadataDocumentPath(const std::string& connectionName);
// https://<origin of redirect_uri>/oauth/client-metadata/<name>.json: the
// redirect_uri is the host's own callback, so its origin is the host's
// public one. "" when that origin is not https (a metadata document client
// id must be an https URL).
std::string clientMetadataDocumentUrl(const ConnectionConfig& connection);
// The document: client_id (its own URL), client_name, redirect_uris,
// grant_types, response_types and token_endpoint_auth_method "none".
std::string clientMetadataDocument(const ConnectionConfig& connection);

// The RFC 7591 §2 registration request for `connection`.
std::string registrationRequestBody(const ConnectionConfig& connection);
// Judges a registration reply (§3.2.1 / §3.2.2): 201 (200 is tolerated)
// with a client_id string. BadGateway otherwise, naming the §3.2.2 error
// code but never the body.
Result<ClientRegistration> parseRegistrationReply(int status, const std::string& body,
                                                  const std::string& redirectUri);
// True while the registration may still be used at `nowMs`.
bool registrationUsable(const ClientRegistration& registration, const std::string& redirectUri, std::int64_t nowMs);

std::string sealRegistration(const ClientRegistration& registration, const SecretBox& box, const std::string& issuer);
Result<ClientRegistration> openRegistration(const std::string& sealed, const SecretBox& box,
                                            const std::string& issuer);

// POSTs the registration request to `endpoint` (with the connection's egress).
Result<ClientRegistration> registerClient(const ConnectionConfig& connection, const std::string& endpoint);

}  // namespace sb::connections
