// Validates the sb_plugin descriptor a plugin's entry function returned,
// before any plugin function is called: ABI version, struct sizes, required
// hooks, identity and declared schemas. On success it yields host-owned copies
// (fields past a smaller struct_size read as absent) and the schemas converted
// to sb::IntegrationSchema. Messages are exact and stable: tests assert them.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <switchboard/abi.h>

#include "core/model.hpp"
#include "core/result.hpp"

namespace sb {

struct ValidatedDescriptor {
  // Host-owned copy; its table pointers are cleared: use the copies below.
  sb_plugin plugin{};
  std::optional<sb_status_adapter> statusAdapter;
  std::optional<sb_connection_provider> connectionProvider;
  std::optional<sb_sync_source> syncSource;
  std::optional<sb_actions> actions;

  std::string id;
  std::string name;
  std::string version;
  std::string description;
  std::string abiVersion;                 // "major.minor" the plugin declared
  std::vector<std::string> capabilities;  // status | connection | sync | actions
  std::vector<IntegrationSchema> schemas;
};

// Checks `descriptor` (non-null) against this host's ABI. Every error is
// InvalidArgument with a message naming the offending struct, hook or field.
Result<ValidatedDescriptor> validateDescriptor(const sb_plugin& descriptor);

// "major.minor" of a descriptor whose first three fields are readable.
std::string declaredAbiVersion(const sb_plugin& descriptor);

const char* fieldTypeName(sb_field_type type);    // nullptr when unknown
const char* fieldLevelName(sb_field_level level);  // nullptr when unknown

}  // namespace sb
