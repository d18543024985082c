// parseConfig: YAML text -> validated Config. This is the module edge where
// yaml-cpp and Poco exceptions become Status values.
#include <exception>

#include <yaml-cpp/yaml.h>

#include "config/config.hpp"
#include "config/config_source.hpp"
#include "config/mapping_reader.hpp"
#include "config/path_resolution.hpp"
#include "config/sections.hpp"

namespace sb {
namespace {

Status readDocument(const YAML::Node& root, const config::ConfigSource& source, Config& out) {
  if (!root.IsDefined() || root.IsNull()) return Status::ok();  // empty file: all defaults
  if (!root.IsMap()) {
    return config::configError(source.displayName, root.Mark(), "",
                               "the top level must be a mapping of sections "
                               "(server, database, plugins, secrets, status, events, actions, sync, connections, logging), got " +
                                   config::describeNode(root));
  }
  Status status;
  config::MappingReader top(root, root.Mark(), "", source, status);
  top.expectKeys({"server", "database", "plugins", "secrets", "status", "events", "actions", "sync", "connections",
                  "logging"});
  if (!status) return status;
  config::MappingReader server = top.child("server");
  config::readServerSection(server, out.server);
  config::MappingReader database = top.child("database");
  config::readDatabaseSection(database, out.database);
  config::MappingReader plugins = top.child("plugins");
  config::readPluginsSection(plugins, out.plugins);
  config::MappingReader secrets = top.child("secrets");
  config::readSecretsSection(secrets, out.secrets);
  config::MappingReader statusSection = top.child("status");
  config::readStatusSection(statusSection, out.status);
  config::MappingReader events = top.child("events");
  config::readEventsSection(events, out.events);
  config::MappingReader actions = top.child("actions");
  config::readActionsSection(actions, out.actions);
  config::MappingReader sync = top.child("sync");
  config::readSyncSection(sync, out.sync);
  config::readConnectionsSection(top, out.connections);
  config::MappingReader logging = top.child("logging");
  config::readLoggingSection(logging, out.logging);
  return status;
}

Result<Config> parseChecked(const std::string& yamlText, const config::ConfigSource& source,
                            const std::string& fileName) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(yamlText);
  } catch (const YAML::Exception& error) {
    return config::configError(source.displayName, error.mark, "", error.msg);
  }
  if (documents.size() > 1) {
    return config::configError(source.displayName, documents[1].Mark(), "",
                               "only one YAML document is allowed (remove the extra '---')");
  }
  Config config;
  config.sourcePath = fileName;
  // Defaults are resolved too, so consumers never see a relative path.
  config.database.url = config::resolveDatabaseUrl(config.database.url, source.baseDirectory);
  Status status = readDocument(documents.empty() ? YAML::Node() : documents[0], source, config);
  if (!status) return status;
  return config;
}

}  // namespace

Result<Config> parseConfig(const std::string& yamlText, const std::string& fileName,
                           const EnvLookup& env) {
  const std::string displayName = fileName.empty() ? "<config>" : fileName;
  try {
    config::ConfigSource source{displayName, config::configDirectory(fileName), env};
    return parseChecked(yamlText, source, fileName);
  } catch (const YAML::Exception& error) {
    return config::configError(displayName, error.mark, "", error.msg);
  } catch (const std::exception& error) {
    return Result<Config>(ErrorCode::InvalidArgument,
                          displayName + ": cannot read configuration: " + error.what());
  } catch (...) {
    return Result<Config>(ErrorCode::InvalidArgument,
                          displayName + ": cannot read configuration: unknown error");
  }
}

}  // namespace sb
