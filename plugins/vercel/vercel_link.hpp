// The Vercel link a request names (settings.projectId, settings.teamId,
// secrets.token, the API root), read the same way by status and actions.
// Thread-safety: plain values and a pure function.
#pragma once

#include <optional>
#include <string>

#include <switchboard/sdk.hpp>

#include "status_support.hpp"

namespace switchboard::vercel {

inline constexpr const char* kDefaultApiRoot = "https://api.vercel.com";

struct Link {
  std::string apiRoot;
  std::string projectId;
  std::string teamId;  // "" = personal account
  std::string token;
};

// SB_ERR_INVALID_ARGUMENT (in `failure`) without a project id or a token.
inline std::optional<Link> linkOf(const bundled::StatusRequest& request, Outcome& failure) {
  Link link{request.apiRoot(kDefaultApiRoot), request.setting("projectId"), request.setting("teamId"),
            request.secret("token")};
  if (link.projectId.empty()) {
    failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "settings.projectId is required");
    return std::nullopt;
  }
  if (link.token.empty()) {
    failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "secrets.token is required");
    return std::nullopt;
  }
  return link;
}

}  // namespace switchboard::vercel
