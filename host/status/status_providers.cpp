#include "status/status_providers.hpp"

#include <algorithm>
#include <limits>
#include <set>
#include <tuple>

namespace sb::status {

std::vector<StatusProvider> statusProvidersOf(const std::vector<PluginInfo>& plugins,
                                              const std::vector<IntegrationSchema>& remembered) {
  struct Ranked {
    int displayOrder;
    StatusProvider provider;
  };
  std::vector<Ranked> ranked;
  std::set<std::string> seen;
  auto add = [&](int order, const std::string& key, const std::string& name) {
    if (key.empty() || !seen.insert(key).second) return;
    ranked.push_back({order, {key, name.empty() ? key : name}});
  };
  for (const PluginInfo& plugin : plugins) {
    if (plugin.state == PluginState::Loaded) {
      const auto& caps = plugin.capabilities;
      if (std::find(caps.begin(), caps.end(), "status") == caps.end()) continue;
      for (const IntegrationSchema& schema : plugin.schemas) add(schema.displayOrder, schema.id, schema.name);
      continue;
    }
    // Failed: its declarations this time cannot be trusted (the catalog keeps
    // the last good ones), and whether it reports status is unknown.
    bool known = false;
    for (const IntegrationSchema& schema : remembered) {
      if (schema.pluginId != plugin.id) continue;
      add(schema.displayOrder, schema.id, schema.name);
      known = true;
    }
    if (known) continue;
    // Never loaded here before: what it declared before failing, if it got
    // that far, else its configured name.
    for (const IntegrationSchema& schema : plugin.schemas) add(schema.displayOrder, schema.id, schema.name);
    if (plugin.schemas.empty()) add(std::numeric_limits<int>::max(), plugin.id, plugin.id);
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    return std::tie(a.displayOrder, a.provider.key) < std::tie(b.displayOrder, b.provider.key);
  });
  std::vector<StatusProvider> out;
  out.reserve(ranked.size());
  for (auto& entry : ranked) out.push_back(std::move(entry.provider));
  return out;
}

}  // namespace sb::status
