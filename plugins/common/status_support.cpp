// See status_support.hpp.
#include "status_support.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sstream>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Timestamp.h>

namespace switchboard::bundled {
namespace {

std::string stringField(const Poco::JSON::Object::Ptr& object, const std::string& name) {
  if (object.isNull() || !object->has(name)) return {};
  const Poco::Dynamic::Var value = object->get(name);
  return value.isString() ? value.extract<std::string>() : std::string();
}

Poco::JSON::Object::Ptr objectField(const Poco::JSON::Object::Ptr& object, const std::string& name) {
  if (object.isNull() || !object->has(name)) return new Poco::JSON::Object;
  Poco::JSON::Object::Ptr child = object->getObject(name);
  return child.isNull() ? Poco::JSON::Object::Ptr(new Poco::JSON::Object) : child;
}

}  // namespace

std::string StatusRequest::setting(const std::string& name) const { return stringField(settings, name); }
std::string StatusRequest::secret(const std::string& name) const { return stringField(secrets, name); }

std::string StatusRequest::apiRoot(const std::string& defaultRoot, const std::string& settingName) const {
  std::string root = settingName.empty() ? std::string() : setting(settingName);
  if (root.empty()) root = baseUrl;
  if (root.empty()) root = defaultRoot;
  while (!root.empty() && root.back() == '/') root.pop_back();
  return root;
}

StatusRequest statusRequestFrom(const Poco::JSON::Object::Ptr& root) {
  StatusRequest request;
  request.projectId = stringField(root, "projectId");
  request.key = stringField(root, "key");
  request.baseUrl = stringField(root, "baseUrl");
  request.settings = objectField(root, "settings");
  request.secrets = objectField(root, "secrets");
  return request;
}

std::optional<StatusRequest> parseStatusRequest(std::string_view json, Outcome& failure) {
  try {
    Poco::JSON::Parser parser;
    auto root = parser.parse(std::string(json)).extract<Poco::JSON::Object::Ptr>();
    if (root.isNull()) throw Poco::Exception("not an object");
    return statusRequestFrom(root);
  } catch (const std::exception& e) {
    failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, std::string("status request is not a JSON object: ") + e.what());
    return std::nullopt;
  }
}

std::string StatusReport::toJson() const {
  Poco::JSON::Object root(Poco::JSON_PRESERVE_KEY_ORDER);
  root.set("status", status);
  if (!summary.empty()) root.set("summary", summary);
  if (!configuredReason.empty()) root.set("configuredReason", configuredReason);
  if (!problemCode.empty()) {
    Poco::JSON::Object::Ptr problem = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    problem->set("code", problemCode);
    if (!problemHint.empty()) problem->set("hint", problemHint);
    if (retryAfterSeconds >= 0) problem->set("retryAfter", static_cast<Poco::Int64>(retryAfterSeconds));
    root.set("problem", problem);
  }
  if (!resourceLabel.empty()) {
    Poco::JSON::Object::Ptr resource = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    resource->set("label", resourceLabel);
    if (!resourceUrl.empty()) resource->set("url", resourceUrl);
    resource->set("private", resourcePrivate);
    if (!resourceGenericLabel.empty()) resource->set("genericLabel", resourceGenericLabel);
    root.set("resource", resource);
  }
  if (!environments.empty()) {
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (const auto& env : environments) {
      Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      item->set("name", env.name);
      item->set("status", env.status);
      if (!env.summary.empty()) item->set("summary", env.summary);
      if (!env.url.empty()) item->set("url", env.url);
      if (env.lastDeployAtMs > 0) item->set("lastDeployAt", formatIso8601(env.lastDeployAtMs));
      list->add(item);
    }
    root.set("environments", list);
  }
  root.set("actions", actionsArray(actions));
  std::ostringstream out;
  root.stringify(out);
  return out.str();
}

Poco::JSON::Array::Ptr actionsArray(const std::vector<Action>& actions) {
  Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
  for (const auto& action : actions) {
    Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    item->set("id", action.id);
    item->set("label", action.label);
    item->set("minRole", action.minRole);
    item->set("kind", action.kind);
    if (!action.enabled) {
      item->set("enabled", false);
      if (!action.reason.empty()) item->set("reason", action.reason);
    }
    list->add(item);
  }
  return list;
}

std::string actionsJson(const std::vector<Action>& actions) {
  std::ostringstream out;
  actionsArray(actions)->stringify(out);
  return out.str();
}

void StatusReport::markRevoked(std::string summaryText, std::string hint, const std::string& disabledReason,
                               const std::vector<std::string>& keepEnabled) {
  status = "error";
  summary = std::move(summaryText);
  configuredReason = "revoked";
  problemCode = "oauth_revoked";
  problemHint = std::move(hint);
  for (Action& action : actions) {
    // An action disabled for a lasting reason ("available with sync") keeps it.
    if (!action.enabled || std::find(keepEnabled.begin(), keepEnabled.end(), action.id) != keepEnabled.end()) continue;
    action.enabled = false;
    action.reason = disabledReason;
  }
}

void StatusReport::markRateLimited(std::string summaryText, std::string hint, std::int64_t waitSeconds) {
  status = "warning";
  summary = std::move(summaryText);
  problemCode = "rate_limited";
  problemHint = std::move(hint);
  retryAfterSeconds = waitSeconds;
}

Outcome transportFailure(const std::string& provider, const HttpResult& result) {
  const sb_status status = result.status == SB_ERR_TIMEOUT ? SB_ERR_TIMEOUT : SB_ERR_UNAVAILABLE;
  return Outcome::failure(status, provider + " could not be reached: " + result.error);
}

Outcome unexpectedStatus(const std::string& provider, int status) {
  return Outcome::failure(SB_ERR_UNAVAILABLE, provider + " answered HTTP " + std::to_string(status));
}

Poco::Dynamic::Var parseJsonBody(const std::string& provider, std::string_view body, Outcome& failure, bool& ok) {
  ok = false;
  if (auto problem = json::validate(body)) {
    failure = Outcome::failure(SB_ERR_UNAVAILABLE, provider + " sent malformed JSON: " + problem->describe());
    return {};
  }
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var value = parser.parse(std::string(body));
    ok = true;
    return value;
  } catch (const std::exception& e) {
    failure = Outcome::failure(SB_ERR_UNAVAILABLE, provider + " sent malformed JSON: " + e.what());
    return {};
  }
}

std::optional<std::int64_t> parseIso8601Ms(const std::string& text) {
  if (text.empty()) return std::nullopt;
  try {
    int tzd = 0;
    Poco::DateTime parsed;
    if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, text, parsed, tzd) &&
        !Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FORMAT, text, parsed, tzd)) {
      return std::nullopt;
    }
    parsed.makeUTC(tzd);
    return parsed.timestamp().epochMicroseconds() / 1000;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string formatIso8601(std::int64_t epochMs) {
  return Poco::DateTimeFormatter::format(Poco::Timestamp(epochMs * 1000), "%Y-%m-%dT%H:%M:%SZ");
}

std::optional<std::int64_t> parseEpochSeconds(std::string_view text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::optional<std::int64_t> parseRetryAfterSeconds(std::string_view value, std::int64_t nowMs) {
  std::string text(value);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.erase(0, 1);
  if (text.empty()) return std::nullopt;
  bool digits = text.size() <= 10;
  for (char c : text) digits = digits && std::isdigit(static_cast<unsigned char>(c));
  if (digits) return std::stoll(text);
  try {
    int tzd = 0;
    Poco::DateTime parsed;
    if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::HTTP_FORMAT, text, parsed, tzd)) return std::nullopt;
    parsed.makeUTC(tzd);
    const std::int64_t at = parsed.timestamp().epochMicroseconds() / 1000;
    return at <= nowMs ? 0 : (at - nowMs + 999) / 1000;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string urlEncode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buffer[4];
      std::snprintf(buffer, sizeof buffer, "%%%02X", c);
      out += buffer;
    }
  }
  return out;
}

}  // namespace switchboard::bundled
