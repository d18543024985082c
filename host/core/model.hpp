// Domain records shared by the store, the plugin registry and the HTTP layer.
// Plain values with no behaviour beyond parsing/printing enums.
// Thread-safety: plain values; copy freely.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sb {

// Project roles, most to least privileged.
enum class Role { Owner, Admin, Editor, Viewer };
const char* toString(Role role);
std::optional<Role> parseRole(const std::string& text);
// True when `actual` is at least as privileged as `required`.
bool roleAtLeast(Role actual, Role required);
// "Requires the admin or owner role": why a role below `minRole` may not act.
std::string roleRequirement(Role minRole);
// The host's permission table for quick actions, by the kind a plugin
// declares (docs/plugin-authoring.md, "Actions"): owner and admin every kind;
// editor push, content-sync, deploy-preview, check and open; viewer nothing.
// An unknown or missing kind is treated as configure (admin). A plugin's own
// minRole can only raise the result.
Role actionMinimumRole(const std::string& kind, Role pluginMinRole);

struct User {
  std::string id;    // opaque, host-generated
  std::string name;  // unique login name; [A-Za-z0-9._-]{1,64}
  bool isAdmin = false;  // global administrator: acts as owner on every project
  std::string createdAt;  // ISO 8601 UTC
};

// Who is calling: resolved from a bearer token.
struct Principal {
  User user;
  std::string tokenId;
};

struct ApiToken {
  std::string id;
  std::string userId;
  std::string label;
  std::string createdAt;
};

struct Project {
  std::string id;    // opaque, host-generated, URL-safe
  std::string name;  // display name, 1..200 chars
  std::string createdAt;
};

struct Membership {
  std::string projectId;
  std::string userName;
  Role role = Role::Viewer;
  std::string createdAt;
};

// ---- Catalog: what plugins declare --------------------------------------

// Longest value the host accepts for a string, url or select field that
// declares no max_length (bytes).
inline constexpr std::size_t kDefaultSettingMaxLength = 4 * 1024;
inline constexpr std::size_t kDefaultSecretMaxLength = 16 * 1024;

struct SchemaField {
  std::string key;
  std::string type;   // string | url | integer | boolean | select
  bool required = false;
  bool secret = false;
  std::string level;  // org | project
  std::string description;
  std::string placeholder;
  std::vector<std::string> options;  // select only
  // The value decides where the plugin's requests (and the link's secrets)
  // go: changing it drops the stored secrets (docs/architecture.md).
  bool destination = false;
  std::size_t maxLength = 0;  // declared cap in bytes; 0 = the host's default

  // The cap the host enforces on a text value of this field.
  std::size_t effectiveMaxLength() const {
    if (maxLength > 0) return maxLength;
    return secret ? kDefaultSecretMaxLength : kDefaultSettingMaxLength;
  }
};

struct IntegrationSchema {
  std::string id;
  std::string pluginId;
  std::string name;
  std::string category;
  std::string description;
  std::string docsUrl;
  std::string iconUrl;
  int displayOrder = 0;
  bool featured = false;
  std::vector<SchemaField> fields;
  bool available = true;  // false once the declaring plugin is no longer loaded
};

enum class PluginState { Loaded, Failed };
const char* toString(PluginState state);

struct PluginInfo {
  std::string id;    // declared id; for a plugin that failed before declaring, its configured name
  std::string name;
  std::string version;
  std::string description;
  std::string path;        // the .so that was loaded (or tried)
  std::string abiVersion;  // "major.minor" the plugin declared; empty if unknown
  std::vector<std::string> capabilities;  // status | connection | sync | actions
  PluginState state = PluginState::Failed;
  std::string error;  // why it failed; empty when loaded
  std::vector<IntegrationSchema> schemas;
};

struct CategoryCount {
  std::string name;
  int count = 0;
};

// ---- Integration links and status -----------------------------------------

// A project linked to one integration schema (key = schema id, e.g. "github").
struct IntegrationLink {
  std::string projectId;
  std::string key;
  std::string settingsJson = "{}";  // non-secret field values, a JSON object
  // The secret field values as one JSON object sealed with AES-256-GCM
  // (crypto/secret_box.hpp); never plaintext. Empty when no secret is set.
  std::string secretsSealed;
  std::vector<std::string> secretNames;  // which secret fields are set (names only)
  Role visibleTo = Role::Viewer;  // least privileged role that sees this integration
  // A link that uses an OAuth connection instead of a pasted token (migration
  // 7): the connection's name and the id of the grant (oauth_tokens.id) of
  // the user who linked it. Both empty for a link without one.
  std::string connectionName;
  std::string oauthTokenId;
  std::string createdAt;
  std::string updatedAt;
};

// The last good status of one (project, provider) and its circuit breaker,
// persisted so a restarted host serves them at once.
struct StatusSnapshot {
  std::string projectId;
  std::string provider;
  std::string documentJson;     // the plugin's last good status document; "" = none yet
  int64_t fetchedAtMs = 0;      // when documentJson was fetched (epoch ms)
  std::string breakerState = "closed";  // closed | open | half_open
  int consecutiveFailures = 0;
  int64_t breakerOpenedAtMs = 0;  // when it last opened; 0 = never
};

}  // namespace sb
