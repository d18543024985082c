// Vercel as a connection provider: "Sign in with Vercel"
// (https://vercel.com/docs/sign-in-with-vercel/authorization-server-api, whose
// metadata is https://vercel.com/.well-known/openid-configuration): authorize
// at https://vercel.com/oauth/authorize, tokens at
// https://api.vercel.com/login/oauth/token, RFC 7009 revocation at
// https://api.vercel.com/login/oauth/token/revoke (client_secret_basic, the
// one method its revocation endpoint lists). No scopes by default: "If you
// don't pass scope, all scopes configured in your app are included". Token
// replies are RFC 6749 §5.1 with an OpenID Connect id_token when the app has
// the openid scope; its preferred_username (else email, else name) is the
// connection's account label.
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include <switchboard/oauth.hpp>

namespace switchboard::vercel {

inline Outcome describeVercelConnection() {
  oauth::ConnectionDefaults defaults;
  defaults.authorizationEndpoint = "https://vercel.com/oauth/authorize";
  defaults.tokenEndpoint = "https://api.vercel.com/login/oauth/token";
  defaults.revocationEndpoint = "https://api.vercel.com/login/oauth/token/revoke";
  defaults.clientAuth = "client_secret_basic";
  return oauth::describe(defaults);
}

inline Outcome readVercelTokenReply(std::string_view requestJson) {
  oauth::TokenReplyRules rules;
  rules.accountFromIdToken = true;
  return oauth::readTokenReply(requestJson, rules);
}

}  // namespace switchboard::vercel
