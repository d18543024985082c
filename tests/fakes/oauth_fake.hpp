// A fake OAuth 2.0 authorization server and protected resource on loopback,
// following the RFCs the host's connections implement (each endpoint in
// oauth_fake.cpp cites its section). Tests drive the browser leg themselves:
// GET /authorize answers 302 to the redirect_uri with `code` and `state`.
//
// The OAuthFake object is shared with the test (makeOAuthFake returns it
// typed) so a test can read the token-request counter, shorten token
// lifetimes or expire every access token; another process uses the control
// endpoint instead:
//   GET  /__fake/oauth  -> {"tokenRequests","codeExchanges","refreshes",
//                           "revocations","reuseDetected","registrations",
//                           "metadataRequests"}
//   POST /__fake/oauth  {"accessTtlSeconds":N,"expireAccessTokens":true,
//                        "grantedScope":"a b"}
// Thread-safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fake_server.hpp"

namespace sb::fakes {

// The client the fake knows from the start (further ones come from RFC 7591
// registration). Either client_secret_basic or client_secret_post is
// accepted; both at once is invalid_request (RFC 6749 §2.3).
inline constexpr const char* kOAuthClientId = "sb-test-client";
inline constexpr const char* kOAuthClientSecret = "sb-test-client-secret-5d1e";

struct OAuthCounters {
  std::int64_t tokenRequests = 0;  // every POST /token, whatever its outcome
  std::int64_t codeExchanges = 0;  // grant_type=authorization_code answered 200
  std::int64_t refreshes = 0;      // grant_type=refresh_token answered 200
  std::int64_t revocations = 0;    // POST /revoke
  std::int64_t reuseDetected = 0;  // a rotated-out refresh token (or used code) came back
  std::int64_t registrations = 0;  // POST /register answered 201
  std::int64_t metadataRequests = 0;  // GET /.well-known/oauth-authorization-server
};

class OAuthFake : public FakeProvider {
 public:
  OAuthFake();
  ~OAuthFake() override;
  std::string name() const override { return "oauth"; }
  void handle(const FakeRequest& request, FakeResponse& response, const Behaviour& behaviour) override;

  OAuthCounters counters() const;
  void setAccessTtlSeconds(int seconds);  // expires_in of new access tokens (0: omitted)
  void setGrantedScope(const std::string& scope);  // "" = the scope requested
  void expireAccessTokens();                       // every issued access token now gets 401
  // Every code, access token and refresh token issued so far, so a test can
  // check none of them leaked into a reply, a log or the database.
  std::vector<std::string> issuedSecrets() const;
  // The access token is currently valid at the protected resource.
  bool accessTokenValid(const std::string& accessToken) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

std::shared_ptr<OAuthFake> makeOAuthFake();

}  // namespace sb::fakes
