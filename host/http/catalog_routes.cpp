// The integration catalog: GET /api/v1/integrations/schemas (filterable),
// .../schemas/categories and .../schemas/{id}.
#include <Poco/JSON/Array.h>

#include "http/api_routes.hpp"
#include "http/json_views.hpp"
#include "store/store.hpp"

namespace sb::http {
namespace {

// Unknown or repeated parameters are rejected rather than ignored so a typo
// ("categroy=") does not silently return the unfiltered catalog.
Result<SchemaFilter> parseSchemaFilter(const QueryParams& query) {
  SchemaFilter filter;
  for (const auto& [name, value] : query) {
    if (name == "category") {
      if (filter.category) {
        return Status(ErrorCode::InvalidArgument, "query parameter 'category' given more than once",
                      "category");
      }
      filter.category = value;
    } else if (name == "featured") {
      if (filter.featured) {
        return Status(ErrorCode::InvalidArgument, "query parameter 'featured' given more than once",
                      "featured");
      }
      if (value != "true" && value != "false") {
        return Status(ErrorCode::InvalidArgument,
                      "query parameter 'featured' must be 'true' or 'false', got '" + value + "'",
                      "featured");
      }
      filter.featured = value == "true";
    } else {
      return Status(ErrorCode::InvalidArgument,
                    "unknown query parameter '" + name + "' (known: category, featured)", name);
    }
  }
  return filter;
}

}  // namespace

void addCatalogRoutes(Router& router, const ApiContext& context) {
  Store* store = context.store;

  router.add("GET", "/api/v1/integrations/schemas", RouteAccess::Bearer,
             [store](ApiRequest& request) {
               auto filter = parseSchemaFilter(request.query);
               if (!filter) return failureReply(request, filter.status());
               auto schemas = store->listSchemas(*filter);
               if (!schemas) return failureReply(request, schemas.status());
               Poco::JSON::Array items;
               for (const auto& schema : *schemas) items.add(schemaJson(schema));
               return itemsReply(items);
             });

  router.add("GET", "/api/v1/integrations/schemas/categories", RouteAccess::Bearer,
             [store](ApiRequest& request) {
               auto categories = store->schemaCategories();
               if (!categories) return failureReply(request, categories.status());
               Poco::JSON::Array items;
               for (const auto& category : *categories) items.add(categoryJson(category));
               return itemsReply(items);
             });

  router.add("GET", "/api/v1/integrations/schemas/{id}", RouteAccess::Bearer,
             [store](ApiRequest& request) {
               const std::string& id = request.param("id");
               auto schema = store->getSchema(id);
               if (!schema) return failureReply(request, schema.status());
               if (!schema->has_value()) {
                 return failureReply(request, Status(ErrorCode::NotFound,
                                                     "integration schema '" + id + "' not found"));
               }
               return jsonReply(200, schemaJson(**schema));
             });
}

}  // namespace sb::http
