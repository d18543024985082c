// The Vercel link a request names (settings.projectId, settings.teamId,
// secrets.token or the connection's access token, the API root), read the
// same way by status and actions.
// Thread-safety: plain values and a pure function.
#pragma once

#include <optional>
#include <string>

#include <switchboard/provider.hpp>
#include <switchboard/sdk.hpp>

namespace switchboard::vercel {

inline constexpr const char* kDefaultApiRoot = "https://api.vercel.com";

struct Link {
  std::string apiRoot;
  std::string projectId;
  std::string teamId;  // "" = personal account
  std::string linkToken;  // the request's credential; a connection's token (Call::accessToken) wins over it
};

// SB_ERR_INVALID_ARGUMENT (in `failure`) without a project id, or without a
// token: neither the connection's nor secrets.token.
inline std::optional<Link> linkOf(const provider::StatusRequest& request, const Call& call, Outcome& failure) {
  Link link{request.apiRoot(kDefaultApiRoot, "apiBaseUrl"), request.setting("projectId"), request.setting("teamId"),
            request.credential("token")};
  if (link.projectId.empty()) {
    failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "settings.projectId is required");
    return std::nullopt;
  }
  if (provider::bearerToken(call, link.linkToken).empty()) {
    failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "secrets.token is required");
    return std::nullopt;
  }
  return link;
}

}  // namespace switchboard::vercel
