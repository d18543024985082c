// switchboard/conformance.hpp -- checks that a plugin descriptor is well-formed
// against abi.h: versions, sizes, identifiers, schemas and capability tables.
// Authors run it in unit tests; tools run it against any loaded .so.
// Ownership: borrows the descriptor for the duration of the call.
// Thread-safety: pure function; call from any thread.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <string_view>
#include <vector>

#include "switchboard/abi.h"
#include "switchboard/host.hpp"
#include "switchboard/identifiers.hpp"
#include "switchboard/status_document.hpp"

namespace switchboard {

namespace detail {


// The host's own rules (identifiers.hpp), 64-byte cap included.
inline bool isIdentifier(std::string_view text, bool digitFirstAllowed) {
  return digitFirstAllowed ? ids::isSchemaId(text) : ids::isPluginId(text);
}
inline bool isFieldKey(std::string_view text) { return ids::isFieldKey(text); }

inline bool isBit(std::uint8_t value) { return value == 0 || value == 1; }

// A slice with a NULL pointer and a length would crash any reader.
inline void checkSlice(sb_str text, const std::string& what, std::vector<std::string>& problems) {
  if (text.data == nullptr && text.len != 0) problems.push_back(what + " has a NULL pointer with a length");
}

inline void checkField(const sb_schema_field& field, const std::string& where, std::set<std::string>& keys,
                       std::vector<std::string>& problems) {
  const std::string key(toView(field.key));
  const std::string at = where + ".fields[" + key + "]";
  checkSlice(field.description, at + " description", problems);
  checkSlice(field.placeholder, at + " placeholder", problems);
  if (field.struct_size != sizeof(sb_schema_field)) problems.push_back(at + ": struct_size is not sizeof(sb_schema_field)");
  if (!isFieldKey(key)) problems.push_back(at + ": key must match [a-z][a-zA-Z0-9_]* (at most 64 characters)");
  if (!keys.insert(key).second) problems.push_back(at + ": duplicate key");
  if (field.type > SB_FIELD_SELECT) problems.push_back(at + ": unknown field type " + std::to_string(field.type));
  if (field.level > SB_LEVEL_PROJECT) problems.push_back(at + ": unknown level " + std::to_string(field.level));
  if (!isBit(field.required) || !isBit(field.secret)) problems.push_back(at + ": required/secret must be 0 or 1");
  if (!isBit(field.destination)) problems.push_back(at + ": destination must be 0 or 1");
  if (field.destination == 1 && field.secret == 1) problems.push_back(at + ": a secret field cannot be a destination");
  if (field.max_length != 0 && (field.type == SB_FIELD_INTEGER || field.type == SB_FIELD_BOOLEAN)) {
    problems.push_back(at + ": max_length on an integer or boolean field");
  }
  if (field.max_length > SB_MAX_FIELD_LENGTH) {
    problems.push_back(at + ": max_length is larger than " + std::to_string(SB_MAX_FIELD_LENGTH));
  }
  if (field.type == SB_FIELD_SELECT && (field.options == nullptr || field.option_count == 0)) {
    problems.push_back(at + ": a select field needs options");
  }
  if (field.type != SB_FIELD_SELECT && field.option_count != 0) problems.push_back(at + ": options on a non-select field");
  if (field.option_count != 0 && field.options == nullptr) {
    problems.push_back(at + ": option_count without options");
    return;
  }
  std::set<std::string> options;
  for (std::size_t i = 0; i < field.option_count; ++i) {
    const std::string option(toView(field.options[i]));
    if (option.empty()) problems.push_back(at + ": option #" + std::to_string(i) + " is empty");
    if (!options.insert(option).second) problems.push_back(at + ": duplicate option \"" + option + "\"");
  }
}

inline void checkSchemas(const sb_plugin& plugin, std::vector<std::string>& problems) {
  if (plugin.schema_count != 0 && plugin.schemas == nullptr) {
    problems.push_back("schema_count is " + std::to_string(plugin.schema_count) + " but schemas is NULL");
    return;
  }
  std::set<std::string> ids;
  for (std::size_t i = 0; i < plugin.schema_count; ++i) {
    const sb_integration_schema& schema = plugin.schemas[i];
    const std::string id(toView(schema.id));
    const std::string where = "schemas[" + (id.empty() ? std::to_string(i) : id) + "]";
    if (schema.struct_size != sizeof(sb_integration_schema)) {
      problems.push_back(where + ": struct_size is not sizeof(sb_integration_schema)");
    }
    if (!isIdentifier(id, true)) problems.push_back(where + ": id must match [a-z0-9][a-z0-9_-]* (at most 64 characters)");
    if (!ids.insert(id).second) problems.push_back(where + ": duplicate schema id");
    for (const auto& [text, what] : {std::pair{schema.name, "name"}, std::pair{schema.category, "category"},
                                     std::pair{schema.description, "description"}, std::pair{schema.docs_url, "docs_url"},
                                     std::pair{schema.icon_url, "icon_url"}}) {
      checkSlice(text, where + " " + what, problems);
    }
    if (schema.name.len == 0) problems.push_back(where + ": name is empty");
    if (schema.category.len == 0) problems.push_back(where + ": category is empty");
    if (!isBit(schema.featured)) problems.push_back(where + ": featured must be 0 or 1");
    if (schema.field_count != 0 && schema.fields == nullptr) {
      problems.push_back(where + ": field_count without fields");
      continue;
    }
    std::set<std::string> keys;
    for (std::size_t f = 0; f < schema.field_count; ++f) checkField(schema.fields[f], where, keys, problems);
  }
}

inline void checkCapabilities(const sb_plugin& plugin, std::vector<std::string>& problems) {
  if (const auto* t = plugin.status_adapter) {
    if (t->struct_size != sizeof(sb_status_adapter)) problems.push_back("status_adapter: wrong struct_size");
    if (t->on_status == nullptr) problems.push_back("status_adapter: on_status is NULL");
  }
  if (const auto* t = plugin.connection_provider) {
    if (t->struct_size != sizeof(sb_connection_provider)) problems.push_back("connection_provider: wrong struct_size");
    if (t->on_describe == nullptr) problems.push_back("connection_provider: on_describe is NULL");
    if (t->on_token_response == nullptr) problems.push_back("connection_provider: on_token_response is NULL");
  }
  if (const auto* t = plugin.sync_source) {
    if (t->struct_size != sizeof(sb_sync_source)) problems.push_back("sync_source: wrong struct_size");
    if (t->on_list_tree == nullptr || t->on_read == nullptr || t->on_write == nullptr) {
      problems.push_back("sync_source: a required hook is NULL");
    }
  }
  if (const auto* t = plugin.actions) {
    if (t->struct_size != sizeof(sb_actions)) problems.push_back("actions: wrong struct_size");
    if (t->on_list == nullptr || t->on_run == nullptr) problems.push_back("actions: a required hook is NULL");
  }
}

}  // namespace detail

// Every problem found, as a readable sentence; empty means conformant.
inline std::vector<std::string> descriptorProblems(const sb_plugin* plugin) {
  std::vector<std::string> problems;
  if (plugin == nullptr) return {"the entry function returned NULL"};
  if (plugin->abi_major != SB_ABI_VERSION_MAJOR || plugin->abi_minor > SB_ABI_VERSION_MINOR) {
    problems.push_back("ABI " + std::to_string(plugin->abi_major) + "." + std::to_string(plugin->abi_minor) +
                       " is not compatible with " + std::to_string(SB_ABI_VERSION_MAJOR) + "." +
                       std::to_string(SB_ABI_VERSION_MINOR));
    return problems;  // nothing past the version fields may be read
  }
  if (plugin->struct_size != sizeof(sb_plugin)) {
    problems.push_back("struct_size is " + std::to_string(plugin->struct_size) + ", expected " +
                       std::to_string(sizeof(sb_plugin)));
    return problems;
  }
  detail::checkSlice(plugin->name, "name", problems);
  detail::checkSlice(plugin->version, "version", problems);
  detail::checkSlice(plugin->description, "description", problems);
  if (!detail::isIdentifier(toView(plugin->id), false)) problems.push_back("id must match [a-z][a-z0-9_-]* (at most 64 characters)");
  if (plugin->name.len == 0) problems.push_back("name is empty");
  if (plugin->version.len == 0) problems.push_back("version is empty");
  if (plugin->on_init == nullptr) problems.push_back("on_init is NULL");
  if (plugin->on_destroy == nullptr) problems.push_back("on_destroy is NULL");
  detail::checkSchemas(*plugin, problems);
  detail::checkCapabilities(*plugin, problems);
  return problems;
}

// The capability names a descriptor advertises, in ABI order.
inline std::vector<std::string> capabilityNames(const sb_plugin& plugin) {
  std::vector<std::string> names;
  if (plugin.status_adapter != nullptr) names.emplace_back("status");
  if (plugin.connection_provider != nullptr) names.emplace_back("connection");
  if (plugin.sync_source != nullptr) names.emplace_back("sync");
  if (plugin.actions != nullptr) names.emplace_back("actions");
  return names;
}

// What the host would refuse in a status document your adapter returned, as
// the server logs it ("status document: actions[0].minRole must be ..."), or
// "" when the host accepts it. The very validator the server and `plugin
// check` run (status_document.hpp).
inline std::string statusDocumentProblem(std::string_view json) {
  auto problem = status_document::validate(json);
  return problem ? problem->describe() : std::string();
}

}  // namespace switchboard
