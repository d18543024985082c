#include "status/provider_report.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace sb::status {
namespace {

constexpr std::size_t kMaxText = 1024;  // plugin strings shown to users are bounded
constexpr std::size_t kMaxItems = 64;

Status invalid(const std::string& key, const std::string& reason) {
  return Status(ErrorCode::InvalidArgument, "status document: " + key + " " + reason, key);
}

// Reads an optional string member; false (with `error`) when present but not a short string.
bool readText(const Poco::JSON::Object& object, const std::string& key, const std::string& path,
              std::string& out, Status& error, bool required = false) {
  if (!object.has(key) || object.isNull(key)) {
    if (required) error = invalid(path, "is required");
    return !required;
  }
  const Poco::Dynamic::Var value = object.get(key);
  if (!value.isString()) {
    error = invalid(path, "must be a string");
    return false;
  }
  out = value.extract<std::string>();
  if (out.size() > kMaxText) {
    error = invalid(path, "is longer than " + std::to_string(kMaxText) + " bytes");
    return false;
  }
  return true;
}

Poco::JSON::Array::Ptr readArray(const Poco::JSON::Object& object, const std::string& key, Status& error) {
  if (!object.has(key) || object.isNull(key)) return nullptr;
  Poco::JSON::Array::Ptr array = object.getArray(key);
  if (array.isNull()) {
    error = invalid(key, "must be an array");
  } else if (array->size() > kMaxItems) {
    error = invalid(key, "has more than " + std::to_string(kMaxItems) + " items");
    array = nullptr;
  }
  return array;
}

Status readActions(const Poco::JSON::Object& root, ProviderReport& report) {
  Status error;
  Poco::JSON::Array::Ptr actions = readArray(root, "actions", error);
  if (!error) return error;
  if (actions.isNull()) return Status::ok();
  for (std::size_t i = 0; i < actions->size(); ++i) {
    const std::string path = "actions[" + std::to_string(i) + "]";
    Poco::JSON::Object::Ptr item = actions->getObject(static_cast<unsigned>(i));
    if (item.isNull()) return invalid(path, "must be an object");
    ReportedAction action;
    std::string minRole;
    if (!readText(*item, "id", path + ".id", action.id, error, true) ||
        !readText(*item, "label", path + ".label", action.label, error, true) ||
        !readText(*item, "minRole", path + ".minRole", minRole, error, true) ||
        !readText(*item, "reason", path + ".reason", action.reason, error) ||
        !readText(*item, "kind", path + ".kind", action.kind, error)) {
      return error;
    }
    auto role = parseRole(minRole);
    if (!role) return invalid(path + ".minRole", "must be owner, admin, editor or viewer");
    // The host's permission table decides; a plugin can only ask for more.
    action.minRole = actionMinimumRole(action.kind, *role);
    if (item->has("enabled")) {
      const Poco::Dynamic::Var enabled = item->get("enabled");
      if (!enabled.isBoolean()) return invalid(path + ".enabled", "must be a boolean");
      action.enabled = enabled.extract<bool>();
    }
    report.actions.push_back(std::move(action));
  }
  return Status::ok();
}

Status readEnvironments(const Poco::JSON::Object& root, ProviderReport& report) {
  Status error;
  Poco::JSON::Array::Ptr environments = readArray(root, "environments", error);
  if (!error) return error;
  if (environments.isNull()) return Status::ok();
  for (std::size_t i = 0; i < environments->size(); ++i) {
    const std::string path = "environments[" + std::to_string(i) + "]";
    Poco::JSON::Object::Ptr item = environments->getObject(static_cast<unsigned>(i));
    if (item.isNull()) return invalid(path, "must be an object");
    ReportedEnvironment env;
    if (!readText(*item, "name", path + ".name", env.name, error, true) ||
        !readText(*item, "status", path + ".status", env.status, error, true) ||
        !readText(*item, "summary", path + ".summary", env.summary, error) ||
        !readText(*item, "url", path + ".url", env.url, error) ||
        !readText(*item, "lastDeployAt", path + ".lastDeployAt", env.lastDeployAt, error)) {
      return error;
    }
    if (!isStatusValue(env.status)) return invalid(path + ".status", "must be connected, warning, error or disconnected");
    report.environments.push_back(std::move(env));
  }
  return Status::ok();
}

Status readBody(const Poco::JSON::Object& root, ProviderReport& report) {
  Status error;
  std::string configuredReason;
  if (!readText(root, "status", "status", report.status, error, true) ||
      !readText(root, "summary", "summary", report.summary, error) ||
      !readText(root, "configuredReason", "configuredReason", configuredReason, error)) {
    return error;
  }
  if (!isStatusValue(report.status)) return invalid("status", "must be connected, warning, error or disconnected");
  if (!configuredReason.empty() && configuredReason != "revoked") {
    return invalid("configuredReason", "may only be \"revoked\" in a plugin's document");
  }
  report.revoked = configuredReason == "revoked";
  if (root.has("problem") && !root.isNull("problem")) {
    Poco::JSON::Object::Ptr problem = root.getObject("problem");
    if (problem.isNull()) return invalid("problem", "must be an object");
    if (!readText(*problem, "code", "problem.code", report.problemCode, error, true) ||
        !readText(*problem, "hint", "problem.hint", report.problemHint, error)) {
      return error;
    }
    if (report.problemCode != "oauth_revoked" && report.problemCode != "rate_limited" &&
        report.problemCode != "timeout" && report.problemCode != "unknown") {
      return invalid("problem.code", "must be oauth_revoked, rate_limited, timeout or unknown");
    }
    if (problem->has("retryAfter")) {
      const Poco::Dynamic::Var retry = problem->get("retryAfter");
      if (!retry.isInteger() || retry.convert<Poco::Int64>() < 0) {
        return invalid("problem.retryAfter", "must be a non-negative integer (seconds)");
      }
      report.retryAfterSeconds = retry.convert<Poco::Int64>();
    }
  }
  if (root.has("resource") && !root.isNull("resource")) {
    Poco::JSON::Object::Ptr resource = root.getObject("resource");
    if (resource.isNull()) return invalid("resource", "must be an object");
    ReportedResource out;
    if (!readText(*resource, "label", "resource.label", out.label, error, true) ||
        !readText(*resource, "url", "resource.url", out.url, error) ||
        !readText(*resource, "genericLabel", "resource.genericLabel", out.genericLabel, error)) {
      return error;
    }
    if (resource->has("private")) {
      const Poco::Dynamic::Var isPrivate = resource->get("private");
      if (!isPrivate.isBoolean()) return invalid("resource.private", "must be a boolean");
      out.isPrivate = isPrivate.extract<bool>();
    }
    report.resource = std::move(out);
  }
  if (Status actions = readActions(root, report); !actions) return actions;
  return readEnvironments(root, report);
}

}  // namespace

bool isStatusValue(const std::string& status) {
  return status == "connected" || status == "warning" || status == "error" || status == "disconnected";
}

Result<ProviderReport> parseProviderReport(const std::string& json) {
  Poco::JSON::Object::Ptr root;
  try {
    Poco::JSON::Parser parser;
    root = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    root = nullptr;
  }
  if (root.isNull()) return Result<ProviderReport>(ErrorCode::InvalidArgument, "status document is not a JSON object");
  ProviderReport report;
  try {
    if (Status status = readBody(*root, report); !status) return status;
  } catch (const std::exception& e) {
    return Result<ProviderReport>(ErrorCode::InvalidArgument, std::string("status document: ") + e.what());
  }
  return report;
}

}  // namespace sb::status
