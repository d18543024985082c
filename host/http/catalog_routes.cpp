// The integration catalog: GET /api/v1/integrations/schemas (filterable),
// .../schemas/categories and .../schemas/{id}.
#include <Poco/JSON/Array.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

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

namespace {

// A cached read: `keyOf` names the reply (or refuses the request), `render`
// builds it from the store. A fresh cached reply is served from the I/O
// thread; only a miss costs a worker and a store query.
using KeyOf = std::function<Result<std::string>(const ApiRequest&)>;
using Render = std::function<ApiReply(ApiRequest&)>;

void addCachedRead(Router& router, const std::string& pattern, const std::shared_ptr<RenderedReplyCache>& cache,
                   KeyOf keyOf, Render render) {
  auto handler = [cache, keyOf, render](ApiRequest& request) {
    auto key = keyOf(request);
    if (!key) return failureReply(request, key.status());
    ApiReply reply = cache->getOrRender(*key, [&] {
      ApiReply rendered = render(request);
      if (rendered.status == 200) rendered.headers.emplace_back("ETag", weakEtagFor(rendered.body));
      return rendered;
    });
    return withConditionalGet(std::move(reply), request, kCatalogCacheControl);
  };
  auto fast = [cache, keyOf](ApiRequest& request) -> std::optional<ApiReply> {
    auto key = keyOf(request);
    if (!key) return failureReply(request, key.status());
    auto cached = cache->find(*key);
    if (!cached) return std::nullopt;
    return withConditionalGet(std::move(*cached), request, kCatalogCacheControl);
  };
  router.add("GET", pattern, RouteAccess::Bearer, handler, fast);
}

}  // namespace

void addCatalogRoutes(Router& router, const ApiContext& context) {
  Store* store = context.store;
  auto cache = std::make_shared<RenderedReplyCache>(kCatalogFreshFor);

  addCachedRead(
      router, "/api/v1/integrations/schemas", cache,
      [](const ApiRequest& request) -> Result<std::string> {
        auto filter = parseSchemaFilter(request.query);
        if (!filter) return filter.status();
        return "schemas?category=" + filter->category.value_or("*") + "&featured=" +
               (filter->featured ? (*filter->featured ? "1" : "0") : "*");
      },
      [store](ApiRequest& request) {
        auto schemas = store->catalog().listSchemas(*parseSchemaFilter(request.query));
        if (!schemas) return failureReply(request, schemas.status());
        Poco::JSON::Array items;
        for (const auto& schema : *schemas) items.add(schemaJson(schema));
        return itemsReply(items);
      });

  addCachedRead(
      router, "/api/v1/integrations/schemas/categories", cache,
      [](const ApiRequest&) -> Result<std::string> { return std::string("categories"); },
      [store](ApiRequest& request) {
        auto categories = store->catalog().schemaCategories();
        if (!categories) return failureReply(request, categories.status());
        Poco::JSON::Array items;
        for (const auto& category : *categories) items.add(categoryJson(category));
        return itemsReply(items);
      });

  addCachedRead(
      router, "/api/v1/integrations/schemas/{id}", cache,
      [](const ApiRequest& request) -> Result<std::string> { return "schema/" + request.param("id"); },
      [store](ApiRequest& request) {
        const std::string& id = request.param("id");
        auto schema = store->catalog().getSchema(id);
        if (!schema) return failureReply(request, schema.status());
        if (!schema->has_value()) {
          return failureReply(request, Status(ErrorCode::NotFound, "integration schema '" + id + "' not found"));
        }
        return jsonReply(200, schemaJson(**schema));
      });
}

}  // namespace sb::http
