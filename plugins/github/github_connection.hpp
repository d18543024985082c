// GitHub as a connection provider: an OAuth app's web flow
// (https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps):
// authorize at https://github.com/login/oauth/authorize, tokens at
// https://github.com/login/oauth/access_token (JSON with `Accept:
// application/json`, which the host sends), client id and secret as form
// fields as the docs show them. `scope` comes back comma-separated ("repo,gist").
// The default scope `repo` covers what status, actions and sync read and
// write. GitHub has no RFC 7009 endpoint (its revocation is DELETE
// /applications/{client_id}/token), so none is described.
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include <switchboard/oauth.hpp>

namespace switchboard::github {

inline Outcome describeGithubConnection() {
  oauth::ConnectionDefaults defaults;
  defaults.authorizationEndpoint = "https://github.com/login/oauth/authorize";
  defaults.tokenEndpoint = "https://github.com/login/oauth/access_token";
  defaults.scopes = {"repo"};
  defaults.clientAuth = "client_secret_post";
  return oauth::describe(defaults);
}

inline Outcome readGithubTokenReply(std::string_view requestJson) {
  oauth::TokenReplyRules rules;
  rules.scopeSeparator = ',';
  return oauth::readTokenReply(requestJson, rules);
}

}  // namespace switchboard::github
