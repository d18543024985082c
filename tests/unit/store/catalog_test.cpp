#include <gtest/gtest.h>

#include "test_database.hpp"

namespace sb::testing {
namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

IntegrationSchema schema(const std::string& id, const std::string& category, int order,
                         bool featured = false) {
  IntegrationSchema s;
  s.id = id;
  s.name = id + " name";
  s.category = category;
  s.description = "about " + id;
  s.docsUrl = "https://docs.example/" + id;
  s.iconUrl = "https://icons.example/" + id + ".svg";
  s.displayOrder = order;
  s.featured = featured;
  SchemaField token{"token", "string", true, true, "org", "API token", "tok_...", {}};
  SchemaField region{"region", "select", false, false, "project", "Region", "", {"eu", "us"}};
  s.fields = {token, region};
  return s;
}

PluginInfo plugin(const std::string& id, std::vector<IntegrationSchema> schemas,
                  PluginState state = PluginState::Loaded) {
  PluginInfo p;
  p.id = id;
  p.name = id + " plugin";
  p.version = "1.0.0";
  p.path = "/plugins/" + id + ".so";
  p.abiVersion = "1.0";
  p.capabilities = {"status"};
  p.state = state;
  if (state == PluginState::Failed) p.error = "it broke";
  p.schemas = std::move(schemas);
  return p;
}

std::vector<std::string> ids(const std::vector<IntegrationSchema>& schemas) {
  std::vector<std::string> out;
  for (const auto& s : schemas) out.push_back(s.id);
  return out;
}

class CatalogTest : public StoreTest {
 protected:
  std::vector<IntegrationSchema> list(SchemaFilter filter = {}) {
    auto result = store_->catalog().listSchemas(filter);
    EXPECT_TRUE(result.isOk()) << result.status().message();
    return result.isOk() ? result.value() : std::vector<IntegrationSchema>{};
  }
  bool available(const std::string& id) {
    auto found = store_->catalog().getSchema(id);
    EXPECT_TRUE(found.isOk() && found->has_value()) << id;
    return found.isOk() && found->has_value() && (*found)->available;
  }
};

TEST_F(CatalogTest, SyncStoresEverythingDeclared) {
  ASSERT_TRUE(store_->catalog().syncCatalog({plugin("github", {schema("github", "source", 1, true)})}).isOk());
  auto found = store_->catalog().getSchema("github");
  ASSERT_TRUE(found.isOk());
  ASSERT_TRUE(found->has_value());
  const IntegrationSchema& s = **found;
  EXPECT_EQ(s.pluginId, "github");
  EXPECT_EQ(s.name, "github name");
  EXPECT_EQ(s.category, "source");
  EXPECT_EQ(s.docsUrl, "https://docs.example/github");
  EXPECT_EQ(s.iconUrl, "https://icons.example/github.svg");
  EXPECT_EQ(s.displayOrder, 1);
  EXPECT_TRUE(s.featured);
  EXPECT_TRUE(s.available);
  ASSERT_EQ(s.fields.size(), 2u);
  EXPECT_EQ(s.fields[0].key, "token");
  EXPECT_TRUE(s.fields[0].required);
  EXPECT_TRUE(s.fields[0].secret);
  EXPECT_EQ(s.fields[0].level, "org");
  EXPECT_EQ(s.fields[0].placeholder, "tok_...");
  EXPECT_EQ(s.fields[1].type, "select");
  EXPECT_EQ(s.fields[1].options, (std::vector<std::string>{"eu", "us"}));

  auto missing = store_->catalog().getSchema("nope");
  ASSERT_TRUE(missing.isOk());
  EXPECT_FALSE(missing->has_value());
}

// Re-syncing updates rows in place: something keyed on a schema row (here a
// probe table with ON DELETE CASCADE, which would lose its row on any
// delete-and-reinsert) survives, and SQLite's rowid is unchanged.
TEST_F(CatalogTest, ResyncUpdatesInPlace) {
  ASSERT_TRUE(store_->catalog().syncCatalog({plugin("github", {schema("github", "source", 1)})}).isOk());
  auto raw = database_->rawSession();
  raw << "CREATE TABLE catalog_probe (schema_id TEXT NOT NULL"
         " REFERENCES integration_schemas(id) ON DELETE CASCADE)",
      now;
  raw << "INSERT INTO catalog_probe(schema_id) VALUES ('github')", now;
  Poco::Int64 rowidBefore = 0;
  if (database_->isSqlite()) raw << "SELECT rowid FROM integration_schemas WHERE id = 'github'", into(rowidBefore), now;

  IntegrationSchema renamed = schema("github", "code", 7);
  renamed.name = "GitHub";
  renamed.fields.pop_back();
  for (int round = 0; round < 2; ++round) {
    ASSERT_TRUE(store_->catalog().syncCatalog({plugin("github", {renamed})}).isOk());
  }
  auto found = store_->catalog().getSchema("github");
  ASSERT_TRUE(found.isOk() && found->has_value());
  EXPECT_EQ((*found)->name, "GitHub");
  EXPECT_EQ((*found)->category, "code");
  EXPECT_EQ((*found)->displayOrder, 7);
  EXPECT_EQ((*found)->fields.size(), 1u);

  Poco::Int64 probes = 0;
  raw << "SELECT COUNT(*) FROM catalog_probe", into(probes), now;
  EXPECT_EQ(probes, 1);
  if (database_->isSqlite()) {
    Poco::Int64 rowidAfter = 0;
    raw << "SELECT rowid FROM integration_schemas WHERE id = 'github'", into(rowidAfter), now;
    EXPECT_EQ(rowidAfter, rowidBefore);
  }
  Poco::Int64 pluginRows = 0;
  raw << "SELECT COUNT(*) FROM plugins", into(pluginRows), now;
  EXPECT_EQ(pluginRows, 1);
}

TEST_F(CatalogTest, SchemasFollowTheirPluginAwayAndBack) {
  auto github = plugin("github", {schema("github", "source", 1)});
  auto vercel = plugin("vercel", {schema("vercel", "hosting", 2), schema("vercel-edge", "hosting", 3)});
  ASSERT_TRUE(store_->catalog().syncCatalog({github, vercel}).isOk());
  EXPECT_EQ(ids(list()), (std::vector<std::string>{"github", "vercel", "vercel-edge"}));

  // vercel is no longer configured: its schemas stay, unavailable.
  ASSERT_TRUE(store_->catalog().syncCatalog({github}).isOk());
  EXPECT_EQ(ids(list()), (std::vector<std::string>{"github"}));
  EXPECT_FALSE(available("vercel"));
  SchemaFilter everything;
  everything.includeUnavailable = true;
  EXPECT_EQ(ids(list(everything)), (std::vector<std::string>{"github", "vercel", "vercel-edge"}));

  // vercel is back but declares only one of its schemas.
  vercel.schemas.pop_back();
  ASSERT_TRUE(store_->catalog().syncCatalog({github, vercel}).isOk());
  EXPECT_TRUE(available("vercel"));
  EXPECT_FALSE(available("vercel-edge"));
  EXPECT_EQ(ids(list()), (std::vector<std::string>{"github", "vercel"}));
}

TEST_F(CatalogTest, FailedPluginKeepsItsSchemasUnavailable) {
  auto github = plugin("github", {schema("github", "source", 1)});
  ASSERT_TRUE(store_->catalog().syncCatalog({github}).isOk());
  auto failed = plugin("github", {schema("github", "changed", 9)}, PluginState::Failed);
  ASSERT_TRUE(store_->catalog().syncCatalog({failed}).isOk());
  auto found = store_->catalog().getSchema("github");
  ASSERT_TRUE(found.isOk() && found->has_value());
  EXPECT_FALSE((*found)->available);
  EXPECT_EQ((*found)->category, "source") << "a failed plugin's declarations are not trusted";
  ASSERT_TRUE(store_->catalog().syncCatalog({github}).isOk());
  EXPECT_TRUE(available("github"));
}

TEST_F(CatalogTest, FiltersOrderingAndCategories) {
  ASSERT_TRUE(store_
                  ->catalog().syncCatalog({plugin("a", {schema("zeta", "source", 1, true), schema("alpha", "source", 1),
                                              schema("hosting1", "hosting", 0, true)}),
                                 plugin("b", {schema("cms1", "cms", 5)})})
                  .isOk());
  EXPECT_EQ(ids(list()), (std::vector<std::string>{"hosting1", "alpha", "zeta", "cms1"}));
  SchemaFilter source;
  source.category = "source";
  EXPECT_EQ(ids(list(source)), (std::vector<std::string>{"alpha", "zeta"}));
  SchemaFilter featured;
  featured.featured = true;
  EXPECT_EQ(ids(list(featured)), (std::vector<std::string>{"hosting1", "zeta"}));
  SchemaFilter notFeaturedSource;
  notFeaturedSource.category = "source";
  notFeaturedSource.featured = false;
  EXPECT_EQ(ids(list(notFeaturedSource)), (std::vector<std::string>{"alpha"}));

  auto categories = store_->catalog().schemaCategories();
  ASSERT_TRUE(categories.isOk());
  ASSERT_EQ(categories->size(), 3u);
  EXPECT_EQ((*categories)[0].name, "cms");
  EXPECT_EQ((*categories)[1].name, "hosting");
  EXPECT_EQ((*categories)[2].name, "source");
  EXPECT_EQ((*categories)[2].count, 2);

  // Only available schemas count: plugin b leaves.
  ASSERT_TRUE(store_->catalog().syncCatalog({plugin("a", {schema("zeta", "source", 1, true),
                                                schema("hosting1", "hosting", 0, true)})})
                  .isOk());
  categories = store_->catalog().schemaCategories();
  ASSERT_TRUE(categories.isOk());
  ASSERT_EQ(categories->size(), 2u);
  EXPECT_EQ((*categories)[0].name, "hosting");
  EXPECT_EQ((*categories)[1].name, "source");
  EXPECT_EQ((*categories)[1].count, 1);
}

TEST_F(CatalogTest, RejectsAmbiguousInputWithoutWriting) {
  auto duplicateSchema = store_->catalog().syncCatalog(
      {plugin("a", {schema("same", "x", 1)}), plugin("b", {schema("same", "x", 1)})});
  EXPECT_EQ(duplicateSchema.code(), ErrorCode::InvalidArgument);
  EXPECT_NE(duplicateSchema.message().find("same"), std::string::npos);
  EXPECT_EQ(store_->catalog().syncCatalog({plugin("a", {}), plugin("a", {})}).code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(store_->catalog().syncCatalog({plugin("", {})}).code(), ErrorCode::InvalidArgument);
  SchemaFilter everything;
  everything.includeUnavailable = true;
  EXPECT_TRUE(list(everything).empty());
}

}  // namespace
}  // namespace sb::testing
