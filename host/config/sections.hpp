// One parser per top-level section of the config file. Each reads its
// mapping into the struct (keeping the struct's defaults for absent keys)
// and records the first error in the reader's shared Status.
// Internal to sb_config. Thread-safety: one parse, one thread.
#pragma once

#include "config/config.hpp"
#include "config/mapping_reader.hpp"

namespace sb::config {

void readServerSection(MappingReader& section, ServerConfig& out);
void readDatabaseSection(MappingReader& section, DatabaseConfig& out);
void readPluginsSection(MappingReader& section, PluginsConfig& out);
void readEgressSection(MappingReader& egress, EgressConfig& out);  // plugins.enabled[].egress
void readSecretsSection(MappingReader& section, SecretsConfig& out);
void readLoggingSection(MappingReader& section, LoggingConfig& out);
void readStatusSection(MappingReader& section, StatusConfig& out);
void readEventsSection(MappingReader& section, EventsConfig& out);
void readActionsSection(MappingReader& section, ActionsConfig& out);
void readSyncSection(MappingReader& section, SyncConfig& out);
// `connections:` is a list, read from the top-level mapping.
void readConnectionsSection(MappingReader& top, std::vector<ConnectionConfig>& out);

// Also applied to defaults, so every path in a parsed Config is absolute.
std::string resolveDatabaseUrl(const std::string& url, const std::string& baseDirectory);
std::string resolveLogTarget(const std::string& target, const std::string& baseDirectory);

}  // namespace sb::config
