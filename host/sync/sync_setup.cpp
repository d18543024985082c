#include "sync/sync_setup.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>

#include <utility>

namespace sb::sync {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("switchboard.sync"); }

using Object = Poco::JSON::Object::Ptr;

std::optional<std::string> optString(const Object& object, const std::string& name) {
  if (!object->has(name) || !object->get(name).isString()) return std::nullopt;
  return object->getValue<std::string>(name);
}

std::optional<bool> optBool(const Object& object, const std::string& name) {
  if (!object->has(name) || !object->get(name).isBoolean()) return std::nullopt;
  return object->getValue<bool>(name);
}

Status malformed(const std::string& what) { return {ErrorCode::Unavailable, what}; }

Result<std::string> requiredString(const Object& object, const std::string& name) {
  auto value = optString(object, name);
  if (!value || value->empty()) return malformed("\"" + name + "\" is missing or not a string");
  return *value;
}

Result<LinkCheck> linkCheckOf(const Object& root) {
  LinkCheck check;
  auto resource = requiredString(root, "resource");
  if (!resource) return resource.status();
  check.resource = *resource;
  auto canRead = optBool(root, "canRead");
  auto canWrite = optBool(root, "canWrite");
  if (!canRead || !canWrite) return malformed("\"canRead\" and \"canWrite\" must be true or false");
  check.canRead = *canRead;
  check.canWrite = *canWrite;
  check.isPrivate = optBool(root, "private");
  check.defaultBranch = optString(root, "defaultBranch");
  check.branch = optString(root, "branch");
  return check;
}

Result<RemoteRepository> repositoryOf(const Object& item) {
  auto name = requiredString(item, "name");
  if (!name) return name.status();
  return RemoteRepository{*name, optBool(item, "private"), optString(item, "defaultBranch")};
}

Result<RemoteBranch> branchOf(const Object& item) {
  auto name = requiredString(item, "name");
  if (!name) return name.status();
  auto head = requiredString(item, "head");
  if (!head) return head.status();
  return RemoteBranch{*name, *head, optBool(item, "protected")};
}

Result<RemoteCommit> commitOf(const Object& item) {
  auto sha = requiredString(item, "sha");
  if (!sha) return sha.status();
  auto message = optString(item, "message");
  if (!message) return malformed("\"message\" is missing or not a string");
  return RemoteCommit{*sha, *message, optString(item, "author"), optString(item, "date")};
}

// The array `member` of `root`, each element read by `read`.
template <class T, class Read>
Result<Listing<T>> listingOf(const Object& root, const std::string& member, Read read) {
  Poco::JSON::Array::Ptr items = root->getArray(member);
  if (items.isNull()) return malformed("\"" + member + "\" is missing or not an array");
  Listing<T> listing;
  for (std::size_t i = 0; i < items->size(); ++i) {
    Object item = items->getObject(static_cast<unsigned>(i));
    if (item.isNull()) return malformed(member + "[" + std::to_string(i) + "] is not an object");
    auto value = read(item);
    if (!value) return malformed(member + "[" + std::to_string(i) + "]: " + value.status().message());
    listing.items.push_back(std::move(*value));
  }
  listing.truncated = optBool(root, "truncated").value_or(false);
  listing.branch = optString(root, "branch");
  return listing;
}

template <class T>
Result<SetupData> asData(Result<T> read) {
  if (!read) return read.status();
  return SetupData(std::move(*read));
}

ProviderRefusalKind refusalKindOf(sb_status status) {
  switch (status) {
    case SB_ERR_UNAUTHORIZED: return ProviderRefusalKind::CredentialsRejected;
    case SB_ERR_NOT_FOUND: return ProviderRefusalKind::NoAccess;
    case SB_ERR_RATE_LIMITED: return ProviderRefusalKind::RateLimited;
    case SB_ERR_INVALID_ARGUMENT: return ProviderRefusalKind::InvalidLink;
    case SB_ERR_NOT_SUPPORTED: return ProviderRefusalKind::NotSupported;
    case SB_ERR_TIMEOUT: return ProviderRefusalKind::Timeout;
    default: return ProviderRefusalKind::Unavailable;
  }
}

SetupReply refused(ProviderRefusalKind kind, std::string detail, std::int64_t retryAfterSeconds = -1) {
  SetupReply reply;
  reply.refusal = ProviderRefusal{kind, std::move(detail), retryAfterSeconds};
  return reply;
}

}  // namespace

PluginHook hookOf(SetupCall call) {
  switch (call) {
    case SetupCall::Validate: return PluginHook::SyncValidate;
    case SetupCall::Repositories: return PluginHook::SyncListRepositories;
    case SetupCall::Branches: return PluginHook::SyncListBranches;
    case SetupCall::Commits: return PluginHook::SyncListCommits;
  }
  return PluginHook::SyncValidate;
}

const char* setupCallText(SetupCall call) {
  switch (call) {
    case SetupCall::Validate: return "validating the link";
    case SetupCall::Repositories: return "listing repositories";
    case SetupCall::Branches: return "listing branches";
    case SetupCall::Commits: return "listing commits";
  }
  return "a set-up call";
}

Result<SetupData> parseSetupData(SetupCall call, const std::string& json) {
  Object root;
  try {
    Poco::JSON::Parser parser;
    root = parser.parse(json).extract<Object>();
  } catch (const std::exception&) {
    root = nullptr;
  }
  if (root.isNull()) return malformed("not a JSON object");
  switch (call) {
    case SetupCall::Validate: return asData(linkCheckOf(root));
    case SetupCall::Repositories: return asData(listingOf<RemoteRepository>(root, "repositories", repositoryOf));
    case SetupCall::Branches: return asData(listingOf<RemoteBranch>(root, "branches", branchOf));
    case SetupCall::Commits: return asData(listingOf<RemoteCommit>(root, "commits", commitOf));
  }
  return malformed("unknown set-up call");
}

Result<SetupReply> runSetupCall(const LoadedPlugin& plugin, SetupCall call, const std::string& requestJson,
                                const PluginCall& pluginCall) {
  const PluginHook hook = hookOf(call);
  const std::string who = "the " + plugin.id() + " plugin (ABI " + plugin.info().abiVersion + ")";
  if (!plugin.provides(hook)) {
    return refused(ProviderRefusalKind::NotSupported,
                   who + " does not support " + setupCallText(call) + ": it has no " + hookName(hook) +
                       " (sync set-up calls arrived with ABI 1.4)");
  }
  Result<ActionRunOutcome> outcome = plugin.syncSetup(hook, requestJson, pluginCall);
  if (!outcome) {
    if (outcome.status().code() == ErrorCode::PermissionDenied) return outcome.status();  // the egress policy
    logger().warning("%s", outcome.status().message());
    return refused(ProviderRefusalKind::Unavailable,
                   who + " failed while " + setupCallText(call) + "; the server log has the details");
  }
  if (!outcome->ok()) {
    return refused(refusalKindOf(outcome->status), outcome->reason, outcome->retryAfterSeconds.value_or(-1));
  }
  Result<SetupData> data = parseSetupData(call, outcome->resultJson);
  if (!data) {
    logger().warning("plugin %s returned a malformed reply from %s: %s", plugin.id(), std::string(hookName(hook)),
                     data.status().message());
    return refused(ProviderRefusalKind::Unavailable, who + " returned a malformed reply while " + setupCallText(call));
  }
  SetupReply reply;
  reply.data = std::move(*data);
  return reply;
}

}  // namespace sb::sync
