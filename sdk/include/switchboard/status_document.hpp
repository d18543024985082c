// switchboard/status_document.hpp -- THE validator of the status document a
// status adapter returns (docs/plugin-authoring.md, "Status adapter"). The
// host runs it on every on_status answer, `switchboard plugin check` on every
// document it gets, and authors in their unit tests: a document passes one
// exactly when it passes all three. Off-contract input is refused with the
// field that is wrong and why; nothing throws.
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace switchboard::status_document {

inline constexpr std::size_t kMaxText = 1024;  // every string a user may see is bounded
inline constexpr std::size_t kMaxItems = 64;   // actions[], environments[]

struct Action {
  std::string id;
  std::string label;
  std::string minRole;  // owner | admin | editor | viewer, as the plugin asked
  bool enabled = true;
  std::string reason;
  std::string kind;  // "" when not given (plugins before ABI 1.2)
};

struct Environment {
  std::string name;
  std::string status;
  std::string summary;
  std::string url;
  std::string lastDeployAt;
};

struct Resource {
  std::string label;
  std::string url;
  bool isPrivate = true;
  std::string genericLabel;
};

struct Document {
  std::string status;  // connected | warning | error | disconnected
  std::string summary;
  bool revoked = false;     // configuredReason: "revoked"
  std::string problemCode;  // "" | oauth_revoked | rate_limited | timeout | unknown
  std::string problemHint;
  std::int64_t retryAfterSeconds = -1;
  std::optional<Resource> resource;
  std::vector<Environment> environments;
  std::vector<Action> actions;  // "actions" is optional: absent = none
};

struct Problem {
  std::string field;   // "actions[0].minRole"; "" when the document is no JSON object
  std::string reason;  // "must be owner, admin, editor or viewer"
  std::string describe() const {
    return field.empty() ? "status document " + reason : "status document: " + field + " " + reason;
  }
};

inline bool isStatusValue(std::string_view status) {
  return status == "connected" || status == "warning" || status == "error" || status == "disconnected";
}
inline bool isRole(std::string_view role) {
  return role == "owner" || role == "admin" || role == "editor" || role == "viewer";
}

namespace detail {

using Json = nlohmann::json;

// An optional string member: absent or null is fine (unless required).
inline bool text(const Json& object, const char* key, const std::string& path, std::string& out, Problem& problem,
                 bool required = false) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    if (required) problem = {path, "is required"};
    return !required;
  }
  if (!it->is_string()) {
    problem = {path, "must be a string"};
    return false;
  }
  out = it->get<std::string>();
  if (out.size() > kMaxText) {
    problem = {path, "is longer than " + std::to_string(kMaxText) + " bytes"};
    return false;
  }
  return true;
}

inline bool flag(const Json& object, const char* key, const std::string& path, bool& out, Problem& problem) {
  auto it = object.find(key);
  if (it == object.end()) return true;
  if (!it->is_boolean()) {
    problem = {path, "must be a boolean"};
    return false;
  }
  out = it->get<bool>();
  return true;
}

// An optional array member; null when absent.
inline const Json* list(const Json& object, const char* key, Problem& problem, bool& ok) {
  ok = true;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  if (!it->is_array()) {
    problem = {key, "must be an array"};
    ok = false;
    return nullptr;
  }
  if (it->size() > kMaxItems) {
    problem = {key, "has more than " + std::to_string(kMaxItems) + " items"};
    ok = false;
    return nullptr;
  }
  return &*it;
}

inline bool actions(const Json& root, Document& doc, Problem& problem) {
  bool ok = true;
  const Json* items = list(root, "actions", problem, ok);
  if (!ok || items == nullptr) return ok;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const std::string path = "actions[" + std::to_string(i) + "]";
    const Json& item = (*items)[i];
    if (!item.is_object()) {
      problem = {path, "must be an object"};
      return false;
    }
    Action action;
    if (!text(item, "id", path + ".id", action.id, problem, true) ||
        !text(item, "label", path + ".label", action.label, problem, true) ||
        !text(item, "minRole", path + ".minRole", action.minRole, problem, true) ||
        !text(item, "reason", path + ".reason", action.reason, problem) ||
        !text(item, "kind", path + ".kind", action.kind, problem) ||
        !flag(item, "enabled", path + ".enabled", action.enabled, problem)) {
      return false;
    }
    if (!isRole(action.minRole)) {
      problem = {path + ".minRole", "must be owner, admin, editor or viewer"};
      return false;
    }
    doc.actions.push_back(std::move(action));
  }
  return true;
}

inline bool environments(const Json& root, Document& doc, Problem& problem) {
  bool ok = true;
  const Json* items = list(root, "environments", problem, ok);
  if (!ok || items == nullptr) return ok;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const std::string path = "environments[" + std::to_string(i) + "]";
    const Json& item = (*items)[i];
    if (!item.is_object()) {
      problem = {path, "must be an object"};
      return false;
    }
    Environment env;
    if (!text(item, "name", path + ".name", env.name, problem, true) ||
        !text(item, "status", path + ".status", env.status, problem, true) ||
        !text(item, "summary", path + ".summary", env.summary, problem) ||
        !text(item, "url", path + ".url", env.url, problem) ||
        !text(item, "lastDeployAt", path + ".lastDeployAt", env.lastDeployAt, problem)) {
      return false;
    }
    if (!isStatusValue(env.status)) {
      problem = {path + ".status", "must be connected, warning, error or disconnected"};
      return false;
    }
    doc.environments.push_back(std::move(env));
  }
  return true;
}

inline bool body(const Json& root, Document& doc, Problem& problem) {
  std::string configuredReason;
  if (!text(root, "status", "status", doc.status, problem, true) ||
      !text(root, "summary", "summary", doc.summary, problem) ||
      !text(root, "configuredReason", "configuredReason", configuredReason, problem)) {
    return false;
  }
  if (!isStatusValue(doc.status)) {
    problem = {"status", "must be connected, warning, error or disconnected"};
    return false;
  }
  if (!configuredReason.empty() && configuredReason != "revoked") {
    problem = {"configuredReason", "may only be \"revoked\" in a plugin's document"};
    return false;
  }
  doc.revoked = configuredReason == "revoked";
  if (auto it = root.find("problem"); it != root.end() && !it->is_null()) {
    if (!it->is_object()) {
      problem = {"problem", "must be an object"};
      return false;
    }
    if (!text(*it, "code", "problem.code", doc.problemCode, problem, true) ||
        !text(*it, "hint", "problem.hint", doc.problemHint, problem)) {
      return false;
    }
    if (doc.problemCode != "oauth_revoked" && doc.problemCode != "rate_limited" && doc.problemCode != "timeout" &&
        doc.problemCode != "unknown") {
      problem = {"problem.code", "must be oauth_revoked, rate_limited, timeout or unknown"};
      return false;
    }
    if (auto retry = it->find("retryAfter"); retry != it->end()) {
      const bool integral = retry->is_number_unsigned() || (retry->is_number_integer() && retry->get<std::int64_t>() >= 0);
      if (!integral || (retry->is_number_unsigned() && retry->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))) {
        problem = {"problem.retryAfter", "must be a non-negative integer (seconds)"};
        return false;
      }
      doc.retryAfterSeconds = retry->get<std::int64_t>();
    }
  }
  if (auto it = root.find("resource"); it != root.end() && !it->is_null()) {
    if (!it->is_object()) {
      problem = {"resource", "must be an object"};
      return false;
    }
    Resource out;
    if (!text(*it, "label", "resource.label", out.label, problem, true) ||
        !text(*it, "url", "resource.url", out.url, problem) ||
        !text(*it, "genericLabel", "resource.genericLabel", out.genericLabel, problem) ||
        !flag(*it, "private", "resource.private", out.isPrivate, problem)) {
      return false;
    }
    doc.resource = std::move(out);
  }
  return actions(root, doc, problem) && environments(root, doc, problem);
}

}  // namespace detail

// The document, or nullopt with `problem` naming the field and the reason.
inline std::optional<Document> parse(std::string_view json, Problem& problem) {
  const auto root = nlohmann::json::parse(json.begin(), json.end(), nullptr, false);
  if (root.is_discarded() || !root.is_object()) {
    problem = {"", "is not a JSON object"};
    return std::nullopt;
  }
  Document doc;
  if (!detail::body(root, doc, problem)) return std::nullopt;
  return doc;
}

// The problem with a document, or nullopt when it is valid.
inline std::optional<Problem> validate(std::string_view json) {
  Problem problem;
  if (parse(json, problem)) return std::nullopt;
  return problem;
}

}  // namespace switchboard::status_document
