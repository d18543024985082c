#include "http/json_views.hpp"

#include <Poco/DateTimeFormatter.h>
#include <Poco/Exception.h>
#include <Poco/Timestamp.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "core/outbound_url.hpp"

namespace sb::http {
namespace {

Poco::JSON::Array stringArray(const std::vector<std::string>& values) {
  Poco::JSON::Array array;
  for (const auto& value : values) array.add(value);
  return array;
}


// A plugin-declared link, or "" when it may not leave the server.
std::string linkForClients(const std::string& url) { return outboundUrlProblem(url) ? std::string() : url; }

}  // namespace

Poco::JSON::Object pluginJson(const PluginInfo& plugin) {
  Poco::JSON::Object json(Poco::JSON_PRESERVE_KEY_ORDER);
  json.set("id", plugin.id);
  json.set("name", plugin.name);
  json.set("version", plugin.version);
  json.set("description", plugin.description);
  json.set("abiVersion", plugin.abiVersion);
  json.set("capabilities", stringArray(plugin.capabilities));
  json.set("state", toString(plugin.state));
  if (plugin.state == PluginState::Failed) json.set("error", plugin.error);
  if (!plugin.path.empty()) json.set("path", plugin.path);
  return json;
}

Poco::JSON::Object connectionJson(const ConnectionRecord& connection, const std::optional<OAuthTokenRecord>& grant,
                                  connections::UserConnectionState state) {
  Poco::JSON::Object json(Poco::JSON_PRESERVE_KEY_ORDER);
  json.set("name", connection.name);
  json.set("type", connection.type);
  json.set("displayName", connection.displayName);
  json.set("description", connection.description);
  json.set("iconUrl", linkForClients(connection.iconUrl));
  if (connection.type == "mcp") json.set("url", linkForClients(connection.url));
  json.set("state", connections::toString(state));
  if (state == connections::UserConnectionState::Disabled) json.set("disabledReason", connection.disabledReason);
  if (grant && state != connections::UserConnectionState::Disabled) {
    json.set("accountLabel", grant->accountLabel);
    json.set("scopes", stringArray(connections::scopeList(grant->scopes)));
    if (grant->expiresAtMs > 0) json.set("expiresAt", isoTimeOfMs(grant->expiresAtMs));
  }
  return json;
}

Poco::JSON::Object schemaFieldJson(const SchemaField& field) {
  Poco::JSON::Object json(Poco::JSON_PRESERVE_KEY_ORDER);
  json.set("key", field.key);
  json.set("type", field.type);
  json.set("required", field.required);
  json.set("secret", field.secret);
  json.set("level", field.level);
  json.set("description", field.description);
  json.set("placeholder", field.placeholder);
  if (field.type == "select" || !field.options.empty()) json.set("options", stringArray(field.options));
  json.set("destination", field.destination);
  if (field.type != "integer" && field.type != "boolean") {
    json.set("maxLength", static_cast<Poco::UInt64>(field.effectiveMaxLength()));
  }
  return json;
}

Poco::JSON::Object schemaJson(const IntegrationSchema& schema) {
  Poco::JSON::Object json(Poco::JSON_PRESERVE_KEY_ORDER);
  json.set("id", schema.id);
  json.set("pluginId", schema.pluginId);
  json.set("name", schema.name);
  json.set("category", schema.category);
  json.set("description", schema.description);
  json.set("docsUrl", linkForClients(schema.docsUrl));
  json.set("iconUrl", linkForClients(schema.iconUrl));
  json.set("displayOrder", schema.displayOrder);
  json.set("featured", schema.featured);
  json.set("available", schema.available);
  Poco::JSON::Array fields;
  for (const auto& field : schema.fields) fields.add(schemaFieldJson(field));
  json.set("fields", fields);
  return json;
}

Poco::JSON::Object categoryJson(const CategoryCount& category) {
  Poco::JSON::Object json(Poco::JSON_PRESERVE_KEY_ORDER);
  json.set("name", category.name);
  json.set("count", category.count);
  return json;
}

Poco::JSON::Object projectJson(const Project& project, Role callerRole) {
  Poco::JSON::Object json(Poco::JSON_PRESERVE_KEY_ORDER);
  json.set("id", project.id);
  json.set("name", project.name);
  json.set("createdAt", project.createdAt);
  json.set("role", toString(callerRole));
  return json;
}

Poco::JSON::Object membershipJson(const Membership& membership) {
  Poco::JSON::Object json(Poco::JSON_PRESERVE_KEY_ORDER);
  json.set("user", membership.userName);
  json.set("role", toString(membership.role));
  json.set("createdAt", membership.createdAt);
  return json;
}

std::string isoTimeOfMs(std::int64_t ms) {
  return Poco::DateTimeFormatter::format(Poco::Timestamp(ms * 1000), "%Y-%m-%dT%H:%M:%S.%iZ");
}

Poco::JSON::Object::Ptr storedJsonObject(const std::string& json) {
  try {
    auto parsed = Poco::JSON::Parser().parse(json);
    if (parsed.type() == typeid(Poco::JSON::Object::Ptr)) return parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
    // Only the server writes these; damage reads as empty.
  }
  return new Poco::JSON::Object;
}

Poco::JSON::Object integrationLinkJson(const IntegrationLink& link, const std::vector<std::string>& droppedSecrets) {
  Poco::JSON::Object json(Poco::JSON_PRESERVE_KEY_ORDER);
  json.set("projectId", link.projectId);
  json.set("key", link.key);
  json.set("settings", storedJsonObject(link.settingsJson));
  Poco::JSON::Object::Ptr secrets = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const std::string& name : link.secretNames) {
    Poco::JSON::Object::Ptr state = new Poco::JSON::Object;
    state->set("set", true);
    secrets->set(name, state);
  }
  json.set("secrets", secrets);
  if (!link.connectionName.empty()) json.set("connection", link.connectionName);
  if (!droppedSecrets.empty()) json.set("droppedSecrets", stringArray(droppedSecrets));
  json.set("visibleTo", std::string(toString(link.visibleTo)));
  json.set("createdAt", link.createdAt);
  json.set("updatedAt", link.updatedAt);
  return json;
}

Poco::JSON::Object workflowJson(const WorkflowRecord& workflow, bool withSource) {
  Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
  out.set("id", workflow.id);
  out.set("name", workflow.name);
  out.set("description", workflow.description);
  out.set("path", workflow.path);
  out.set("active", workflow.active);
  out.set("orphaned", workflow.orphaned);
  // Both columns hold JSON this host wrote (workflows/workflow_file.cpp).
  out.set("parameters", Poco::JSON::Parser().parse(workflow.parametersJson));
  out.set("steps", Poco::JSON::Parser().parse(workflow.stepsJson));
  if (!workflow.problemJson.empty()) out.set("problem", Poco::JSON::Parser().parse(workflow.problemJson));
  if (withSource) out.set("source", workflow.source);
  out.set("createdAt", workflow.createdAt);
  out.set("updatedAt", workflow.updatedAt);
  return out;
}

namespace {

template <class T>
void setOptional(Poco::JSON::Object& object, const std::string& name, const std::optional<T>& value) {
  if (value) object.set(name, *value);
}

Poco::JSON::Object setupItemJson(const sync::RemoteRepository& repository) {
  Poco::JSON::Object item(Poco::JSON_PRESERVE_KEY_ORDER);
  item.set("name", repository.name);
  setOptional(item, "private", repository.isPrivate);
  setOptional(item, "defaultBranch", repository.defaultBranch);
  return item;
}

Poco::JSON::Object setupItemJson(const sync::RemoteBranch& branch) {
  Poco::JSON::Object item(Poco::JSON_PRESERVE_KEY_ORDER);
  item.set("name", branch.name);
  item.set("head", branch.head);
  setOptional(item, "protected", branch.isProtected);
  return item;
}

Poco::JSON::Object setupItemJson(const sync::RemoteCommit& commit) {
  Poco::JSON::Object item(Poco::JSON_PRESERVE_KEY_ORDER);
  item.set("sha", commit.sha);
  item.set("message", commit.message);
  setOptional(item, "author", commit.author);
  setOptional(item, "date", commit.date);
  return item;
}

Poco::JSON::Object setupViewJson(const sync::LinkCheck& check) {
  Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
  out.set("resource", check.resource);
  setOptional(out, "private", check.isPrivate);
  setOptional(out, "defaultBranch", check.defaultBranch);
  setOptional(out, "branch", check.branch);
  out.set("canRead", check.canRead);
  out.set("canWrite", check.canWrite);
  return out;
}

template <class T>
Poco::JSON::Object setupViewJson(const sync::Listing<T>& listing) {
  Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
  Poco::JSON::Array items;
  for (const T& item : listing.items) items.add(setupItemJson(item));
  out.set("items", items);
  out.set("truncated", listing.truncated);
  setOptional(out, "branch", listing.branch);
  return out;
}

}  // namespace

Poco::JSON::Object syncSetupJson(const sync::SetupData& data) {
  return std::visit([](const auto& value) { return setupViewJson(value); }, data);
}

}  // namespace sb::http
