#include <set>

#include "config/path_resolution.hpp"
#include "config/sections.hpp"
#include "config/settings_json.hpp"
#include "config/value_rules.hpp"

namespace sb::config {
namespace {

void readPluginMapping(MappingReader& item, PluginEntry& entry) {
  item.expectKeys({"name", "path", "base_url", "timeout_ms", "max_response_bytes", "egress", "settings"});
  if (!item.ok()) return;
  if (!item.has("name")) {
    item.failAt(item.where(), item.pathOf("name"), "missing required key");
    return;
  }
  item.readString("name", entry.name);
  if (item.ok() && !isValidName(entry.name)) item.fail("name", nameRule());
  item.readPath("path", entry.path);
  item.readString("base_url", entry.baseUrl);
  // Empty: the plugin's default. Plugins prefix their API paths with it.
  if (item.ok() && !entry.baseUrl.empty() && !isHttpUrl(entry.baseUrl)) {
    item.fail("base_url", "must be an http:// or https:// URL with a host");
  }
  item.readInt("timeout_ms", entry.timeoutMs, 1, 600000);
  item.readSize("max_response_bytes", entry.maxResponseBytes, 1, std::int64_t{1} << 30);
  MappingReader egress = item.child("egress");
  readEgressSection(egress, entry.egress);
  if (!item.ok()) return;
  if (std::optional<YAML::Node> settings = item.value("settings")) {
    Result<std::string> json = settingsToJson(*settings, item.pathOf("settings"), item.source());
    if (json) {
      entry.settingsJson = std::move(json).value();
    } else {
      item.record(json.status());
    }
  }
}

void readPluginItem(MappingReader& section, const YAML::Node& node, const std::string& path,
                    PluginEntry& entry) {
  const ConfigSource& source = section.source();
  entry.sourceLocation = describeLocation(source.displayName, node.Mark());
  if (node.IsMap()) {
    MappingReader item = section.nested(node, path);
    readPluginMapping(item, entry);
    return;
  }
  if (!node.IsScalar()) {
    section.failAt(node.Mark(), path,
                   "expected a plugin name or a mapping with 'name', got " + describeNode(node));
    return;
  }
  Result<std::string> name = readScalarText(node, node.Mark(), path, source);
  if (!name) {
    section.record(name.status());
    return;
  }
  if (!isValidName(name.value())) {
    section.failAt(node.Mark(), path, "plugin name " + nameRule());
    return;
  }
  entry.name = std::move(name).value();
}

}  // namespace

void readPluginsSection(MappingReader& section, PluginsConfig& out) {
  section.expectKeys({"directory", "enabled"});
  section.readPath("directory", out.directory);
  std::optional<YAML::Node> enabled = section.value("enabled");
  if (!section.ok() || !enabled || enabled->IsNull()) return;
  if (!enabled->IsSequence()) {
    section.fail("enabled", "expected a list of plugins, got " + describeNode(*enabled));
    return;
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < enabled->size() && section.ok(); ++i) {
    const YAML::Node node = (*enabled)[i];
    const std::string path = section.pathOf("enabled") + "[" + std::to_string(i) + "]";
    PluginEntry entry;
    readPluginItem(section, node, path, entry);
    if (!section.ok()) return;
    if (!names.insert(entry.name).second) {
      section.failAt(node.Mark(), path, "duplicate plugin name '" + entry.name + "'");
      return;
    }
    out.enabled.push_back(std::move(entry));
  }
}

}  // namespace sb::config
