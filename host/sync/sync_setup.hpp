// The set-up calls of a project's sync link (the ABI 1.4 sync set-up hooks):
// validate the token and its access, list the repositories the token can
// see, the branches, and the newest commits of the linked branch. This file
// runs one hook and turns what the plugin wrote into typed records (checked,
// unknown members dropped) or a ProviderRefusal; http/json_views renders the
// records and http/problem the refusal. A plugin without the hook (an older
// ABI) is a NotSupported refusal: the hook is never called.
// Thread-safety: pure functions on values; a LoadedPlugin is thread-safe.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/provider_refusal.hpp"
#include "core/result.hpp"
#include "plugins/loaded_plugin.hpp"

namespace sb::sync {

enum class SetupCall { Validate, Repositories, Branches, Commits };

PluginHook hookOf(SetupCall call);
const char* setupCallText(SetupCall call);  // "listing branches"

struct LinkCheck {
  std::string resource;  // "owner/name"
  std::optional<bool> isPrivate;
  std::optional<std::string> defaultBranch;
  std::optional<std::string> branch;
  bool canRead = false;
  bool canWrite = false;
};

struct RemoteRepository {
  std::string name;
  std::optional<bool> isPrivate;
  std::optional<std::string> defaultBranch;
};

struct RemoteBranch {
  std::string name;
  std::string head;
  std::optional<bool> isProtected;
};

struct RemoteCommit {
  std::string sha;
  std::string message;  // the subject line
  std::optional<std::string> author;
  std::optional<std::string> date;  // ISO 8601
};

template <class T>
struct Listing {
  std::vector<T> items;
  bool truncated = false;
  std::optional<std::string> branch;  // commits: the branch they are on
};

using SetupData = std::variant<LinkCheck, Listing<RemoteRepository>, Listing<RemoteBranch>, Listing<RemoteCommit>>;

// Exactly one of data and refusal is set.
struct SetupReply {
  std::optional<SetupData> data;
  std::optional<ProviderRefusal> refusal;
};

// Runs `call` on `plugin` with `requestJson` (the sync context plus
// "params"). The Result's error is what the provider's answer cannot
// explain: the egress policy refused a request (PermissionDenied).
Result<SetupReply> runSetupCall(const LoadedPlugin& plugin, SetupCall call, const std::string& requestJson,
                                const PluginCall& pluginCall);

// Reads the plugin's SB_OK output for `call`; the problem with it otherwise.
Result<SetupData> parseSetupData(SetupCall call, const std::string& json);

}  // namespace sb::sync
