// See action_shapes.hpp.
#include "plugins/action_shapes.hpp"

#include <set>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "core/outbound_url.hpp"

namespace sb {
namespace {

constexpr std::size_t kMaxActions = 64;
constexpr std::size_t kMaxIdBytes = 64;
constexpr std::size_t kMaxTextBytes = 1024;

struct KindName {
  ActionKind kind;
  const char* name;
};
constexpr KindName kKinds[] = {
    {ActionKind::Connect, "connect"},         {ActionKind::Disconnect, "disconnect"},
    {ActionKind::Configure, "configure"},     {ActionKind::DeployProduction, "deploy-production"},
    {ActionKind::DeployPreview, "deploy-preview"}, {ActionKind::Push, "push"},
    {ActionKind::ContentSync, "content-sync"}, {ActionKind::Check, "check"},
    {ActionKind::Open, "open"},
};

Status invalid(const std::string& path, const std::string& why) {
  return Status(ErrorCode::InvalidArgument, path + " " + why, path);
}

bool isActionId(const std::string& id) {
  if (id.empty() || id.size() > kMaxIdBytes) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && !(i > 0 && (c == '-' || c == '_'))) return false;
  }
  return true;
}

Status readString(const Poco::JSON::Object& item, const std::string& key, const std::string& path, bool required,
                  std::string& out) {
  if (!item.has(key)) return required ? invalid(path + "." + key, "is required") : Status::ok();
  const Poco::Dynamic::Var value = item.get(key);
  if (!value.isString()) return invalid(path + "." + key, "must be a string");
  out = value.extract<std::string>();
  if (required && out.empty()) return invalid(path + "." + key, "must not be empty");
  if (out.size() > kMaxTextBytes) return invalid(path + "." + key, "is too long");
  return Status::ok();
}

Status readAction(const Poco::JSON::Object& item, const std::string& path, bool kindRequired, PluginAction& action) {
  std::string role;
  std::string kind;
  Status status = readString(item, "id", path, true, action.id);
  if (status && !isActionId(action.id)) status = invalid(path + ".id", "must match [a-z0-9][a-z0-9_-]*");
  if (status) status = readString(item, "label", path, true, action.label);
  if (status) status = readString(item, "minRole", path, true, role);
  if (!status) return status;
  const std::optional<Role> minRole = parseRole(role);
  if (!minRole) return invalid(path + ".minRole", "must be owner, admin, editor or viewer");
  action.minRole = *minRole;
  if (!(status = readString(item, "kind", path, kindRequired, kind))) return status;
  if (!kind.empty()) {
    const std::optional<ActionKind> parsed = parseActionKind(kind);
    if (!parsed) return invalid(path + ".kind", "is not a known kind");
    action.kind = *parsed;
  }
  if (item.has("enabled")) {
    const Poco::Dynamic::Var enabled = item.get("enabled");
    if (!enabled.isBoolean()) return invalid(path + ".enabled", "must be a boolean");
    action.enabled = enabled.extract<bool>();
  }
  return readString(item, "reason", path, false, action.reason);
}

Poco::Dynamic::Var parse(const std::string& json, Status& error) {
  try {
    Poco::JSON::Parser parser;
    return parser.parse(json);
  } catch (const std::exception& e) {
    error = Status(ErrorCode::InvalidArgument, std::string("not JSON: ") + e.what());
    return {};
  }
}

}  // namespace

const char* actionKindName(ActionKind kind) {
  for (const KindName& entry : kKinds) {
    if (entry.kind == kind) return entry.name;
  }
  return "configure";
}

std::optional<ActionKind> parseActionKind(const std::string& text) {
  for (const KindName& entry : kKinds) {
    if (text == entry.name) return entry.kind;
  }
  return std::nullopt;
}

Result<std::vector<PluginAction>> parseActionList(const std::string& json, bool kindRequired) {
  Status error;
  Poco::Dynamic::Var parsed = parse(json, error);
  if (!error) return error;
  if (parsed.type() != typeid(Poco::JSON::Array::Ptr) || parsed.extract<Poco::JSON::Array::Ptr>().isNull()) {
    return Status(ErrorCode::InvalidArgument, "the action list is not a JSON array");
  }
  const auto list = parsed.extract<Poco::JSON::Array::Ptr>();
  if (list->size() > kMaxActions) {
    return Status(ErrorCode::InvalidArgument, "more than " + std::to_string(kMaxActions) + " actions");
  }
  std::vector<PluginAction> actions;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string path = "actions[" + std::to_string(i) + "]";
    Poco::JSON::Object::Ptr item = list->getObject(static_cast<unsigned>(i));
    if (item.isNull()) return invalid(path, "must be an object");
    PluginAction action;
    Status status = readAction(*item, path, kindRequired, action);
    if (!status) return status;
    if (!ids.insert(action.id).second) return invalid(path + ".id", "repeats \"" + action.id + "\"");
    actions.push_back(std::move(action));
  }
  return actions;
}

Status checkActionResult(const std::string& json) {
  Status error;
  Poco::Dynamic::Var parsed = parse(json, error);
  if (!error) return error;
  if (parsed.type() != typeid(Poco::JSON::Object::Ptr) || parsed.extract<Poco::JSON::Object::Ptr>().isNull()) {
    return Status(ErrorCode::InvalidArgument, "the action result is not a JSON object");
  }
  const auto object = parsed.extract<Poco::JSON::Object::Ptr>();
  if (!object->has("url")) return Status::ok();
  const Poco::Dynamic::Var url = object->get("url");
  if (!url.isString()) return invalid("url", "must be a string");
  if (auto problem = outboundUrlProblem(url.extract<std::string>())) return invalid("url", *problem);
  return Status::ok();
}

ActionRunOutcome parseActionFailure(sb_status status, const std::string& output) {
  ActionRunOutcome outcome;
  outcome.status = status;
  outcome.reason = output;
  if (output.empty() || output.front() != '{') return outcome;
  Status error;
  Poco::Dynamic::Var parsed = parse(output, error);
  if (!error || parsed.type() != typeid(Poco::JSON::Object::Ptr)) return outcome;
  const auto object = parsed.extract<Poco::JSON::Object::Ptr>();
  if (object.isNull() || !object->has("reason") || !object->get("reason").isString()) return outcome;
  outcome.reason = object->getValue<std::string>("reason");
  if (object->has("retryAfter") && object->get("retryAfter").isInteger()) {
    const auto seconds = object->get("retryAfter").convert<int64_t>();
    if (seconds >= 0) outcome.retryAfterSeconds = seconds;
  }
  return outcome;
}

}  // namespace sb
