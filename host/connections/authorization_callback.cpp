#include "connections/authorization_callback.hpp"

#include <exception>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "connections/pkce.hpp"
#include "connections/sealed_grant.hpp"
#include "connections/token_client.hpp"

namespace sb::connections {
namespace {

CallbackOutcome refused(int status, std::string reason, std::string message, std::string logDetail = {}) {
  CallbackOutcome out;
  out.httpStatus = status;
  out.reason = std::move(reason);
  out.message = std::move(message);
  out.logDetail = logDetail.empty() ? out.message : std::move(logDetail);
  return out;
}

// The provider's error codes (RFC 6749 §4.1.2.1) we name back; any other
// text the provider sent is not repeated.
std::string knownError(const std::string& error) {
  for (const char* code : {"access_denied", "invalid_request", "unauthorized_client", "unsupported_response_type",
                           "invalid_scope", "server_error", "temporarily_unavailable", "invalid_target"}) {
    if (error == code) return error;
  }
  return "provider_error";
}

struct Pending {
  std::string verifier, redirectUri, returnTo, resource, issuer, clientId;
  bool issRequired = false;
};

bool openPending(const PendingAuthorization& stored, const SecretBox& box, Pending& out) {
  Result<std::string> plain = box.open(stored.pendingSealed, oauthPendingContext(stored.userId, stored.connectionName));
  if (!plain) return false;
  try {
    auto object = Poco::JSON::Parser().parse(*plain).extract<Poco::JSON::Object::Ptr>();
    out.verifier = object->optValue<std::string>("code_verifier", "");
    out.redirectUri = object->optValue<std::string>("redirect_uri", "");
    out.returnTo = object->optValue<std::string>("return_to", "");
    out.resource = object->optValue<std::string>("resource", "");
    out.issuer = object->optValue<std::string>("issuer", "");
    out.clientId = object->optValue<std::string>("client_id", "");
    out.issRequired = object->optValue<bool>("iss_required", false);
    return !out.verifier.empty();
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

CallbackOutcome completeAuthorization(const CallbackRequest& request, const ConnectionDirectory& directory,
                                      const SecretBox& box, ConnectionRepository& repository, std::int64_t nowMs) {
  // Pruning is housekeeping: a failure here must not fail the user's sign-in.
  (void)repository.prunePendingAuthorizations(nowMs);
  if (request.state.empty()) {
    return refused(400, "invalid_state", "The sign-in link is incomplete (no state). Start the connection again.");
  }
  auto consumed = repository.consumePendingAuthorization(stateHash(request.state), nowMs);
  if (!consumed) {
    return refused(503, "unavailable", "The sign-in could not be completed right now. Try again.",
                   consumed.status().message());
  }
  if (!consumed->has_value()) {
    return refused(400, "invalid_state",
                   "This sign-in link is unknown, was already used or has expired. Start the connection again.",
                   "unknown, used or expired state");
  }
  const PendingAuthorization& stored = **consumed;
  Pending pending;
  if (!openPending(stored, box, pending)) {
    return refused(400, "invalid_state", "This sign-in link is not valid. Start the connection again.",
                   "pending authorization does not open under its user and connection");
  }
  auto named = [&](CallbackOutcome out) {
    out.connectionName = stored.connectionName;
    out.returnTo = pending.returnTo;
    return out;
  };
  // RFC 9207 §2.4, before anything the response says (its error too): an
  // `iss` must be the server the sign-in went to, and a server that said it
  // always sends one must have. A response from another server is a mix-up.
  if (request.iss && !pending.issuer.empty() && *request.iss != pending.issuer) {
    return named(refused(400, "issuer_mismatch",
                         "The sign-in reply came from another authorization server than the one it was sent to. Start "
                         "the connection again.",
                         "iss does not name the issuer the sign-in went to (RFC 9207)"));
  }
  if (!request.iss && pending.issRequired) {
    return named(refused(400, "issuer_missing",
                         "The sign-in reply did not say which authorization server sent it. Start the connection "
                         "again.",
                         "no iss from a server that advertises authorization_response_iss_parameter_supported"));
  }
  if (!request.error.empty()) {
    const std::string code = knownError(request.error);
    return named(refused(400, code,
                         code == "access_denied" ? "The connection was not made: access was declined."
                                                 : "The provider did not grant access (" + code + ")."));
  }
  if (request.code.empty()) {
    return named(refused(400, "missing_code", "The provider's reply carried no authorization code."));
  }
  Result<ResolvedConnection> resolved = directory.resolve(stored.connectionName);
  if (!resolved && resolved.status().code() == ErrorCode::NotFound) {
    return named(refused(409, "not_configured",
                         "The connection '" + stored.connectionName + "' is no longer available."));
  }
  if (resolved && resolved->issuer != pending.issuer) {
    // The server moved to another authorization server since the flow
    // started: discover again, and refuse a code meant for another one.
    directory.forgetDiscovery(resolved->config);
    resolved = directory.resolve(stored.connectionName);
    if (resolved && resolved->issuer != pending.issuer) {
      return named(refused(409, "issuer_changed",
                           "The connection's authorization server changed during sign-in. Start the connection again.",
                           "issuer changed from '" + pending.issuer + "' to '" + resolved->issuer + "'"));
    }
  }
  if (!resolved) {
    return named(refused(502, "discovery_failed",
                         "The connection's authorization server could not be found right now. Try again, or ask the "
                         "operator.",
                         resolved.status().message()));
  }
  const ConnectionConfig* connection = &resolved->config;
  if (!connection->disabledReason.empty()) {
    return named(refused(409, "not_configured",
                         "The connection '" + stored.connectionName + "' is no longer available."));
  }
  if (!pending.clientId.empty() && connection->oauth.clientId != pending.clientId) {
    return named(refused(409, "client_changed",
                         "The connection's OAuth client changed during sign-in. Start the connection again.",
                         "client id changed during sign-in"));
  }
  TokenOutcome exchanged =
      exchangeAuthorizationCode(*connection, request.code, pending.verifier, pending.redirectUri, pending.resource);
  if (!exchanged.ok()) {
    if (exchanged.errorCode == "invalid_client") directory.clientRejected(*resolved);
    return named(refused(502, "exchange_failed",
                         "The provider did not complete the connection. Try again, or ask the operator.",
                         std::string("code exchange ") + toString(exchanged.failure) + ": " + exchanged.message));
  }
  const TokenGrant& grant = *exchanged.grant;
  OAuthTokenRecord record;
  record.userId = stored.userId;
  record.connectionName = stored.connectionName;
  record.state = GrantState::Connected;
  record.tokenSealed = sealGrant(GrantSecrets{grant.accessToken, grant.refreshToken, grant.tokenType}, box,
                                 stored.userId, stored.connectionName);
  // §5.1: a server may omit scope when it granted what was asked for.
  std::string scopes = grant.scope;
  if (scopes.empty()) {
    for (const std::string& scope : connection->oauth.scopes) scopes += (scopes.empty() ? "" : " ") + scope;
  }
  record.scopes = scopes;
  record.accountLabel = grant.account;  // a refresh keeps it: the grant's owner does not change
  record.expiresAtMs = grant.expiresInSeconds > 0 ? nowMs + grant.expiresInSeconds * 1000 : 0;
  auto saved = repository.putToken(record);
  if (!saved) {
    return named(refused(503, "unavailable", "The connection could not be saved. Try again.",
                         saved.status().message()));
  }
  CallbackOutcome out;
  out.connected = true;
  out.reason = "connected";
  out.message = "Connected " + (connection->displayName.empty() ? connection->name : connection->displayName) + ".";
  out.logDetail = "connected";
  return named(out);
}

}  // namespace sb::connections
