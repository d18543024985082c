// Supabase as a connection provider: the OAuth app flow of the Management API
// (https://supabase.com/docs/guides/integrations/build-a-supabase-integration):
// authorize at https://api.supabase.com/v1/oauth/authorize, exchange and
// refresh at https://api.supabase.com/v1/oauth/token with the client
// credentials in HTTP Basic, which answers 201 Created with the tokens
// (Management API reference, POST /v1/oauth/token). Supabase's revoke call
// (POST /v1/oauth/revoke, a JSON body) is not RFC 7009, so none is described:
// disconnecting deletes the tokens and reports `not_supported`. No scopes are
// requested: the app's registration decides what it may do.
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include <switchboard/oauth.hpp>

namespace switchboard::bundled::supabase {

inline Outcome describeSupabaseConnection() {
  oauth::ConnectionDefaults defaults;
  defaults.authorizationEndpoint = "https://api.supabase.com/v1/oauth/authorize";
  defaults.tokenEndpoint = "https://api.supabase.com/v1/oauth/token";
  defaults.clientAuth = "client_secret_basic";
  return oauth::describe(defaults);
}

inline Outcome readSupabaseTokenReply(std::string_view requestJson) {
  oauth::TokenReplyRules rules;
  rules.successStatuses = {200, 201};
  return oauth::readTokenReply(requestJson, rules);
}

}  // namespace switchboard::bundled::supabase
