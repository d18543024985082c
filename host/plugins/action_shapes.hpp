// The JSON a plugin's actions capability writes, checked and parsed before
// the host acts on it (docs/plugin-authoring.md, "Actions"): the action list
// of on_list / on_list_for, the result object of on_run and the reason (with
// an optional retryAfter) of a failed on_run.
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <switchboard/abi.h>

#include "core/model.hpp"
#include "core/result.hpp"

namespace sb {

// What an action does, as the host's permission table sees it.
enum class ActionKind {
  Connect,           // (re)connect credentials; navigation in the bundled plugins
  Disconnect,
  Configure,
  DeployProduction,
  DeployPreview,
  Push,              // writes to the provider (sync source)
  ContentSync,       // reads the provider's content again
  Check,             // a read-only probe (test connection)
  Open,              // navigation: returns a URL, no side effect
};

const char* actionKindName(ActionKind kind);  // "deploy-production", ...
std::optional<ActionKind> parseActionKind(const std::string& text);

struct PluginAction {
  std::string id;     // [a-z0-9][a-z0-9-]*, unique within the list
  std::string label;
  Role minRole = Role::Admin;
  ActionKind kind = ActionKind::Configure;
  bool enabled = true;
  std::string reason;  // why it is disabled; may be empty
};

// Parses on_list / on_list_for output: a JSON array of
// {"id","label","minRole","kind","enabled"?,"reason"?}. `kindRequired` is
// true for plugins built against ABI 1.2 or newer; an older plugin's action
// without a kind reads as Configure (owner and admin only), the safe guess.
Result<std::vector<PluginAction>> parseActionList(const std::string& json, bool kindRequired);

// Checks on_run's SB_OK output: one JSON object; a "url" member (navigation)
// must be a string an outbound reply may carry (core/outbound_url.hpp).
Status checkActionResult(const std::string& json);

// What on_run reported, once the host has checked it. status is the
// plugin's own (SB_OK = the action succeeded); toErrorCode maps the others.
struct ActionRunOutcome {
  sb_status status = SB_OK;
  std::string resultJson;  // SB_OK: the result object
  std::string reason;      // otherwise: the plugin's reason (never a secret)
  std::optional<int64_t> retryAfterSeconds;  // SB_ERR_RATE_LIMITED, when the plugin said
  bool ok() const { return status == SB_OK; }
};

// Reads a failed on_run's output: plain text, or {"reason","retryAfter"?}.
ActionRunOutcome parseActionFailure(sb_status status, const std::string& output);

}  // namespace sb
