#include "store/catalog_repository.hpp"

#include <set>

#include "store/catalog_json.hpp"
#include "store/record_ids.hpp"
#include "store/sql_query.hpp"
#include "store/sql_scope.hpp"

namespace sb {
namespace {

using store::Database;
using store::Row;
using store::SqlQuery;
using store::fieldsFromJson;
using store::fieldsToJson;
using store::stringsToJson;
using store::toFlag;
using store::toInt;

constexpr const char* kSchemaColumns =
    "SELECT id, plugin_id, name, category, description, docs_url, icon_url, display_order, "
    "featured, fields, available FROM integration_schemas";

// A plugin row for one that is configured no longer; its row and schemas stay.
constexpr const char* kAbsentState = "absent";

IntegrationSchema schemaFromRow(const Row& row) {
  IntegrationSchema schema;
  schema.id = row[0];
  schema.pluginId = row[1];
  schema.name = row[2];
  schema.category = row[3];
  schema.description = row[4];
  schema.docsUrl = row[5];
  schema.iconUrl = row[6];
  schema.displayOrder = toInt(row[7]);
  schema.featured = toFlag(row[8]);
  schema.fields = fieldsFromJson(row[9]);
  schema.available = toFlag(row[10]);
  return schema;
}

// Rejects input that would make the upsert ambiguous before anything is written.
Status checkCatalog(const std::vector<PluginInfo>& plugins) {
  std::set<std::string> pluginIds;
  std::set<std::string> schemaIds;
  for (const PluginInfo& plugin : plugins) {
    if (plugin.id.empty()) return {ErrorCode::InvalidArgument, "a plugin has an empty id", "plugins"};
    if (!pluginIds.insert(plugin.id).second) {
      return {ErrorCode::InvalidArgument, "plugin id '" + plugin.id + "' appears twice", "plugins"};
    }
    if (plugin.state != PluginState::Loaded) continue;
    for (const IntegrationSchema& schema : plugin.schemas) {
      if (schema.id.empty()) {
        return {ErrorCode::InvalidArgument,
                "plugin '" + plugin.id + "' declares a schema with an empty id", "schemas"};
      }
      if (!schemaIds.insert(schema.id).second) {
        return {ErrorCode::InvalidArgument,
                "schema id '" + schema.id + "' is declared twice (last by plugin '" + plugin.id +
                    "')",
                "schemas"};
      }
    }
  }
  return Status::ok();
}

void upsertPlugin(Poco::Data::Session& session, const Database& db, const PluginInfo& plugin,
                  const std::string& now) {
  SqlQuery(session, db,
           "INSERT INTO plugins(id, name, version, description, abi_version, path, capabilities,"
           " state, error, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
           "ON CONFLICT (id) DO UPDATE SET name = excluded.name, version = excluded.version,"
           " description = excluded.description, abi_version = excluded.abi_version,"
           " path = excluded.path, capabilities = excluded.capabilities, state = excluded.state,"
           " error = excluded.error, updated_at = excluded.updated_at")
      .arg(plugin.id)
      .arg(plugin.name)
      .arg(plugin.version)
      .arg(plugin.description)
      .arg(plugin.abiVersion)
      .arg(plugin.path)
      .arg(stringsToJson(plugin.capabilities))
      .arg(toString(plugin.state))
      .arg(plugin.error)
      .arg(now)
      .run();
}

void upsertSchema(Poco::Data::Session& session, const Database& db, const std::string& pluginId,
                  const IntegrationSchema& schema, const std::string& now) {
  SqlQuery(session, db,
           "INSERT INTO integration_schemas(id, plugin_id, name, category, description, docs_url,"
           " icon_url, display_order, featured, fields, available, updated_at)"
           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?) "
           "ON CONFLICT (id) DO UPDATE SET plugin_id = excluded.plugin_id, name = excluded.name,"
           " category = excluded.category, description = excluded.description,"
           " docs_url = excluded.docs_url, icon_url = excluded.icon_url,"
           " display_order = excluded.display_order, featured = excluded.featured,"
           " fields = excluded.fields, available = 1, updated_at = excluded.updated_at")
      .arg(schema.id)
      .arg(pluginId)
      .arg(schema.name)
      .arg(schema.category)
      .arg(schema.description)
      .arg(schema.docsUrl)
      .arg(schema.iconUrl)
      .arg(schema.displayOrder)
      .flag(schema.featured)
      .arg(fieldsToJson(schema.fields))
      .arg(now)
      .run();
}

}  // namespace

Status CatalogRepository::syncCatalog(const std::vector<PluginInfo>& plugins) {
  if (Status bad = checkCatalog(plugins); !bad.isOk()) return bad;
  return store::writeIn(scope_, "sync plugin catalog", [&](Poco::Data::Session& session) -> Status {
    const Database& db = *scope_.db;
    const std::string now = store::utcNow();
    std::set<std::string> present;
    std::set<std::string> declared;
    for (const PluginInfo& plugin : plugins) {
      present.insert(plugin.id);
      upsertPlugin(session, db, plugin, now);
      // A failed plugin's declarations cannot be trusted; its old schemas
      // stay (unavailable) until it loads again.
      if (plugin.state != PluginState::Loaded) continue;
      for (const IntegrationSchema& schema : plugin.schemas) {
        declared.insert(schema.id);
        upsertSchema(session, db, plugin.id, schema, now);
      }
    }
    for (const Row& row : SqlQuery(session, db, "SELECT id FROM plugins WHERE state <> ?").arg(kAbsentState).rows()) {
      if (present.count(row[0]) != 0) continue;
      SqlQuery(session, db, "UPDATE plugins SET state = ?, updated_at = ? WHERE id = ?")
          .arg(kAbsentState)
          .arg(now)
          .arg(row[0])
          .run();
    }
    for (const Row& row : SqlQuery(session, db, "SELECT id FROM integration_schemas WHERE available = 1").rows()) {
      if (declared.count(row[0]) != 0) continue;
      SqlQuery(session, db, "UPDATE integration_schemas SET available = 0, updated_at = ? WHERE id = ?")
          .arg(now)
          .arg(row[0])
          .run();
    }
    return Status::ok();
  });
}

Result<std::vector<IntegrationSchema>> CatalogRepository::listSchemas(const SchemaFilter& filter) {
  return store::readIn(scope_, "list integration schemas",
                       [&](Poco::Data::Session& session) -> Result<std::vector<IntegrationSchema>> {
                         std::string sql = std::string(kSchemaColumns) + " WHERE 1 = 1";
                         if (!filter.includeUnavailable) sql += " AND available = 1";
                         if (filter.category) sql += " AND category = ?";
                         if (filter.featured) sql += " AND featured = ?";
                         sql += " ORDER BY display_order, id";
                         SqlQuery query(session, *scope_.db, sql);
                         if (filter.category) query.arg(*filter.category);
                         if (filter.featured) query.flag(*filter.featured);
                         std::vector<IntegrationSchema> out;
                         for (const Row& row : query.rows()) out.push_back(schemaFromRow(row));
                         return out;
                       });
}

Result<std::optional<IntegrationSchema>> CatalogRepository::getSchema(const std::string& id) {
  return store::readIn(scope_, "get integration schema '" + id + "'",
                       [&](Poco::Data::Session& session) -> Result<std::optional<IntegrationSchema>> {
                         auto rows =
                             SqlQuery(session, *scope_.db, std::string(kSchemaColumns) + " WHERE id = ?").arg(id).rows();
                         if (rows.empty()) return std::optional<IntegrationSchema>();
                         return std::optional<IntegrationSchema>(schemaFromRow(rows.front()));
                       });
}

Result<std::vector<CategoryCount>> CatalogRepository::schemaCategories() {
  return store::readIn(scope_, "count schema categories",
                       [&](Poco::Data::Session& session) -> Result<std::vector<CategoryCount>> {
                         std::vector<CategoryCount> out;
                         for (const Row& row : SqlQuery(session, *scope_.db,
                                                        "SELECT category, COUNT(*) FROM integration_schemas "
                                                        "WHERE available = 1 AND category <> '' "
                                                        "GROUP BY category ORDER BY category")
                                                   .rows()) {
                           out.push_back({row[0], toInt(row[1])});
                         }
                         return out;
                       });
}

}  // namespace sb
