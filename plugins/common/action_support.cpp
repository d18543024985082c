// See action_support.hpp.
#include "action_support.hpp"

#include <algorithm>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "json_fields.hpp"

namespace switchboard::bundled {
namespace {

Poco::JSON::Object::Ptr parseObject(std::string_view json, const std::string& what, Outcome& failure) {
  try {
    Poco::JSON::Parser parser;
    Poco::JSON::Object::Ptr root = asObject(parser.parse(std::string(json)));
    if (!root.isNull()) return root;
  } catch (const std::exception&) {
    // reported below
  }
  failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, what + " is not a JSON object");
  return nullptr;
}

Outcome invalidParam(const std::string& name, const std::string& why) {
  return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "params." + name + " " + why);
}

}  // namespace

std::optional<ActionRequest> parseActionRequest(std::string_view json, std::initializer_list<std::string_view> allowedParams,
                                                Outcome& failure) {
  Poco::JSON::Object::Ptr root = parseObject(json, "the action request", failure);
  if (root.isNull()) return std::nullopt;
  ActionRequest request{statusRequestFrom(root), new Poco::JSON::Object};
  if (root->has("params") && !root->get("params").isEmpty()) {
    request.params = objectAt(root, "params");
    if (request.params.isNull()) {
      failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "params must be a JSON object");
      return std::nullopt;
    }
  }
  for (const auto& [name, value] : *request.params) {
    if (std::find(allowedParams.begin(), allowedParams.end(), name) == allowedParams.end()) {
      failure = invalidParam(name, "is not a parameter of this action");
      return std::nullopt;
    }
  }
  return request;
}

std::optional<bool> boolParam(const ActionRequest& request, const std::string& name, bool fallback, Outcome& failure) {
  if (!request.params->has(name)) return fallback;
  if (std::optional<bool> value = boolAt(request.params, name)) return value;
  failure = invalidParam(name, "must be true or false");
  return std::nullopt;
}

std::optional<std::string> stringParam(const ActionRequest& request, const std::string& name, Outcome& failure) {
  if (!request.params->has(name)) return std::nullopt;
  if (std::optional<std::string> value = stringAt(request.params, name)) return value;
  failure = invalidParam(name, "must be a string");
  return std::nullopt;
}

bool ActionContext::hasSecret(const std::string& name) const {
  return std::find(secretNames.begin(), secretNames.end(), name) != secretNames.end();
}

std::optional<ActionContext> parseActionContext(std::string_view json, Outcome& failure) {
  Poco::JSON::Object::Ptr root = parseObject(json, "the action list context", failure);
  if (root.isNull()) return std::nullopt;
  ActionContext context;
  context.projectId = stringAt(root, "projectId").value_or("");
  context.key = stringAt(root, "key").value_or("");
  context.settings = objectAt(root, "settings");
  if (context.settings.isNull()) context.settings = new Poco::JSON::Object;
  Poco::JSON::Array::Ptr names = root->has("secretNames") ? root->getArray("secretNames") : nullptr;
  for (std::size_t i = 0; !names.isNull() && i < names->size(); ++i) {
    const Poco::Dynamic::Var name = names->get(static_cast<unsigned>(i));
    if (!name.isString()) {
      failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "secretNames must hold strings");
      return std::nullopt;
    }
    context.secretNames.push_back(name.extract<std::string>());
  }
  return context;
}

Outcome listForContext(std::vector<Action> actions, std::string_view contextJson, const std::string& secret,
                       const std::string& reason, const std::vector<std::string>& keepEnabled) {
  Outcome failure;
  std::optional<ActionContext> context = parseActionContext(contextJson, failure);
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

Outcome navigate(const Call& call, const std::string& label, const std::string& url) {
  call.step("open-url", label, StepState::Succeeded, 1, 1);
  return Outcome::ok("{\"url\":" + json::quote(url) + "}");
}

Outcome notYet(const Call& call, const std::string& actionId, const std::string& reason) {
  call.step(ProgressStep{actionId, "Not available yet", StepState::Skipped, 0, 0, reason});
  return Outcome::failure(SB_ERR_NOT_SUPPORTED, actionId + " is " + reason);
}

Outcome unknownAction(std::string_view actionId) {
  return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "unknown action \"" + std::string(actionId) + "\"");
}

Outcome providerRefusal(const std::string& provider, int status, std::int64_t retryAfterSeconds,
                        bool forbiddenMeansRevoked) {
  if (status == 401 || (status == 403 && forbiddenMeansRevoked)) {
    return Outcome::failure(SB_ERR_UNAUTHORIZED, provider + " rejected the credentials (HTTP " + std::to_string(status) + ")");
  }
  if (status == 403 || status == 404) {
    return Outcome::failure(SB_ERR_NOT_FOUND, provider + " does not know the resource, or the token cannot see it (HTTP " +
                                                  std::to_string(status) + ")");
  }
  if (status == 429) return Outcome::rateLimited(provider + " asked us to wait before the next request", retryAfterSeconds);
  return unexpectedStatus(provider, status);
}

Outcome failStep(const Call& call, ProgressStep step, Outcome outcome) {
  step.state = StepState::Failed;
  step.detail = outcome.output.substr(0, 400);
  call.step(step);
  return outcome;
}

}  // namespace switchboard::bundled
