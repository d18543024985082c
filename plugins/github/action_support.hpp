// What GitHub's actions need of the actions contract (docs/plugin-authoring.md,
// "Actions") on the SDK alone: the on_run request, the on_list_for context,
// the list as JSON, and the navigation / "not yet" / unknown-action answers.
// Kept here until the bundled plugins share one SDK header for it.
// Thread-safety: pure functions (apart from call.step).
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <switchboard/json.hpp>
#include <switchboard/provider.hpp>
#include <switchboard/sdk.hpp>

namespace switchboard::github {

// [{"id","label","minRole","kind","enabled"?,"reason"?}]
inline std::string actionsJson(const std::vector<provider::Action>& actions) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const provider::Action& action : actions) list.push_back(action.toJson());
  return list.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// on_run's request, the on_status context plus "params": nullopt with an
// SB_ERR_INVALID_ARGUMENT `failure` when it is no object, params is not an
// object, or params holds anything (GitHub's actions take none).
inline std::optional<provider::StatusRequest> parseParameterlessActionRequest(std::string_view json, Outcome& failure) {
  std::optional<provider::StatusRequest> request = provider::parseStatusRequest(json, failure);
  if (!request) return std::nullopt;
  const provider::Json* params = provider::memberAt(request->raw, "params");
  if (params == nullptr || params->is_null()) return request;
  if (!params->is_object()) {
    failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "params must be a JSON object");
    return std::nullopt;
  }
  if (!params->empty()) {
    failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "params." + params->begin().key() + " is not a parameter of this action");
    return std::nullopt;
  }
  return request;
}

// `actions` as on_list_for answers for the context {"projectId","key",
// "settings":{},"secretNames":[...]}: while the link has no `secret` stored,
// every enabled action but those in `keepEnabled` is disabled with `reason`.
inline Outcome listForContext(std::vector<provider::Action> actions, std::string_view contextJson,
                              const std::string& secret, const std::string& reason,
                              const std::vector<std::string>& keepEnabled) {
  std::optional<provider::Json> context = provider::parseJson(contextJson);
  if (!context || !context->is_object()) {
    return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "the action list context is not a JSON object");
  }
  bool hasSecret = false;
  if (const provider::Json* names = provider::arrayAt(*context, "secretNames")) {
    for (const provider::Json& name : *names) {
      if (!name.is_string()) return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "secretNames must hold strings");
      hasSecret = hasSecret || name.get<std::string>() == secret;
    }
  }
  if (!hasSecret) {
    for (provider::Action& action : actions) {
      if (!action.enabled || std::find(keepEnabled.begin(), keepEnabled.end(), action.id) != keepEnabled.end()) continue;
      action.enabled = false;
      action.reason = reason;
    }
  }
  return Outcome::ok(actionsJson(actions));
}

// A navigation action: one succeeded step and {"url": url}; no provider call.
inline Outcome navigate(const Call& call, const std::string& label, const std::string& url) {
  call.step("open-url", label, StepState::Succeeded, 1, 1);
  return Outcome::ok("{\"url\":" + json::quote(url) + "}");
}

// A listed action this plugin cannot run yet: a skipped step and SB_ERR_NOT_SUPPORTED.
inline Outcome notYet(const Call& call, const std::string& actionId, const std::string& reason) {
  call.step(ProgressStep{actionId, "Not available yet", StepState::Skipped, 0, 0, reason});
  return Outcome::failure(SB_ERR_NOT_SUPPORTED, actionId + " is " + reason);
}

inline Outcome unknownAction(std::string_view actionId) {
  return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "unknown action \"" + std::string(actionId) + "\"");
}

}  // namespace switchboard::github
