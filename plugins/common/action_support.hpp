// What the bundled plugins' actions share (not part of the public SDK): the
// on_run request (the on_status context plus params) and the on_list_for
// context, checks of params, navigation results, and the failure mappings
// every provider's actions use (docs/plugin-authoring.md, "Actions").
// Uses Poco JSON inside the plugin only; nothing Poco crosses the ABI.
// Thread-safety: plain values and pure functions (apart from call.step).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Poco/JSON/Object.h>

#include <switchboard/sdk.hpp>

#include "status_support.hpp"

namespace switchboard::bundled {

// on_run's request: {"projectId","key","baseUrl","settings":{},"secrets":{},"params":{}}.
struct ActionRequest {
  StatusRequest link;
  Poco::JSON::Object::Ptr params;  // never null; {} when absent
};

// Parses the request; SB_ERR_INVALID_ARGUMENT when it is not an object or
// params is not an object, or has a key outside `allowedParams`.
std::optional<ActionRequest> parseActionRequest(std::string_view json, std::initializer_list<std::string_view> allowedParams,
                                                Outcome& failure);

// A boolean param; `fallback` when absent; SB_ERR_INVALID_ARGUMENT (in
// `failure`) when present with another type.
std::optional<bool> boolParam(const ActionRequest& request, const std::string& name, bool fallback, Outcome& failure);
// A string param; nullopt without failure when absent.
std::optional<std::string> stringParam(const ActionRequest& request, const std::string& name, Outcome& failure);

// on_list_for's context: {"projectId","key","settings":{},"secretNames":[...]}.
struct ActionContext {
  std::string projectId;
  std::string key;
  Poco::JSON::Object::Ptr settings;
  std::vector<std::string> secretNames;
  bool hasSecret(const std::string& name) const;
};
std::optional<ActionContext> parseActionContext(std::string_view json, Outcome& failure);

// `actions` as on_list_for answers for `context`: while the link has no
// `secret` stored, every action but those in `keepEnabled` is disabled with
// `reason`.
Outcome listForContext(std::vector<Action> actions, std::string_view contextJson, const std::string& secret,
                       const std::string& reason, const std::vector<std::string>& keepEnabled);

// A navigation action: one succeeded step and {"url": url}; no provider call.
Outcome navigate(const Call& call, const std::string& label, const std::string& url);

// A listed action this plugin cannot run yet: a skipped step and SB_ERR_NOT_SUPPORTED.
Outcome notYet(const Call& call, const std::string& actionId, const std::string& reason);

// The action id is not one of ours.
Outcome unknownAction(std::string_view actionId);

// Provider replies every action maps the same way: 401 (and `forbiddenMeansRevoked`
// 403) -> SB_ERR_UNAUTHORIZED, 404 -> SB_ERR_NOT_FOUND, 429 -> SB_ERR_RATE_LIMITED
// with `retryAfterSeconds` (< 0 = unknown), 5xx and the rest -> SB_ERR_UNAVAILABLE.
Outcome providerRefusal(const std::string& provider, int status, std::int64_t retryAfterSeconds,
                        bool forbiddenMeansRevoked = true);

// Reports `step` as failed with `outcome`'s reason as detail, and returns `outcome`.
Outcome failStep(const Call& call, ProgressStep step, Outcome outcome);

}  // namespace switchboard::bundled
