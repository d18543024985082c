// The random values of one authorization request (RFC 6749 §10.10, RFC 7636):
// a PKCE code verifier and its S256 challenge, and the `state`, which is
// stored only as its SHA-256 hex so a database reader cannot replay it.
// Thread-safety: free functions, thread-safe.
#pragma once

#include <string>

namespace sb::connections {

// 43 characters of [A-Za-z0-9_-] (32 random bytes, base64url): within
// RFC 7636 §4.1's 43..128 characters of [A-Za-z0-9-._~].
std::string newCodeVerifier();
// BASE64URL(SHA256(ASCII(verifier))) without padding (RFC 7636 §4.2, S256).
std::string codeChallengeS256(const std::string& verifier);
// 43 characters from 32 random bytes: unguessable, URL-safe (RFC 6749 §10.12).
std::string newState();
// What is stored for a state: lowercase SHA-256 hex.
std::string stateHash(const std::string& state);

}  // namespace sb::connections
