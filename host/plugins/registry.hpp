// Loads provider plugins (.so) through Boost.DLL, validates them against the
// ABI (sdk/include/switchboard/abi.h) before any other call, and keeps the
// loaded instances. A plugin that fails any check is recorded as failed with
// the reason; loading never throws and never stops the server.
// Thread-safety: loadAll() once at start-up; afterwards every const method
// may be called from any thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "core/model.hpp"

namespace sb {

class LoadedPlugin;  // a validated, initialised plugin instance (plugins/loaded_plugin.hpp)

class PluginRegistry {
 public:
  PluginRegistry();
  ~PluginRegistry();  // calls on_destroy on every instance, then unloads
  PluginRegistry(const PluginRegistry&) = delete;
  PluginRegistry& operator=(const PluginRegistry&) = delete;

  // Loads every entry of config.enabled, in order. A name resolves to
  // <directory>/<name>.so; `defaultDirectory` is used when config.directory is
  // empty. Duplicate declared ids: the later plugin is refused.
  void loadAll(const PluginsConfig& config, const std::string& defaultDirectory);

  std::vector<PluginInfo> plugins() const;  // config order, loaded and failed
  bool allLoaded() const;                   // true when no plugin failed
  std::shared_ptr<LoadedPlugin> find(const std::string& id) const;  // loaded only

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sb
