#include "plugins/descriptor_validation.hpp"

#include <cstddef>
#include <cstring>
#include <set>
#include <string>
#include <type_traits>

#include <switchboard/identifiers.hpp>

#include "plugins/host_objects.hpp"

namespace sb {
namespace {

constexpr std::size_t kMaxTextLength = 64 * 1024;
// Bounds on declared arrays: a corrupt count must not make the host walk
// gigabytes of unrelated memory.
constexpr std::size_t kMaxSchemas = 256;
constexpr std::size_t kMaxFields = 256;
constexpr std::size_t kMaxOptions = 1024;

std::string abiText(uint32_t major, uint32_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

const std::string& hostAbi() {
  static const std::string text = abiText(SB_ABI_VERSION_MAJOR, SB_ABI_VERSION_MINOR);
  return text;
}

Status invalid(std::string message) { return Status(ErrorCode::InvalidArgument, std::move(message)); }

// Size of T as ABI 1.<pluginMinor> defined it. 1.0 is the first version, so
// every struct has its full size there; when a later minor appends fields,
// the older sizes are recorded here so older plugins keep loading.
template <class T>
std::size_t structSizeAt(uint32_t /*pluginMinor*/) {
  return sizeof(T);
}

// 1.1 appended destination and max_length; a 1.0 field ends before them.
template <>
std::size_t structSizeAt<sb_schema_field>(uint32_t pluginMinor) {
  return pluginMinor >= 1 ? sizeof(sb_schema_field) : offsetof(sb_schema_field, destination);
}

// 1.2 appended on_list_for; a 1.0/1.1 table ends before it.
template <>
std::size_t structSizeAt<sb_actions>(uint32_t pluginMinor) {
  return pluginMinor >= 2 ? sizeof(sb_actions) : offsetof(sb_actions, on_list_for);
}

// 1.4 appended the sync set-up hooks; a 1.0-1.3 table ends before them.
template <>
std::size_t structSizeAt<sb_sync_source>(uint32_t pluginMinor) {
  return pluginMinor >= 4 ? sizeof(sb_sync_source) : offsetof(sb_sync_source, on_validate);
}

// Copies a plugin-owned struct into a zeroed host struct, reading only the
// bytes the plugin declared, so fields it does not know about read as absent.
template <class T>
Status copyVersioned(const void* source, uint32_t declaredSize, const std::string& label,
                     uint32_t pluginMinor, T& copy) {
  static_assert(std::is_trivially_copyable_v<T>);
  if (declaredSize > sizeof(T)) {
    return invalid(label + " struct_size " + std::to_string(declaredSize) +
                   " is larger than the host's " + std::to_string(sizeof(T)) + " for ABI " +
                   hostAbi());
  }
  const std::size_t expected = structSizeAt<T>(pluginMinor);
  if (declaredSize < expected) {
    return invalid(label + " struct_size " + std::to_string(declaredSize) +
                   " is smaller than the ABI " + abiText(SB_ABI_VERSION_MAJOR, pluginMinor) +
                   " minimum " + std::to_string(expected));
  }
  // Bytes past the plugin's own ABI version would be read as fields it never set.
  if (declaredSize > expected) {
    return invalid(label + " struct_size " + std::to_string(declaredSize) + " is larger than ABI " +
                   abiText(SB_ABI_VERSION_MAJOR, pluginMinor) + "'s " + std::to_string(expected));
  }
  std::memset(static_cast<void*>(&copy), 0, sizeof(T));
  std::memcpy(static_cast<void*>(&copy), source, declaredSize);
  return Status::ok();
}

// Strict UTF-8 (no overlongs, surrogates or code points past U+10FFFF):
// declared text ends up in JSON responses, which must stay valid.
bool isUtf8(const std::string& text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned char* end = p + text.size();
  while (p < end) {
    const unsigned char lead = *p;
    std::size_t extra = 0;
    uint32_t cp = 0;
    if (lead < 0x80) { ++p; continue; }
    if (lead >= 0xC2 && lead <= 0xDF) { extra = 1; cp = lead & 0x1F; }
    else if (lead >= 0xE0 && lead <= 0xEF) { extra = 2; cp = lead & 0x0F; }
    else if (lead >= 0xF0 && lead <= 0xF4) { extra = 3; cp = lead & 0x07; }
    else return false;
    if (static_cast<std::size_t>(end - p) <= extra) return false;
    for (std::size_t i = 1; i <= extra; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF))) {
      return false;
    }
    p += extra + 1;
  }
  return true;
}

Status readText(sb_str text, const std::string& what, std::string& out) {
  if (text.data == nullptr && text.len != 0) {
    return invalid(what + " has a NULL pointer with length " + std::to_string(text.len));
  }
  if (text.len > kMaxTextLength) {
    return invalid(what + " is longer than " + std::to_string(kMaxTextLength) + " bytes");
  }
  out = toStdString(text);
  if (!isUtf8(out)) return invalid(what + " is not valid UTF-8");
  return Status::ok();
}


// The SDK's rules (switchboard/identifiers.hpp): the conformance check and
// the loader can never disagree.
bool isPluginId(const std::string& id) { return switchboard::ids::isPluginId(id); }
bool isSchemaId(const std::string& id) { return switchboard::ids::isSchemaId(id); }
bool isFieldKey(const std::string& key) { return switchboard::ids::isFieldKey(key); }

std::string quoted(const std::string& text) { return "\"" + text + "\""; }

// Arrays of growable structs are laid out with the plugin's sizeof, which is
// the first element's struct_size; every element must agree with it.
template <class T>
Status elementAt(const T* array, std::size_t index, const std::string& label, uint32_t pluginMinor,
                 T& copy) {
  const auto* base = reinterpret_cast<const unsigned char*>(array);
  uint32_t stride = 0;
  std::memcpy(&stride, base, sizeof stride);
  const unsigned char* element = base + index * stride;
  uint32_t declared = 0;
  std::memcpy(&declared, element, sizeof declared);
  if (index > 0 && declared != stride) {
    return invalid(label + " struct_size " + std::to_string(declared) +
                   " differs from the first element's " + std::to_string(stride));
  }
  return copyVersioned(element, declared, label, pluginMinor, copy);
}

Status convertField(const sb_schema_field& field, const std::string& schemaLabel,
                    std::size_t index, std::set<std::string>& keys,
                    SchemaField& out) {
  const std::string indexLabel = schemaLabel + " field #" + std::to_string(index);
  Status status = readText(field.key, indexLabel + " key", out.key);
  if (!status) return status;
  if (!isFieldKey(out.key)) {
    return invalid(indexLabel + ": invalid key " + quoted(out.key) +
                   ": must match [a-z][a-zA-Z0-9_]* (at most 64 characters)");
  }
  const std::string label = schemaLabel + " field " + quoted(out.key);
  if (!keys.insert(out.key).second) return invalid(label + ": duplicate key");
  const char* type = fieldTypeName(field.type);
  if (type == nullptr) return invalid(label + ": unknown type " + std::to_string(field.type));
  out.type = type;
  const char* level = fieldLevelName(field.level);
  if (level == nullptr) return invalid(label + ": unknown level " + std::to_string(field.level));
  out.level = level;
  if (field.required > 1) return invalid(label + ": required must be 0 or 1");
  if (field.secret > 1) return invalid(label + ": secret must be 0 or 1");
  out.required = field.required == 1;
  out.secret = field.secret == 1;
  if (field.destination > 1) return invalid(label + ": destination must be 0 or 1");
  if (field.destination == 1 && out.secret) {
    return invalid(label + ": a secret field cannot be a destination field");
  }
  out.destination = field.destination == 1;
  if (field.max_length != 0 && (field.type == SB_FIELD_INTEGER || field.type == SB_FIELD_BOOLEAN)) {
    return invalid(label + ": max_length applies to string, url and select fields only");
  }
  if (field.max_length > SB_MAX_FIELD_LENGTH) {
    return invalid(label + ": max_length " + std::to_string(field.max_length) + " is larger than " +
                   std::to_string(SB_MAX_FIELD_LENGTH));
  }
  out.maxLength = field.max_length;
  if (!(status = readText(field.description, label + " description", out.description))) return status;
  if (!(status = readText(field.placeholder, label + " placeholder", out.placeholder))) return status;
  if (field.type != SB_FIELD_SELECT) return Status::ok();
  if (field.option_count == 0) return invalid(label + ": select field has no options");
  if (field.options == nullptr) return invalid(label + ": options is NULL with option_count " +
                                               std::to_string(field.option_count));
  if (field.option_count > kMaxOptions) {
    return invalid(label + ": more than " + std::to_string(kMaxOptions) + " options");
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < field.option_count; ++i) {
    std::string option;
    if (!(status = readText(field.options[i], label + " option #" + std::to_string(i), option))) {
      return status;
    }
    if (option.empty()) return invalid(label + ": option #" + std::to_string(i) + " is empty");
    if (!seen.insert(option).second) return invalid(label + ": duplicate option " + quoted(option));
    out.options.push_back(option);
  }
  return Status::ok();
}

Status convertSchema(const sb_integration_schema& schema, std::size_t index,
                     uint32_t pluginMinor, const std::string& pluginId,
                     std::set<std::string>& schemaIds, IntegrationSchema& out) {
  const std::string indexLabel = "schema #" + std::to_string(index);
  Status status = readText(schema.id, indexLabel + " id", out.id);
  if (!status) return status;
  if (!isSchemaId(out.id)) {
    return invalid(indexLabel + ": invalid id " + quoted(out.id) +
                   ": must match [a-z0-9][a-z0-9_-]* (at most 64 characters)");
  }
  const std::string label = "schema " + quoted(out.id);
  if (!schemaIds.insert(out.id).second) return invalid(label + ": duplicate schema id");
  if (!(status = readText(schema.name, label + " name", out.name))) return status;
  if (out.name.empty()) return invalid(label + ": name is empty");
  if (!(status = readText(schema.category, label + " category", out.category))) return status;
  if (!(status = readText(schema.description, label + " description", out.description))) return status;
  if (!(status = readText(schema.docs_url, label + " docs_url", out.docsUrl))) return status;
  if (!(status = readText(schema.icon_url, label + " icon_url", out.iconUrl))) return status;
  if (schema.featured > 1) return invalid(label + ": featured must be 0 or 1");
  out.pluginId = pluginId;
  out.displayOrder = schema.display_order;
  out.featured = schema.featured == 1;
  if (schema.field_count == 0) return Status::ok();
  if (schema.fields == nullptr) {
    return invalid(label + ": fields is NULL with field_count " + std::to_string(schema.field_count));
  }
  if (schema.field_count > kMaxFields) {
    return invalid(label + ": more than " + std::to_string(kMaxFields) + " fields");
  }
  std::set<std::string> keys;
  for (std::size_t i = 0; i < schema.field_count; ++i) {
    sb_schema_field field{};
    status = elementAt(schema.fields, i, label + " field #" + std::to_string(i) + ": sb_schema_field",
                       pluginMinor, field);
    if (!status) return status;
    SchemaField converted;
    if (!(status = convertField(field, label, i, keys, converted))) return status;
    out.fields.push_back(std::move(converted));
  }
  return Status::ok();
}

Status checkVersion(const sb_plugin& descriptor) {
  if (descriptor.abi_major != SB_ABI_VERSION_MAJOR) {
    return invalid("plugin ABI major " + std::to_string(descriptor.abi_major) +
                   " != host ABI major " + std::to_string(SB_ABI_VERSION_MAJOR));
  }
  if (descriptor.abi_minor > SB_ABI_VERSION_MINOR) {
    return invalid("plugin ABI " + declaredAbiVersion(descriptor) + " is newer than host ABI " +
                   hostAbi());
  }
  return Status::ok();
}

Status requireHook(bool present, const std::string& name) {
  return present ? Status::ok() : invalid("required function " + name + " is NULL");
}

template <class Table>
Status copyTable(const Table* table, const char* label, uint32_t minor,
                 std::optional<Table>& out) {
  if (table == nullptr) return Status::ok();
  Table copy{};
  Status status = copyVersioned(table, table->struct_size, label, minor, copy);
  if (!status) return status;
  out = copy;
  return Status::ok();
}

Status copyCapabilities(const sb_plugin& plugin, ValidatedDescriptor& out) {
  const uint32_t minor = plugin.abi_minor;
  Status status = copyTable(plugin.status_adapter, "sb_status_adapter", minor, out.statusAdapter);
  if (!status) return status;
  if (out.statusAdapter) {
    if (!(status = requireHook(out.statusAdapter->on_status != nullptr,
                               "sb_status_adapter.on_status"))) return status;
    out.capabilities.push_back("status");
  }
  if (!(status = copyTable(plugin.connection_provider, "sb_connection_provider", minor,
                           out.connectionProvider))) return status;
  if (out.connectionProvider) {
    const auto& table = *out.connectionProvider;
    if (!(status = requireHook(table.on_describe != nullptr,
                               "sb_connection_provider.on_describe"))) return status;
    if (!(status = requireHook(table.on_token_response != nullptr,
                               "sb_connection_provider.on_token_response"))) return status;
    out.capabilities.push_back("connection");
  }
  if (!(status = copyTable(plugin.sync_source, "sb_sync_source", minor, out.syncSource))) return status;
  if (out.syncSource) {
    const auto& table = *out.syncSource;
    if (!(status = requireHook(table.on_list_tree != nullptr,
                               "sb_sync_source.on_list_tree"))) return status;
    if (!(status = requireHook(table.on_read != nullptr,
                               "sb_sync_source.on_read"))) return status;
    if (!(status = requireHook(table.on_write != nullptr,
                               "sb_sync_source.on_write"))) return status;
    out.capabilities.push_back("sync");
  }
  if (!(status = copyTable(plugin.actions, "sb_actions", minor, out.actions))) return status;
  if (out.actions) {
    if (!(status = requireHook(out.actions->on_list != nullptr,
                               "sb_actions.on_list"))) return status;
    if (!(status = requireHook(out.actions->on_run != nullptr,
                               "sb_actions.on_run"))) return status;
    out.capabilities.push_back("actions");
  }
  return Status::ok();
}

Status readIdentity(const sb_plugin& plugin, ValidatedDescriptor& out) {
  Status status = readText(plugin.id, "plugin id", out.id);
  if (!status) return status;
  if (!isPluginId(out.id)) {
    return invalid("invalid plugin id " + quoted(out.id) +
                   ": must match [a-z][a-z0-9_-]* (at most 64 characters)");
  }
  const std::string label = "plugin " + quoted(out.id);
  if (!(status = readText(plugin.name, label + " name", out.name))) return status;
  if (out.name.empty()) return invalid(label + ": name is empty");
  if (!(status = readText(plugin.version, label + " version", out.version))) return status;
  if (out.version.empty()) return invalid(label + ": version is empty");
  return readText(plugin.description, label + " description", out.description);
}

Status convertSchemas(const sb_plugin& plugin, ValidatedDescriptor& out) {
  if (plugin.schema_count == 0) return Status::ok();
  if (plugin.schemas == nullptr) {
    return invalid("schemas is NULL with schema_count " + std::to_string(plugin.schema_count));
  }
  if (plugin.schema_count > kMaxSchemas) {
    return invalid("more than " + std::to_string(kMaxSchemas) + " schemas");
  }
  std::set<std::string> schemaIds;
  for (std::size_t i = 0; i < plugin.schema_count; ++i) {
    sb_integration_schema schema{};
    Status status = elementAt(plugin.schemas, i,
                              "schema #" + std::to_string(i) + ": sb_integration_schema",
                              plugin.abi_minor, schema);
    if (!status) return status;
    IntegrationSchema converted;
    status = convertSchema(schema, i, plugin.abi_minor, out.id, schemaIds, converted);
    if (!status) return status;
    out.schemas.push_back(std::move(converted));
  }
  return Status::ok();
}

}  // namespace

std::string declaredAbiVersion(const sb_plugin& descriptor) {
  return abiText(descriptor.abi_major, descriptor.abi_minor);
}

const char* fieldTypeName(sb_field_type type) {
  switch (type) {
    case SB_FIELD_STRING: return "string";
    case SB_FIELD_URL: return "url";
    case SB_FIELD_INTEGER: return "integer";
    case SB_FIELD_BOOLEAN: return "boolean";
    case SB_FIELD_SELECT: return "select";
    default: return nullptr;
  }
}

const char* fieldLevelName(sb_field_level level) {
  switch (level) {
    case SB_LEVEL_ORG: return "org";
    case SB_LEVEL_PROJECT: return "project";
    default: return nullptr;
  }
}

Result<ValidatedDescriptor> validateDescriptor(const sb_plugin& descriptor) {
  ValidatedDescriptor out;
  Status status = checkVersion(descriptor);
  if (!status) return status;
  out.abiVersion = declaredAbiVersion(descriptor);
  status = copyVersioned(&descriptor, descriptor.struct_size, "sb_plugin", descriptor.abi_minor,
                         out.plugin);
  if (!status) return status;
  const sb_plugin& plugin = out.plugin;
  if (!(status = requireHook(plugin.on_init != nullptr, "on_init"))) return status;
  if (!(status = requireHook(plugin.on_destroy != nullptr, "on_destroy"))) {
    return status;
  }
  if (!(status = copyCapabilities(plugin, out))) return status;
  if (!(status = readIdentity(plugin, out))) return status;
  if (!(status = convertSchemas(plugin, out))) return status;
  out.plugin.status_adapter = nullptr;
  out.plugin.connection_provider = nullptr;
  out.plugin.sync_source = nullptr;
  out.plugin.actions = nullptr;
  out.plugin.schemas = nullptr;
  out.plugin.schema_count = 0;
  return out;
}

}  // namespace sb
