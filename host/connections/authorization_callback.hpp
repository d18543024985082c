// The end of the authorization-code flow (RFC 6749 §4.1.2-4.1.4): the
// provider sends the browser to GET /oauth/callback?code&state. The state's
// hash finds the pending authorization, which names the user and the
// connection (no bearer: the browser has none), and is consumed exactly once
// on any instance. The code is exchanged with the redirect_uri of the
// authorization request, byte for byte, and the verifier; the reply is
// validated strictly (token_client) and only then sealed and stored.
// Refusals: the provider's error (access_denied, ...), an unknown, used,
// expired or foreign state, a pending authorization that does not open under
// its user and connection, a connection no longer configured or enabled, and
// a failed exchange. A refusal stores nothing. Expired pending authorizations
// are pruned on every callback.
// Thread-safety: free function; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "connections/connection_directory.hpp"
#include "crypto/secret_box.hpp"
#include "store/connection_repository.hpp"

namespace sb::connections {

struct CallbackRequest {
  std::string state;
  std::string code;
  std::string error;  // the provider's `error` parameter (RFC 6749 §4.1.2.1)
  std::optional<std::string> iss;  // RFC 9207 `iss`, when the response has one
};

struct CallbackOutcome {
  bool connected = false;
  int httpStatus = 200;         // of the page, when there is no returnTo to go back to
  std::string connectionName;   // once the state is known
  std::string returnTo;         // once the state is known: where the user came from
  std::string reason;           // a fixed word: access_denied, invalid_state, exchange_failed, ...
  std::string message;          // for the user; never a code, token or state
  std::string logDetail;        // for the log: why, without secrets
};

CallbackOutcome completeAuthorization(const CallbackRequest& request, const ConnectionDirectory& directory,
                                      const SecretBox& box, ConnectionRepository& repository, std::int64_t nowMs);

}  // namespace sb::connections
