// Which integrations the status reply lists: derived once at start-up from
// what the plugin registry loaded and what the catalog remembers, so the key
// set is stable for a deployment and changes only when its plugins change.
// Thread-safety: a pure function on plain values.
#pragma once

#include <vector>

#include "core/model.hpp"
#include "status/status_service.hpp"

namespace sb::status {

// One provider per schema of every loaded plugin with a status adapter, and
// for every configured plugin that failed to load: the schemas the catalog
// remembers it declaring (`remembered`, available or not), else one item under
// its configured name. Schema-only plugins have none. Ordered as the catalog
// lists schemas (display order, then id); a failed plugin the catalog never
// saw sorts last, by name.
std::vector<StatusProvider> statusProvidersOf(const std::vector<PluginInfo>& plugins,
                                              const std::vector<IntegrationSchema>& remembered);

}  // namespace sb::status
