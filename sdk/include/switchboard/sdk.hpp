// switchboard/sdk.hpp -- the C++ layer plugin authors write against. Derive from
// switchboard::Plugin, override the hooks of the capabilities you provide, and
// export the class with SWITCHBOARD_PLUGIN(YourClass). The SDK builds the static
// sb_plugin descriptor, advertises exactly the capability tables whose hooks the
// class overrides, and wraps every entry point in a noexcept exception barrier.
// Ownership: the descriptor and schema tables are static (life of the library);
// one instance of your class per on_init, deleted by on_destroy.
// Thread-safety: the host may call the hooks of one instance from several
// threads at once (never concurrently with init or destruction), so hooks must
// be safe to run in parallel.
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "switchboard/abi.h"
#include "switchboard/host.hpp"
#include "switchboard/json.hpp"
#include "switchboard/schema.hpp"

namespace switchboard {

// What a hook returns: a status and the bytes to write to the host's output
// (the JSON result on success, a human-readable reason otherwise).
struct Outcome {
  sb_status status = SB_OK;
  std::string output;

  static Outcome ok(std::string output = {}) { return Outcome{SB_OK, std::move(output)}; }
  static Outcome failure(sb_status status, std::string reason) { return Outcome{status, std::move(reason)}; }
  // SB_ERR_RATE_LIMITED with the provider's wait, in the structured form
  // on_run failures may take: {"reason","retryAfter"} (seconds, >= 0).
  static Outcome rateLimited(std::string_view reason, std::int64_t retryAfterSeconds) {
    std::string json = "{\"reason\":" + json::quote(reason);
    if (retryAfterSeconds >= 0) json += ",\"retryAfter\":" + std::to_string(retryAfterSeconds);
    return Outcome{SB_ERR_RATE_LIMITED, json + "}"};
  }
  static Outcome notSupported(std::string_view what) {
    return Outcome{SB_ERR_NOT_SUPPORTED, std::string(what) + " is not supported by this plugin"};
  }
  bool isOk() const { return status == SB_OK; }
};

// The plugin's identity, declared as `static constexpr switchboard::Identity identity{...}`.
struct Identity {
  std::string_view id;       // [a-z][a-z0-9_-]*
  std::string_view name;     // display name
  std::string_view version;  // the plugin's own version, e.g. "0.1.0"
  std::string_view description;
};

template <class T>
struct Exports;

// Base class of every plugin instance. Each capability is a group of hooks;
// override all required hooks of a group to provide it (checked at compile
// time). Overrides must be public: the SDK detects them by name.
class Plugin {
 public:
  Plugin() = default;
  Plugin(const Plugin&) = delete;
  Plugin& operator=(const Plugin&) = delete;
  virtual ~Plugin() = default;

  // Called once after construction with the settings object (already checked
  // to be a JSON object). A non-OK outcome refuses the plugin with its reason.
  virtual Outcome init(std::string_view settingsJson) {
    static_cast<void>(settingsJson);
    return Outcome::ok();
  }

  // Status adapter.
  virtual Outcome status(Call& call, std::string_view requestJson);
  // Connection provider: describeConnection and tokenResponse; discover is optional.
  virtual Outcome describeConnection();
  virtual Outcome tokenResponse(Call& call, std::string_view requestJson);
  virtual Outcome discover(Call& call, std::string_view requestJson);
  // Sync source: all three.
  virtual Outcome listTree(Call& call, std::string_view requestJson);
  virtual Outcome read(Call& call, std::string_view requestJson);
  virtual Outcome write(Call& call, std::string_view requestJson);
  // Sync set-up (ABI 1.4), each optional and part of the sync source; the
  // host answers a route whose hook is not overridden with "not supported".
  // Request: the listTree context plus "params":{"limit"?}; shapes and
  // failure statuses: abi.h, sb_sync_source.on_validate and after.
  virtual Outcome validateSource(Call& call, std::string_view requestJson);
  virtual Outcome listRepositories(Call& call, std::string_view requestJson);
  virtual Outcome listBranches(Call& call, std::string_view requestJson);
  virtual Outcome listCommits(Call& call, std::string_view requestJson);
  // Actions: listActions and runAction; listActionsFor is optional (ABI 1.2):
  // the list for one link, contextJson {"projectId","key","settings":{},
  // "secretNames":[...]}. Without an override the host calls listActions.
  virtual Outcome listActions();
  virtual Outcome runAction(Call& call, std::string_view actionId, std::string_view requestJson);
  virtual Outcome listActionsFor(Call& call, std::string_view contextJson);

 protected:
  // The host services; valid from init() until the destructor has run.
  const Host& host() const { return host_; }

 private:
  template <class T>
  friend struct Exports;
  Host host_;
};

inline Outcome Plugin::status(Call&, std::string_view) { return Outcome::notSupported("status"); }
inline Outcome Plugin::describeConnection() { return Outcome::notSupported("connection"); }
inline Outcome Plugin::tokenResponse(Call&, std::string_view) { return Outcome::notSupported("connection"); }
inline Outcome Plugin::discover(Call&, std::string_view) { return Outcome::notSupported("discovery"); }
inline Outcome Plugin::listTree(Call&, std::string_view) { return Outcome::notSupported("sync"); }
inline Outcome Plugin::read(Call&, std::string_view) { return Outcome::notSupported("sync"); }
inline Outcome Plugin::write(Call&, std::string_view) { return Outcome::notSupported("sync"); }
inline Outcome Plugin::validateSource(Call&, std::string_view) { return Outcome::notSupported("validating the link"); }
inline Outcome Plugin::listRepositories(Call&, std::string_view) { return Outcome::notSupported("listing repositories"); }
inline Outcome Plugin::listBranches(Call&, std::string_view) { return Outcome::notSupported("listing branches"); }
inline Outcome Plugin::listCommits(Call&, std::string_view) { return Outcome::notSupported("listing commits"); }
inline Outcome Plugin::listActions() { return Outcome::notSupported("actions"); }
inline Outcome Plugin::runAction(Call&, std::string_view, std::string_view) {
  return Outcome::notSupported("actions");
}
inline Outcome Plugin::listActionsFor(Call&, std::string_view) { return listActions(); }

namespace detail {

// A hook is overridden when `&T::hook` names a member of a class other than
// Plugin: its pointer-to-member type then differs from Plugin's.
#define SWITCHBOARD_DETAIL_OVERRIDES(hook) \
  template <class T>                       \
  inline constexpr bool overrides_##hook = !std::is_same_v<decltype(&T::hook), decltype(&Plugin::hook)>;
SWITCHBOARD_DETAIL_OVERRIDES(status)
SWITCHBOARD_DETAIL_OVERRIDES(describeConnection)
SWITCHBOARD_DETAIL_OVERRIDES(tokenResponse)
SWITCHBOARD_DETAIL_OVERRIDES(discover)
SWITCHBOARD_DETAIL_OVERRIDES(listTree)
SWITCHBOARD_DETAIL_OVERRIDES(read)
SWITCHBOARD_DETAIL_OVERRIDES(write)
SWITCHBOARD_DETAIL_OVERRIDES(validateSource)
SWITCHBOARD_DETAIL_OVERRIDES(listRepositories)
SWITCHBOARD_DETAIL_OVERRIDES(listBranches)
SWITCHBOARD_DETAIL_OVERRIDES(listCommits)
SWITCHBOARD_DETAIL_OVERRIDES(listActions)
SWITCHBOARD_DETAIL_OVERRIDES(runAction)
SWITCHBOARD_DETAIL_OVERRIDES(listActionsFor)
#undef SWITCHBOARD_DETAIL_OVERRIDES

template <class T>
std::vector<Schema> schemasOf() {
  if constexpr (requires { { T::schemas() } -> std::convertible_to<std::vector<Schema>>; }) {
    return T::schemas();
  } else {
    return {};
  }
}

// Writes an exception's text without allocating: we may be out of memory.
inline void writeRaw(const sb_host_api* api, sb_output* out, const char* text) {
  if (api != nullptr && out != nullptr && api->host_output_write != nullptr && text != nullptr) {
    api->host_output_write(out, text, std::char_traits<char>::length(text));
  }
}

// The exception barrier: nothing thrown by plugin code crosses into the host.
// `writeOnSuccess` is false for on_init, whose buffer is only for errors.
template <class Fn>
sb_status barrier(const sb_host_api* api, sb_output* out, bool writeOnSuccess, Fn&& body) noexcept {
  try {
    Outcome outcome = body();
    if (!outcome.isOk() || writeOnSuccess) Host(api).write(out, outcome.output);
    return outcome.status;
  } catch (const std::exception& e) {
    writeRaw(api, out, "plugin threw an exception: ");
    writeRaw(api, out, e.what());
  } catch (...) {
    writeRaw(api, out, "plugin threw a non-standard exception");
  }
  return SB_ERR_INTERNAL;
}

}  // namespace detail

// The C entry points for plugin class T. Instances cross the ABI as Plugin*.
template <class T>
struct Exports {
  static_assert(std::is_base_of_v<Plugin, T>, "a plugin class must derive from switchboard::Plugin");
  static_assert(std::is_default_constructible_v<T>, "a plugin class must be default-constructible");
  static_assert(std::is_same_v<std::remove_cv_t<decltype(T::identity)>, Identity>,
                "declare `static constexpr switchboard::Identity identity{id, name, version, description};`");
  static_assert(detail::overrides_describeConnection<T> == detail::overrides_tokenResponse<T>,
                "a connection provider overrides both describeConnection() and tokenResponse()");
  static_assert(!detail::overrides_discover<T> || detail::overrides_describeConnection<T>,
                "discover() is part of the connection provider: override describeConnection() too");
  static_assert(detail::overrides_listTree<T> == detail::overrides_read<T> &&
                    detail::overrides_read<T> == detail::overrides_write<T>,
                "a sync source overrides listTree(), read() and write()");
  static_assert(detail::overrides_listTree<T> ||
                    !(detail::overrides_validateSource<T> || detail::overrides_listRepositories<T> ||
                      detail::overrides_listBranches<T> || detail::overrides_listCommits<T>),
                "the sync set-up hooks are part of the sync source: override listTree(), read() and write() too");
  static_assert(detail::overrides_listActions<T> == detail::overrides_runAction<T>,
                "actions override both listActions() and runAction()");
  static_assert(!detail::overrides_listActionsFor<T> || detail::overrides_listActions<T>,
                "listActionsFor() is part of actions: override listActions() and runAction() too");

  static constexpr bool kStatus = detail::overrides_status<T>;
  static constexpr bool kConnection = detail::overrides_describeConnection<T>;
  static constexpr bool kDiscovery = detail::overrides_discover<T>;
  static constexpr bool kSync = detail::overrides_listTree<T>;
  static constexpr bool kValidateSource = detail::overrides_validateSource<T>;
  static constexpr bool kListRepositories = detail::overrides_listRepositories<T>;
  static constexpr bool kListBranches = detail::overrides_listBranches<T>;
  static constexpr bool kListCommits = detail::overrides_listCommits<T>;
  static constexpr bool kActions = detail::overrides_listActions<T>;
  static constexpr bool kActionsFor = detail::overrides_listActionsFor<T>;

  static sb_status onInit(const sb_host_api* api, sb_str settingsJson, void** outInstance,
                          sb_output* error) noexcept {
    if (outInstance == nullptr || api == nullptr) {
      detail::writeRaw(api, error, "on_init needs a host API and an instance slot");
      return SB_ERR_INVALID_ARGUMENT;
    }
    *outInstance = nullptr;
    return detail::barrier(api, error, false, [&] {
      // {NULL, 0} is the ABI's absent string: no settings.
      const std::string_view settings = settingsJson.data == nullptr ? std::string_view("{}") : toView(settingsJson);
      if (auto problem = json::validateObject(settings)) {
        return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "settings: " + problem->describe());
      }
      auto instance = std::make_unique<T>();
      static_cast<Plugin&>(*instance).host_ = Host(api);
      Outcome outcome = instance->init(settings);
      if (outcome.isOk()) *outInstance = static_cast<Plugin*>(instance.release());
      return outcome;
    });
  }

  static void onDestroy(void* instance) noexcept {
    try {
      delete static_cast<T*>(static_cast<Plugin*>(instance));
    } catch (...) {
      // A throwing destructor must not take the host down; nothing to report to.
    }
  }

  // Runs `body(plugin, call)` behind the barrier after checking the arguments.
  template <class Fn>
  static sb_status hook(void* instance, sb_call* rawCall, sb_output* out, Fn&& body) noexcept {
    if (instance == nullptr) return SB_ERR_INVALID_ARGUMENT;
    T& plugin = *static_cast<T*>(static_cast<Plugin*>(instance));
    const sb_host_api* api = static_cast<Plugin&>(plugin).host_.api();
    if (out == nullptr) return SB_ERR_INVALID_ARGUMENT;
    return detail::barrier(api, out, true, [&] {
      Call call(api, rawCall);
      return body(plugin, call);
    });
  }

  static sb_status onStatus(void* p, sb_call* c, sb_str request, sb_output* out) noexcept {
    return hook(p, c, out, [&](T& plugin, Call& call) { return plugin.status(call, toView(request)); });
  }
  static sb_status onDescribe(void* p, sb_output* out) noexcept {
    return hook(p, nullptr, out, [&](T& plugin, Call&) { return plugin.describeConnection(); });
  }
  static sb_status onTokenResponse(void* p, sb_call* c, sb_str request, sb_output* out) noexcept {
    return hook(p, c, out, [&](T& plugin, Call& call) { return plugin.tokenResponse(call, toView(request)); });
  }
  static sb_status onDiscover(void* p, sb_call* c, sb_str request, sb_output* out) noexcept {
    return hook(p, c, out, [&](T& plugin, Call& call) { return plugin.discover(call, toView(request)); });
  }
  static sb_status onListTree(void* p, sb_call* c, sb_str request, sb_output* out) noexcept {
    return hook(p, c, out, [&](T& plugin, Call& call) { return plugin.listTree(call, toView(request)); });
  }
  static sb_status onRead(void* p, sb_call* c, sb_str request, sb_output* out) noexcept {
    return hook(p, c, out, [&](T& plugin, Call& call) { return plugin.read(call, toView(request)); });
  }
  static sb_status onWrite(void* p, sb_call* c, sb_str request, sb_output* out) noexcept {
    return hook(p, c, out, [&](T& plugin, Call& call) { return plugin.write(call, toView(request)); });
  }
  static sb_status onValidateSource(void* p, sb_call* c, sb_str request, sb_output* out) noexcept {
    return hook(p, c, out, [&](T& plugin, Call& call) { return plugin.validateSource(call, toView(request)); });
  }
  static sb_status onListRepositories(void* p, sb_call* c, sb_str request, sb_output* out) noexcept {
    return hook(p, c, out, [&](T& plugin, Call& call) { return plugin.listRepositories(call, toView(request)); });
  }
  static sb_status onListBranches(void* p, sb_call* c, sb_str request, sb_output* out) noexcept {
    return hook(p, c, out, [&](T& plugin, Call& call) { return plugin.listBranches(call, toView(request)); });
  }
  static sb_status onListCommits(void* p, sb_call* c, sb_str request, sb_output* out) noexcept {
    return hook(p, c, out, [&](T& plugin, Call& call) { return plugin.listCommits(call, toView(request)); });
  }
  static sb_status onListActions(void* p, sb_output* out) noexcept {
    return hook(p, nullptr, out, [&](T& plugin, Call&) { return plugin.listActions(); });
  }
  static sb_status onRunAction(void* p, sb_call* c, sb_str actionId, sb_str request, sb_output* out) noexcept {
    return hook(p, c, out,
                [&](T& plugin, Call& call) { return plugin.runAction(call, toView(actionId), toView(request)); });
  }

  static sb_status onListActionsFor(void* p, sb_call* c, sb_str context, sb_output* out) noexcept {
    return hook(p, c, out, [&](T& plugin, Call& call) { return plugin.listActionsFor(call, toView(context)); });
  }

  // Builds the static descriptor once; NULL if building the schemas threw.
  static const sb_plugin* descriptor() noexcept {
    try {
      static const SchemaTable schemas{detail::schemasOf<T>()};
      static const sb_status_adapter statusTable{sizeof(sb_status_adapter), 0, &onStatus};
      static const sb_connection_provider connectionTable{sizeof(sb_connection_provider), 0, &onDescribe,
                                                          &onTokenResponse, kDiscovery ? &onDiscover : nullptr};
      static const sb_sync_source syncTable{sizeof(sb_sync_source),
                                            0,
                                            &onListTree,
                                            &onRead,
                                            &onWrite,
                                            kValidateSource ? &onValidateSource : nullptr,
                                            kListRepositories ? &onListRepositories : nullptr,
                                            kListBranches ? &onListBranches : nullptr,
                                            kListCommits ? &onListCommits : nullptr};
      static const sb_actions actionsTable{sizeof(sb_actions), 0, &onListActions, &onRunAction,
                                           kActionsFor ? &onListActionsFor : nullptr};
      static const sb_plugin plugin{
          SB_ABI_VERSION_MAJOR,
          SB_ABI_VERSION_MINOR,
          sizeof(sb_plugin),
          0,
          toSb(T::identity.id),
          toSb(T::identity.name),
          toSb(T::identity.version),
          toSb(T::identity.description),
          schemas.data(),
          schemas.size(),
          &onInit,
          &onDestroy,
          kStatus ? &statusTable : nullptr,
          kConnection ? &connectionTable : nullptr,
          kSync ? &syncTable : nullptr,
          kActions ? &actionsTable : nullptr,
      };
      return &plugin;
    } catch (...) {
      return nullptr;
    }
  }
};

// The descriptor of plugin class T, without exporting anything (tests use this
// to exercise several plugin classes in one program).
template <class T>
const sb_plugin* descriptorFor() noexcept {
  return Exports<T>::descriptor();
}

}  // namespace switchboard

// Exports plugin class `PluginClass` as this library's one entry symbol. Use it
// exactly once per shared library, at namespace scope.
#define SWITCHBOARD_PLUGIN(PluginClass)                                              \
  extern "C" SB_EXPORT const sb_plugin* switchboard_plugin_entry(void) noexcept;     \
  extern "C" SB_EXPORT const sb_plugin* switchboard_plugin_entry(void) noexcept {    \
    return ::switchboard::descriptorFor<PluginClass>();                              \
  }
