#include "plugins/loaded_plugin.hpp"

#include <exception>
#include <optional>
#include <utility>

#include <switchboard/json.hpp>

#include "plugins/host_objects.hpp"

namespace sb {
namespace {

sb_str view(const std::string& text) { return {text.data(), text.size()}; }

std::string currentExceptionText() {
  try {
    throw;
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

}  // namespace

// Validated without building a document: a sync listing of 100,000 paths
// would otherwise cost a Poco::JSON tree of it just to be checked.
std::string jsonProblem(const std::string& text) {
  const std::optional<switchboard::json::SyntaxError> problem = switchboard::json::validate(text);
  return problem ? problem->describe() : std::string();
}

const char* hookName(PluginHook hook) {
  switch (hook) {
    case PluginHook::Status: return "on_status";
    case PluginHook::ConnectionDescribe: return "on_describe";
    case PluginHook::ConnectionTokenResponse: return "on_token_response";
    case PluginHook::ConnectionDiscover: return "on_discover";
    case PluginHook::SyncListTree: return "on_list_tree";
    case PluginHook::SyncRead: return "on_read";
    case PluginHook::SyncWrite: return "on_write";
    case PluginHook::ActionsList: return "on_list";
    case PluginHook::ActionsRun: return "on_run";
    case PluginHook::ActionsListFor: return "on_list_for";
    case PluginHook::SyncValidate: return "on_validate";
    case PluginHook::SyncListRepositories: return "on_list_repositories";
    case PluginHook::SyncListBranches: return "on_list_branches";
    case PluginHook::SyncListCommits: return "on_list_commits";
  }
  return "unknown hook";
}

bool hookReturnsJson(PluginHook hook) { return hook != PluginHook::SyncRead; }

const char* sbStatusName(sb_status status) {
  switch (status) {
    case SB_OK: return "SB_OK";
    case SB_ERR_INVALID_ARGUMENT: return "SB_ERR_INVALID_ARGUMENT";
    case SB_ERR_NOT_FOUND: return "SB_ERR_NOT_FOUND";
    case SB_ERR_UNAUTHORIZED: return "SB_ERR_UNAUTHORIZED";
    case SB_ERR_RATE_LIMITED: return "SB_ERR_RATE_LIMITED";
    case SB_ERR_TIMEOUT: return "SB_ERR_TIMEOUT";
    case SB_ERR_UNAVAILABLE: return "SB_ERR_UNAVAILABLE";
    case SB_ERR_CONFLICT: return "SB_ERR_CONFLICT";
    case SB_ERR_NOT_SUPPORTED: return "SB_ERR_NOT_SUPPORTED";
    case SB_ERR_INTERNAL: return "SB_ERR_INTERNAL";
    default: return "unknown status";
  }
}

ErrorCode toErrorCode(sb_status status) {
  switch (status) {
    case SB_OK: return ErrorCode::Ok;
    case SB_ERR_INVALID_ARGUMENT: return ErrorCode::InvalidArgument;
    case SB_ERR_NOT_FOUND: return ErrorCode::NotFound;
    // The provider rejected the stored credentials: the caller of the host is
    // authenticated, so this is a permission problem upstream, not a 401.
    case SB_ERR_UNAUTHORIZED: return ErrorCode::PermissionDenied;
    case SB_ERR_RATE_LIMITED: return ErrorCode::Unavailable;
    case SB_ERR_TIMEOUT: return ErrorCode::Timeout;
    case SB_ERR_UNAVAILABLE: return ErrorCode::Unavailable;
    case SB_ERR_CONFLICT: return ErrorCode::Conflict;
    case SB_ERR_NOT_SUPPORTED: return ErrorCode::NotFound;
    default: return ErrorCode::Internal;
  }
}

InitOutcome callOnInit(const ValidatedDescriptor& descriptor, const sb_host_api* host,
                       const std::string& settingsJson) {
  InitOutcome outcome;
  sb_output error(kMaxPluginErrorBytes);
  try {
    outcome.status = descriptor.plugin.on_init(host, view(settingsJson), &outcome.instance, &error);
  } catch (...) {
    outcome.threw = true;
    outcome.exceptionText = currentExceptionText();
    outcome.instance = nullptr;  // whatever it built is unreachable now
  }
  outcome.error = std::move(error.bytes);
  if (outcome.status != SB_OK) outcome.instance = nullptr;
  return outcome;
}

bool callOnDestroy(const ValidatedDescriptor& descriptor, void* instance) {
  try {
    descriptor.plugin.on_destroy(instance);
    return true;
  } catch (...) {
    return false;
  }
}

std::string describeInitFailure(const InitOutcome& outcome) {
  if (outcome.threw) return "on_init threw an exception: " + outcome.exceptionText;
  if (outcome.status == SB_OK) return {};
  std::string message = std::string("on_init failed with ") + sbStatusName(outcome.status);
  if (sbStatusName(outcome.status) == std::string("unknown status")) {
    message += ' ';
    message += std::to_string(outcome.status);
  }
  return message + ": " + (outcome.error.empty() ? "(no reason given)" : outcome.error);
}

Result<std::shared_ptr<LoadedPlugin>> LoadedPlugin::initialise(OpenedPlugin opened,
                                                               HostServiceSettings services,
                                                               const std::string& settingsJson) {
  services.pluginId = opened.descriptor.id;
  auto hostServices = std::make_unique<PluginHostServices>(std::move(services));
  InitOutcome outcome = callOnInit(opened.descriptor, hostServices->api(), settingsJson);
  std::string failure = describeInitFailure(outcome);
  if (!failure.empty()) return Status(ErrorCode::Unavailable, failure);
  return std::shared_ptr<LoadedPlugin>(
      new LoadedPlugin(std::move(opened), std::move(hostServices), outcome.instance));
}

LoadedPlugin::LoadedPlugin(OpenedPlugin opened, std::unique_ptr<PluginHostServices> services,
                           void* instance)
    : opened_(std::move(opened)), services_(std::move(services)), instance_(instance) {
  const ValidatedDescriptor& d = opened_.descriptor;
  info_.id = d.id;
  info_.name = d.name;
  info_.version = d.version;
  info_.description = d.description;
  info_.path = opened_.path;
  info_.abiVersion = d.abiVersion;
  info_.capabilities = d.capabilities;
  info_.state = PluginState::Loaded;
  info_.schemas = d.schemas;
}

LoadedPlugin::~LoadedPlugin() { callOnDestroy(opened_.descriptor, instance_); }

bool LoadedPlugin::provides(PluginHook hook) const {
  const ValidatedDescriptor& d = opened_.descriptor;
  switch (hook) {
    case PluginHook::Status: return d.statusAdapter.has_value();
    case PluginHook::ConnectionDescribe:
    case PluginHook::ConnectionTokenResponse: return d.connectionProvider.has_value();
    case PluginHook::ConnectionDiscover:
      return d.connectionProvider && d.connectionProvider->on_discover != nullptr;
    case PluginHook::SyncListTree:
    case PluginHook::SyncRead:
    case PluginHook::SyncWrite: return d.syncSource.has_value();
    case PluginHook::ActionsList:
    case PluginHook::ActionsRun: return d.actions.has_value();
    case PluginHook::ActionsListFor: return d.actions && d.actions->on_list_for != nullptr;
    case PluginHook::SyncValidate: return d.syncSource && d.syncSource->on_validate != nullptr;
    case PluginHook::SyncListRepositories: return d.syncSource && d.syncSource->on_list_repositories != nullptr;
    case PluginHook::SyncListBranches: return d.syncSource && d.syncSource->on_list_branches != nullptr;
    case PluginHook::SyncListCommits: return d.syncSource && d.syncSource->on_list_commits != nullptr;
  }
  return false;
}

HookOutcome LoadedPlugin::invoke(PluginHook hook, const std::string& input, const PluginCall& call,
                                 const std::string& actionId) const {
  HookOutcome outcome;
  if (!provides(hook)) {
    outcome.provided = false;
    return outcome;
  }
  const ValidatedDescriptor& d = opened_.descriptor;
  sb_call callState;
  callState.deadlineMs = call.deadlineMs;
  callState.clock = services_->settings().clock;
  callState.progress = call.progress;
  callState.step = call.step;
  callState.cancelled = call.cancelled;
  callState.pluginId = info_.id;
  callState.accessToken = call.accessToken;
  callState.egress = call.egress;
  sb_output out(kMaxPluginOutputBytes);
  const sb_str request = view(input);
  try {
    switch (hook) {
      case PluginHook::Status:
        outcome.status = d.statusAdapter->on_status(instance_, &callState, request, &out);
        break;
      case PluginHook::ConnectionDescribe:
        outcome.status = d.connectionProvider->on_describe(instance_, &out);
        break;
      case PluginHook::ConnectionTokenResponse:
        outcome.status = d.connectionProvider->on_token_response(instance_, &callState, request, &out);
        break;
      case PluginHook::ConnectionDiscover:
        outcome.status = d.connectionProvider->on_discover(instance_, &callState, request, &out);
        break;
      case PluginHook::SyncListTree:
        outcome.status = d.syncSource->on_list_tree(instance_, &callState, request, &out);
        break;
      case PluginHook::SyncRead:
        outcome.status = d.syncSource->on_read(instance_, &callState, request, &out);
        break;
      case PluginHook::SyncWrite:
        outcome.status = d.syncSource->on_write(instance_, &callState, request, &out);
        break;
      case PluginHook::ActionsList:
        outcome.status = d.actions->on_list(instance_, &out);
        break;
      case PluginHook::ActionsRun:
        outcome.status = d.actions->on_run(instance_, &callState, view(actionId), request, &out);
        break;
      case PluginHook::ActionsListFor:
        outcome.status = d.actions->on_list_for(instance_, &callState, request, &out);
        break;
      case PluginHook::SyncValidate:
        outcome.status = d.syncSource->on_validate(instance_, &callState, request, &out);
        break;
      case PluginHook::SyncListRepositories:
        outcome.status = d.syncSource->on_list_repositories(instance_, &callState, request, &out);
        break;
      case PluginHook::SyncListBranches:
        outcome.status = d.syncSource->on_list_branches(instance_, &callState, request, &out);
        break;
      case PluginHook::SyncListCommits:
        outcome.status = d.syncSource->on_list_commits(instance_, &callState, request, &out);
        break;
    }
  } catch (...) {
    outcome.threw = true;
    outcome.exceptionText = currentExceptionText();
  }
  outcome.output = std::move(out.bytes);
  outcome.outputOverflowed = out.overflowed;
  outcome.egressRefusal = callState.egressRefusal();
  return outcome;
}

// Failures the host detects whatever the plugin said: no such hook, a throw,
// oversized output, and (on a non-OK status) an egress refusal.
std::optional<Status> LoadedPlugin::hostFailure(PluginHook hook, const HookOutcome& outcome) const {
  const std::string prefix = "plugin " + info_.id + " ";
  const char* name = hookName(hook);
  if (!outcome.provided) return Status(ErrorCode::NotFound, prefix + "does not provide " + name);
  if (outcome.threw) {
    return Status(ErrorCode::Internal, prefix + "threw an exception from " + name + ": " + outcome.exceptionText);
  }
  if (outcome.outputOverflowed) {
    return Status(ErrorCode::Unavailable, prefix + "wrote more than " + std::to_string(kMaxPluginOutputBytes) +
                                              " bytes from " + name);
  }
  if (outcome.status != SB_OK && !outcome.egressRefusal.empty()) {
    return Status(ErrorCode::PermissionDenied, prefix + name + " failed: " + outcome.egressRefusal,
                  kEgressRefusalField);
  }
  return std::nullopt;
}

Result<std::string> LoadedPlugin::interpret(PluginHook hook, const HookOutcome& outcome) const {
  if (auto failure = hostFailure(hook, outcome)) return *failure;
  const std::string prefix = "plugin " + info_.id + " ";
  const char* name = hookName(hook);
  if (outcome.status != SB_OK) {
    return Result<std::string>(toErrorCode(outcome.status),
                               prefix + name + " failed with " + sbStatusName(outcome.status) +
                                   ": " + (outcome.output.empty() ? "(no reason given)" : outcome.output));
  }
  if (hookReturnsJson(hook)) {
    const std::string problem = jsonProblem(outcome.output);
    if (!problem.empty()) {
      return Result<std::string>(ErrorCode::Unavailable,
                                 prefix + "returned malformed JSON from " + name + ": " + problem);
    }
  }
  return outcome.output;
}

Result<std::vector<PluginAction>> LoadedPlugin::actionListOf(PluginHook hook, const HookOutcome& outcome) const {
  Result<std::string> output = interpret(hook, outcome);
  if (!output) return output.status();
  // `kind` arrived with ABI 1.2; an older plugin's list may lack it.
  Result<std::vector<PluginAction>> actions = parseActionList(*output, opened_.descriptor.plugin.abi_minor >= 2);
  if (!actions) {
    return Status(ErrorCode::Unavailable, "plugin " + info_.id + " returned a malformed action list from " +
                                              hookName(hook) + ": " + actions.status().message());
  }
  return actions;
}

Result<std::string> LoadedPlugin::run(PluginHook hook, const std::string& input,
                                      const PluginCall& call, const std::string& actionId) const {
  return interpret(hook, invoke(hook, input, call, actionId));
}

Result<std::string> LoadedPlugin::callStatus(const std::string& requestJson, const PluginCall& call) const {
  return run(PluginHook::Status, requestJson, call);
}
Result<std::string> LoadedPlugin::connectionDescribe() const {
  return run(PluginHook::ConnectionDescribe, {}, {});
}
const std::string& LoadedPlugin::baseUrl() const { return services_->settings().baseUrl; }

Result<std::string> LoadedPlugin::connectionTokenResponse(const std::string& requestJson,
                                                          const PluginCall& call) const {
  return run(PluginHook::ConnectionTokenResponse, requestJson, call);
}
Result<std::string> LoadedPlugin::connectionDiscover(const std::string& requestJson,
                                                     const PluginCall& call) const {
  return run(PluginHook::ConnectionDiscover, requestJson, call);
}
Result<std::string> LoadedPlugin::syncListTree(const std::string& requestJson, const PluginCall& call) const {
  return run(PluginHook::SyncListTree, requestJson, call);
}
Result<std::string> LoadedPlugin::syncRead(const std::string& requestJson, const PluginCall& call) const {
  return run(PluginHook::SyncRead, requestJson, call);
}
Result<std::string> LoadedPlugin::syncWrite(const std::string& requestJson, const PluginCall& call) const {
  return run(PluginHook::SyncWrite, requestJson, call);
}
Result<std::vector<PluginAction>> LoadedPlugin::actionsList() const {
  return actionListOf(PluginHook::ActionsList, invoke(PluginHook::ActionsList, {}));
}

Result<std::vector<PluginAction>> LoadedPlugin::actionsListFor(const std::string& contextJson,
                                                               const PluginCall& call) const {
  if (!provides(PluginHook::ActionsListFor)) return actionsList();
  return actionListOf(PluginHook::ActionsListFor, invoke(PluginHook::ActionsListFor, contextJson, call));
}

Result<ActionRunOutcome> LoadedPlugin::syncSetup(PluginHook hook, const std::string& requestJson,
                                                 const PluginCall& call) const {
  const HookOutcome outcome = invoke(hook, requestJson, call);
  if (auto failure = hostFailure(hook, outcome)) return *failure;
  if (outcome.status != SB_OK) return parseActionFailure(outcome.status, outcome.output);
  Result<std::string> checked = interpret(hook, outcome);  // one JSON document
  if (!checked) return checked.status();
  ActionRunOutcome result;
  result.resultJson = std::move(*checked);
  return result;
}

Result<ActionRunOutcome> LoadedPlugin::actionsRun(const std::string& actionId, const std::string& requestJson,
                                                  const PluginCall& call) const {
  const HookOutcome outcome = invoke(PluginHook::ActionsRun, requestJson, call, actionId);
  if (auto failure = hostFailure(PluginHook::ActionsRun, outcome)) return *failure;
  if (outcome.status != SB_OK) return parseActionFailure(outcome.status, outcome.output);
  Status shape = checkActionResult(outcome.output);
  if (!shape) {
    return Status(ErrorCode::Unavailable,
                  "plugin " + info_.id + " returned a malformed result from on_run: " + shape.message());
  }
  ActionRunOutcome result;
  result.resultJson = outcome.output;
  return result;
}

}  // namespace sb
