// The integration catalog: GET /api/v1/integrations/schemas (filterable),
// .../schemas/categories and .../schemas/{id}.
#include <Poco/JSON/Array.h>

#include <chrono>
#include <memory>

#include "http/api_routes.hpp"
#include "http/conditional_get.hpp"
#include "http/rendered_reply_cache.hpp"
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

// The catalog changes only when plugins load (here or on another instance
// sharing the database), so rendered replies are reused briefly and clients
// revalidate with If-None-Match. "private": every reader is authenticated.
constexpr std::chrono::seconds kCatalogFreshFor{2};
const std::string kCatalogCacheControl = "private, no-cache";

void addCatalogRoutes(Router& router, const ApiContext& context) {
  Store* store = context.store;
  auto cache = std::make_shared<RenderedReplyCache>(kCatalogFreshFor);

  router.add("GET", "/api/v1/integrations/schemas", RouteAccess::Bearer,
             [store, cache](ApiRequest& request) {
               auto filter = parseSchemaFilter(request.query);
               if (!filter) return failureReply(request, filter.status());
               const std::string key = "schemas?category=" + filter->category.value_or("*") +
                                       "&featured=" +
                                       (filter->featured ? (*filter->featured ? "1" : "0") : "*");
               ApiReply reply = cache->getOrRender(key, [&] {
                 auto schemas = store->listSchemas(*filter);
                 if (!schemas) return failureReply(request, schemas.status());
                 Poco::JSON::Array items;
                 for (const auto& schema : *schemas) items.add(schemaJson(schema));
                 return itemsReply(items);
               });
               return withConditionalGet(std::move(reply), request, kCatalogCacheControl);
             });

  router.add("GET", "/api/v1/integrations/schemas/categories", RouteAccess::Bearer,
             [store, cache](ApiRequest& request) {
               ApiReply reply = cache->getOrRender("categories", [&] {
                 auto categories = store->schemaCategories();
                 if (!categories) return failureReply(request, categories.status());
                 Poco::JSON::Array items;
                 for (const auto& category : *categories) items.add(categoryJson(category));
                 return itemsReply(items);
               });
               return withConditionalGet(std::move(reply), request, kCatalogCacheControl);
             });

  router.add("GET", "/api/v1/integrations/schemas/{id}", RouteAccess::Bearer,
             [store, cache](ApiRequest& request) {
               const std::string& id = request.param("id");
               ApiReply reply = cache->getOrRender("schema/" + id, [&] {
                 auto schema = store->getSchema(id);
                 if (!schema) return failureReply(request, schema.status());
                 if (!schema->has_value()) {
                   return failureReply(request, Status(ErrorCode::NotFound,
                                                       "integration schema '" + id + "' not found"));
                 }
                 return jsonReply(200, schemaJson(**schema));
               });
               return withConditionalGet(std::move(reply), request, kCatalogCacheControl);
             });
}

}  // namespace sb::http
