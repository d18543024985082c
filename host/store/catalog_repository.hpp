// Plugins and the integration catalog: config-synced tables, upserted by id
// and never deleted, so anything keyed by a schema id survives a re-sync.
// Thread-safety: as its Scope (store/scope.hpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"
#include "store/scope.hpp"

namespace sb {

struct SchemaFilter {
  std::optional<std::string> category;
  std::optional<bool> featured;
  bool includeUnavailable = false;
};

class CatalogRepository {
 public:
  explicit CatalogRepository(store::Scope scope) : scope_(scope) {}

  // Upserts every plugin row by id and every declared schema by id (row ids and
  // anything attached to them survive). Schemas of plugins that are not loaded
  // now, and schemas a loaded plugin no longer declares, are marked
  // unavailable, never deleted. Atomic.
  Status syncCatalog(const std::vector<PluginInfo>& plugins);
  Result<std::vector<IntegrationSchema>> listSchemas(const SchemaFilter& filter);  // by display order, then id
  Result<std::optional<IntegrationSchema>> getSchema(const std::string& id);
  Result<std::vector<CategoryCount>> schemaCategories();  // available schemas only, by name

 private:
  store::Scope scope_;
};

}  // namespace sb
