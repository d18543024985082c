// GitHub as a connection provider: an OAuth app's web flow
// (https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps):
// authorize at https://github.com/login/oauth/authorize, tokens at
// https://github.com/login/oauth/access_token (JSON with `Accept:
// application/json`, which the host sends), client id and secret as form
// fields as the docs show them. `scope` comes back comma-separated ("repo,gist").
// The default scope `repo` covers what status, actions and sync read and
// write. GitHub has no RFC 7009 endpoint (its revocation is DELETE
// /applications/{client_id}/token), so none is described.
// GitHub's token reply names no account, so the token response asks the API
// who the token is for (GET /user, "login") and gives that as "account", the
// label GET /api/v1/connections shows.
// Thread-safety: describe and the reply reading are pure; the token response
// borrows the host and the call for the hook's duration.
#pragma once

#include <string_view>

#include <switchboard/host.hpp>
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

// on_token_response: the reply read as above, plus "account" (the login of
// GET {baseUrl or https://api.github.com}/user with the new token,
// https://docs.github.com/en/rest/users/users#get-the-authenticated-user).
// A lookup that fails leaves the label out and is logged: the grant is good
// whether or not its owner's name could be read.
Outcome githubTokenResponse(const Host& host, const Call& call, std::string_view requestJson);

}  // namespace switchboard::github
