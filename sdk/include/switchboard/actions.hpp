// switchboard/actions.hpp -- what a plugin's actions capability needs besides
// the ABI (docs/plugin-authoring.md, "Actions"): the on_run request (the
// on_status context plus params) with checked params, the on_list_for context,
// the list answered for one link, navigation / not-yet / unknown-action
// outcomes, the provider refusals every action maps the same way, and a step
// that failed with its outcome. Built on provider.hpp (nlohmann-json).
// Thread-safety: plain values and pure functions (apart from Call::step).
#pragma once

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "switchboard/host.hpp"
#include "switchboard/json.hpp"
#include "switchboard/provider.hpp"
#include "switchboard/sdk.hpp"

namespace switchboard::actions {

using provider::Action;
using provider::Json;

// [{"id","label","minRole","kind","enabled"?,"reason"?}]: what on_list and
// on_list_for answer, and the status document's actions[].
inline std::string actionsJson(const std::vector<Action>& actions) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const Action& action : actions) list.push_back(action.toJson());
  return list.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// ---- the on_run request ---------------------------------------------------------

// {"projectId","key","baseUrl","settings":{},"secrets":{},"accessToken"?,"params":{}}.
struct ActionRequest {
  provider::StatusRequest link;  // the on_status context
  Json params = Json::object();  // never null; {} when absent or null
};

namespace detail {
inline Outcome invalidParam(std::string_view name, std::string_view why) {
  return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "params." + std::string(name) + " " + std::string(why));
}
inline std::optional<Json> parseObject(std::string_view text, std::string_view what, Outcome& failure) {
  auto root = provider::parseJson(text);
  if (root && root->is_object()) return root;
  failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, std::string(what) + " is not a JSON object");
  return std::nullopt;
}
}  // namespace detail

// Parses the request; SB_ERR_INVALID_ARGUMENT when it is not an object, when
// params is not an object, or when params has a key outside `allowedParams`
// ("params.x is not a parameter of this action").
inline std::optional<ActionRequest> parseActionRequest(std::string_view text,
                                                       std::initializer_list<std::string_view> allowedParams,
                                                       Outcome& failure) {
  if (!detail::parseObject(text, "the action request", failure)) return std::nullopt;
  auto link = provider::parseStatusRequest(text, failure);
  if (!link) return std::nullopt;
  ActionRequest request{std::move(*link), Json::object()};
  if (const Json* params = provider::memberAt(request.link.raw, "params"); params != nullptr && !params->is_null()) {
    if (!params->is_object()) {
      failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "params must be a JSON object");
      return std::nullopt;
    }
    request.params = *params;
  }
  for (const auto& [name, value] : request.params.items()) {
    if (std::find(allowedParams.begin(), allowedParams.end(), name) == allowedParams.end()) {
      failure = detail::invalidParam(name, "is not a parameter of this action");
      return std::nullopt;
    }
  }
  return request;
}

// A boolean param; `fallback` when absent; nullopt with SB_ERR_INVALID_ARGUMENT
// (in `failure`) when present with another type.
inline std::optional<bool> boolParam(const ActionRequest& request, std::string_view name, bool fallback,
                                     Outcome& failure) {
  if (provider::memberAt(request.params, name) == nullptr) return fallback;
  if (auto value = provider::boolAt(request.params, name)) return value;
  failure = detail::invalidParam(name, "must be true or false");
  return std::nullopt;
}

// A string param; nullopt with `failure` untouched when absent, nullopt with
// SB_ERR_INVALID_ARGUMENT when present with another type.
inline std::optional<std::string> stringParam(const ActionRequest& request, std::string_view name, Outcome& failure) {
  if (provider::memberAt(request.params, name) == nullptr) return std::nullopt;
  if (auto value = provider::stringAt(request.params, name)) return value;
  failure = detail::invalidParam(name, "must be a string");
  return std::nullopt;
}

// ---- the on_list_for context ------------------------------------------------------

// {"projectId","key","settings":{},"secretNames":[...]}: the link without secret values.
struct ActionContext {
  std::string projectId;
  std::string key;
  Json settings = Json::object();
  std::vector<std::string> secretNames;
  bool hasSecret(std::string_view name) const {
    return std::find(secretNames.begin(), secretNames.end(), name) != secretNames.end();
  }
};

// SB_ERR_INVALID_ARGUMENT when the context is not an object or secretNames
// holds something other than strings.
inline std::optional<ActionContext> parseActionContext(std::string_view text, Outcome& failure) {
  auto root = detail::parseObject(text, "the action list context", failure);
  if (!root) return std::nullopt;
  ActionContext context;
  context.projectId = provider::stringAt(*root, "projectId").value_or(std::string());
  context.key = provider::stringAt(*root, "key").value_or(std::string());
  if (const Json* settings = provider::objectAt(*root, "settings")) context.settings = *settings;
  if (const Json* names = provider::arrayAt(*root, "secretNames")) {
    for (const Json& name : *names) {
      if (!name.is_string()) {
        failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "secretNames must hold strings");
        return std::nullopt;
      }
      context.secretNames.push_back(name.get<std::string>());
    }
  }
  return context;
}

// `actions` as on_list_for answers for the link `contextJson` names: while
// the link has no secret `secret` stored, every enabled action but those in
// `keepEnabled` (navigation, reconnect) is disabled with `reason`.
inline Outcome listForContext(std::vector<Action> actions, std::string_view contextJson, std::string_view secret,
                              const std::string& reason, const std::vector<std::string>& keepEnabled) {
  Outcome failure;
  auto context = parseActionContext(contextJson, failure);
  if (!context) return failure;
  if (!context->hasSecret(secret)) {
    for (Action& action : actions) {
      if (!action.enabled || std::find(keepEnabled.begin(), keepEnabled.end(), action.id) != keepEnabled.end()) continue;
      action.enabled = false;
      action.reason = reason;
    }
  }
  return Outcome::ok(actionsJson(actions));
}

// ---- outcomes ---------------------------------------------------------------------

// A navigation action: one succeeded "open-url" step and {"url": url}; no provider call.
inline Outcome navigate(const Call& call, const std::string& label, const std::string& url) {
  call.step("open-url", label, StepState::Succeeded, 1, 1);
  return Outcome::ok("{\"url\":" + json::quote(url) + "}");
}

// A listed action the plugin cannot run yet: a skipped step and SB_ERR_NOT_SUPPORTED.
inline Outcome notYet(const Call& call, const std::string& actionId, const std::string& reason) {
  call.step(ProgressStep{actionId, "Not available yet", StepState::Skipped, 0, 0, reason});
  return Outcome::failure(SB_ERR_NOT_SUPPORTED, actionId + " is " + reason);
}

// The action id is not one of the plugin's.
inline Outcome unknownAction(std::string_view actionId) {
  return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "unknown action \"" + std::string(actionId) + "\"");
}

// A provider reply an action maps the same way whatever the provider:
// 401 (and 403 when `forbiddenMeansRevoked`) -> SB_ERR_UNAUTHORIZED, 403 and
// 404 -> SB_ERR_NOT_FOUND, 429 -> SB_ERR_RATE_LIMITED with `retryAfterSeconds`
// (< 0 = unknown), 5xx and the rest -> SB_ERR_UNAVAILABLE.
inline Outcome providerRefusal(std::string_view provider, int status, std::int64_t retryAfterSeconds,
                               bool forbiddenMeansRevoked = true) {
  const std::string name(provider);
  if (status == 401 || (status == 403 && forbiddenMeansRevoked)) {
    return Outcome::failure(SB_ERR_UNAUTHORIZED, name + " rejected the credentials (HTTP " + std::to_string(status) + ")");
  }
  if (status == 403 || status == 404) {
    return Outcome::failure(SB_ERR_NOT_FOUND, name + " does not know the resource, or the token cannot see it (HTTP " +
                                                  std::to_string(status) + ")");
  }
  if (status == 429) return Outcome::rateLimited(name + " asked us to wait before the next request", retryAfterSeconds);
  return provider::unexpectedStatus(provider, status);
}

// Reports `step` as failed, with (the start of) `outcome`'s reason as its
// detail, and returns `outcome`.
inline Outcome failStep(const Call& call, ProgressStep step, Outcome outcome) {
  step.state = StepState::Failed;
  step.detail = outcome.output.substr(0, 400);
  call.step(step);
  return outcome;
}

}  // namespace switchboard::actions
