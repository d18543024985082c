#include "plugins/registry.hpp"

#include <map>
#include <mutex>
#include <shared_mutex>

#include <Poco/Logger.h>
#include <Poco/Path.h>

#include "plugins/loaded_plugin.hpp"
#include "plugins/plugin_loader.hpp"

namespace sb {
namespace {

std::string resolvePath(const PluginEntry& entry, const std::string& directory) {
  if (!entry.path.empty()) return entry.path;
  Poco::Path path(directory.empty() ? std::string(".") : directory);
  path.makeDirectory();
  path.setFileName(entry.name + ".so");
  return path.toString();
}

PluginInfo failedInfo(const PluginEntry& entry, const std::string& path,
                      const std::string& abiVersion, const std::string& error) {
  PluginInfo info;
  info.id = entry.name;
  info.name = entry.name;
  info.path = path;
  info.abiVersion = abiVersion;
  info.state = PluginState::Failed;
  info.error = error;
  return info;
}

}  // namespace

struct PluginRegistry::Impl {
  mutable std::shared_mutex mutex;
  std::vector<PluginInfo> infos;  // config order
  std::map<std::string, std::shared_ptr<LoadedPlugin>> loaded;
  std::vector<std::shared_ptr<LoadedPlugin>> loadOrder;  // destroyed in reverse

  // Checks declared ids against what is already loaded; empty when unique.
  std::string collision(const ValidatedDescriptor& descriptor) const {
    if (auto it = loaded.find(descriptor.id); it != loaded.end()) {
      return "duplicate plugin id \"" + descriptor.id + "\": already loaded from " +
             it->second->info().path;
    }
    for (const IntegrationSchema& schema : descriptor.schemas) {
      for (const auto& plugin : loadOrder) {
        for (const IntegrationSchema& other : plugin->info().schemas) {
          if (other.id == schema.id) {
            return "schema id \"" + schema.id + "\" is already declared by plugin \"" +
                   plugin->id() + "\"";
          }
        }
      }
    }
    return {};
  }

  PluginInfo loadOne(const PluginEntry& entry, const std::string& directory) {
    const std::string path = resolvePath(entry, directory);
    std::string abiVersion;
    Result<OpenedPlugin> opened = openPlugin(path, &abiVersion);
    if (!opened) return failedInfo(entry, path, abiVersion, opened.status().message());
    const std::string conflict = collision(opened->descriptor);
    if (!conflict.empty()) {
      PluginInfo info = failedInfo(entry, path, abiVersion, conflict);
      info.id = opened->descriptor.id;
      return info;
    }
    const std::string declaredId = opened->descriptor.id;
    HostServiceSettings services;
    services.baseUrl = entry.baseUrl;
    services.timeoutMs = entry.timeoutMs;
    services.maxResponseBytes = entry.maxResponseBytes;
    services.egress = EgressPolicy(entry.egress);
    auto plugin = LoadedPlugin::initialise(std::move(opened).value(), std::move(services),
                                           entry.settingsJson);
    if (!plugin) {
      PluginInfo info = failedInfo(entry, path, abiVersion, plugin.status().message());
      info.id = declaredId;
      return info;
    }
    loaded.emplace(declaredId, *plugin);
    loadOrder.push_back(*plugin);
    return (*plugin)->info();
  }
};

PluginRegistry::PluginRegistry() : impl_(std::make_unique<Impl>()) {}

PluginRegistry::~PluginRegistry() {
  std::unique_lock lock(impl_->mutex);
  impl_->loaded.clear();
  // Later plugins go first, mirroring load order like constructors/destructors.
  while (!impl_->loadOrder.empty()) impl_->loadOrder.pop_back();
}

void PluginRegistry::loadAll(const PluginsConfig& config, const std::string& defaultDirectory) {
  const std::string directory = config.directory.empty() ? defaultDirectory : config.directory;
  std::unique_lock lock(impl_->mutex);
  Poco::Logger& logger = Poco::Logger::get("plugins");
  for (const PluginEntry& entry : config.enabled) {
    PluginInfo info = impl_->loadOne(entry, directory);
    try {
      if (info.state == PluginState::Loaded) {
        logger.information("loaded plugin " + info.id + " " + info.version + " from " + info.path);
      } else {
        const std::string where = entry.sourceLocation.empty() ? "" : " (" + entry.sourceLocation + ")";
        logger.error("plugin " + entry.name + where + " failed to load: " + info.error);
      }
    } catch (...) {
      // Logging is best effort; the failure is recorded in `infos` regardless.
    }
    impl_->infos.push_back(std::move(info));
  }
}

std::vector<PluginInfo> PluginRegistry::plugins() const {
  std::shared_lock lock(impl_->mutex);
  return impl_->infos;
}

bool PluginRegistry::allLoaded() const {
  std::shared_lock lock(impl_->mutex);
  for (const PluginInfo& info : impl_->infos) {
    if (info.state != PluginState::Loaded) return false;
  }
  return true;
}

std::shared_ptr<LoadedPlugin> PluginRegistry::find(const std::string& id) const {
  std::shared_lock lock(impl_->mutex);
  auto it = impl_->loaded.find(id);
  return it == impl_->loaded.end() ? nullptr : it->second;
}

}  // namespace sb
