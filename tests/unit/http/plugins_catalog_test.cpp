#include <gtest/gtest.h>

#include "test_server.hpp"

namespace sb::testing {
namespace {

TEST(Plugins, ListsLoadedAndFailedPlugins) {
  const HttpResult result = testServer().get("/api/v1/plugins", "vic");
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.header("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(result.header("Cache-Control"), "no-store");
  EXPECT_EQ(itemValues(result, "id"), (std::vector<std::string>{"github", "vercel", "broken"}));
  const auto items = result.json()->getArray("items");
  const auto github = items->getObject(0);
  EXPECT_EQ(github->getValue<std::string>("name"), "Plugin github");
  EXPECT_EQ(github->getValue<std::string>("version"), "1.2.3");
  EXPECT_EQ(github->getValue<std::string>("abiVersion"), "1.0");
  EXPECT_EQ(github->getValue<std::string>("state"), "loaded");
  EXPECT_EQ(github->getArray("capabilities")->size(), 2u);
  EXPECT_EQ(github->getValue<std::string>("path"), "/opt/switchboard/plugins/github.so");
  EXPECT_FALSE(github->has("error"));
  const auto broken = items->getObject(2);
  EXPECT_EQ(broken->getValue<std::string>("state"), "failed");
  EXPECT_EQ(broken->getValue<std::string>("error"), "ABI major 2 != host 1");
}

TEST(Catalog, ListsAvailableSchemasByDisplayOrder) {
  const HttpResult result = testServer().get("/api/v1/integrations/schemas", "vic");
  ASSERT_EQ(result.status, 200) << result.body;
  // `legacy` (order 0) is no longer declared, so it is not listed.
  EXPECT_EQ(itemValues(result, "id"), (std::vector<std::string>{"vercel", "github", "netlify"}));
  const auto github = result.json()->getArray("items")->getObject(1);
  EXPECT_EQ(github->getValue<std::string>("pluginId"), "github");
  EXPECT_EQ(github->getValue<std::string>("name"), "Schema github");
  EXPECT_EQ(github->getValue<std::string>("category"), "source");
  EXPECT_EQ(github->getValue<std::string>("docsUrl"), "https://docs.example/github");
  EXPECT_EQ(github->getValue<std::string>("iconUrl"), "https://icons.example/github.svg");
  EXPECT_EQ(github->getValue<int>("displayOrder"), 2);
  EXPECT_TRUE(github->getValue<bool>("featured"));
  EXPECT_TRUE(github->getValue<bool>("available"));
  const auto fields = github->getArray("fields");
  ASSERT_EQ(fields->size(), 2u);
  const auto token = fields->getObject(0);
  EXPECT_EQ(token->getValue<std::string>("key"), "token");
  EXPECT_EQ(token->getValue<std::string>("type"), "string");
  EXPECT_TRUE(token->getValue<bool>("required"));
  EXPECT_TRUE(token->getValue<bool>("secret"));
  EXPECT_EQ(token->getValue<std::string>("level"), "project");
  EXPECT_EQ(token->getValue<std::string>("description"), "the token");
  EXPECT_EQ(token->getValue<std::string>("placeholder"), "enter token");
  EXPECT_FALSE(token->has("options"));
  const auto visibility = fields->getObject(1);
  ASSERT_TRUE(visibility->has("options"));
  EXPECT_EQ(visibility->getArray("options")->getElement<std::string>(1), "private");
}

TEST(Catalog, FiltersByCategoryAndFeatured) {
  auto hosting = testServer().get("/api/v1/integrations/schemas?category=hosting", "vic");
  EXPECT_EQ(itemValues(hosting, "id"), (std::vector<std::string>{"vercel", "netlify"}));
  auto featured = testServer().get("/api/v1/integrations/schemas?featured=true", "vic");
  EXPECT_EQ(itemValues(featured, "id"), (std::vector<std::string>{"github", "netlify"}));
  auto both =
      testServer().get("/api/v1/integrations/schemas?category=hosting&featured=false", "vic");
  EXPECT_EQ(itemValues(both, "id"), (std::vector<std::string>{"vercel"}));
  auto none = testServer().get("/api/v1/integrations/schemas?category=nothing", "vic");
  EXPECT_TRUE(itemValues(none, "id").empty());
}

TEST(Catalog, RejectsBadQueryParameters) {
  const std::string path = "/api/v1/integrations/schemas";
  expectProblem(testServer().get(path + "?featured=yes", "vic"), 400, path, "featured");
  expectProblem(testServer().get(path + "?categroy=hosting", "vic"), 400, path, "categroy");
  expectProblem(testServer().get(path + "?category=a&category=b", "vic"), 400, path, "category");
}

TEST(Catalog, CategoriesCountAvailableSchemasAndWinOverId) {
  const HttpResult result = testServer().get("/api/v1/integrations/schemas/categories", "vic");
  ASSERT_EQ(result.status, 200) << result.body;
  const auto items = result.json()->getArray("items");
  ASSERT_EQ(items->size(), 2u) << result.body;
  EXPECT_EQ(items->getObject(0)->getValue<std::string>("name"), "hosting");
  EXPECT_EQ(items->getObject(0)->getValue<int>("count"), 2);
  EXPECT_EQ(items->getObject(1)->getValue<std::string>("name"), "source");
  EXPECT_EQ(items->getObject(1)->getValue<int>("count"), 1);
}

TEST(Catalog, GetsOneSchemaOr404) {
  const HttpResult result = testServer().get("/api/v1/integrations/schemas/vercel", "vic");
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.json()->getValue<std::string>("id"), "vercel");
  EXPECT_EQ(result.json()->getArray("fields")->size(), 1u);
  const std::string missing = "/api/v1/integrations/schemas/nope";
  const HttpResult notFound = testServer().get(missing, "vic");
  expectProblem(notFound, 404, missing);
  EXPECT_NE(notFound.json()->getValue<std::string>("detail").find("nope"), std::string::npos);
}

}  // namespace
}  // namespace sb::testing
