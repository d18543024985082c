// Why a provider refused a call the host made on a caller's behalf (the sync
// set-up calls), in terms the caller can act on. http/problem.hpp maps it to
// a status and a problem body, the one place that does.
// Thread-safety: a plain value.
#pragma once

#include <cstdint>
#include <string>

namespace sb {

enum class ProviderRefusalKind {
  CredentialsRejected,  // the link's token is invalid, expired or revoked
  NoAccess,             // the linked resource does not exist or the token may not see it
  RateLimited,          // wait retryAfterSeconds (-1 = the provider did not say)
  InvalidLink,          // the link's settings cannot be used (e.g. no "owner/name")
  NotSupported,         // the plugin does not provide the call (an older ABI)
  Unavailable,          // the provider or the plugin failed or answered nonsense
  Timeout,              // the provider did not answer in time
};

struct ProviderRefusal {
  ProviderRefusalKind kind = ProviderRefusalKind::Unavailable;
  std::string detail;  // safe to show: never a secret
  std::int64_t retryAfterSeconds = -1;
};

}  // namespace sb
