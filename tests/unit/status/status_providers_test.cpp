// statusProvidersOf: which items the status reply lists for a set of loaded
// and failed plugins, in catalog display order.
#include <gtest/gtest.h>

#include "status/status_providers.hpp"

namespace sb::status {
namespace {

IntegrationSchema schema(const std::string& id, const std::string& plugin, int order, const std::string& name) {
  IntegrationSchema out;
  out.id = id;
  out.pluginId = plugin;
  out.displayOrder = order;
  out.name = name;
  return out;
}

PluginInfo loaded(const std::string& id, std::vector<std::string> capabilities, std::vector<IntegrationSchema> schemas) {
  PluginInfo out;
  out.id = id;
  out.state = PluginState::Loaded;
  out.capabilities = std::move(capabilities);
  out.schemas = std::move(schemas);
  return out;
}

PluginInfo failed(const std::string& id) {
  PluginInfo out;
  out.id = id;
  out.state = PluginState::Failed;
  out.error = "no such file";
  return out;
}

std::vector<std::string> keysOf(const std::vector<StatusProvider>& providers) {
  std::vector<std::string> keys;
  for (const auto& provider : providers) keys.push_back(provider.key + "=" + provider.displayName);
  return keys;
}

TEST(StatusProviders, LoadedStatusAdaptersInDisplayOrderAndNoSchemaOnlyPlugins) {
  const auto providers = statusProvidersOf(
      {loaded("supabase", {"status", "actions"}, {schema("supabase", "supabase", 40, "Supabase")}),
       loaded("github", {"status"}, {schema("github", "github", 10, "GitHub")}),
       loaded("mcp_oauth", {"connection"}, {schema("mcp", "mcp_oauth", 5, "MCP")}),
       loaded("netlify", {"status"}, {schema("netlify", "netlify", 10, "Netlify"), schema("b", "netlify", 10, "")})},
      {});
  EXPECT_EQ(keysOf(providers), (std::vector<std::string>{"b=b", "github=GitHub", "netlify=Netlify", "supabase=Supabase"}));
}

TEST(StatusProviders, AFailedPluginKeepsTheItemsTheCatalogRemembersElseItsName) {
  const auto providers = statusProvidersOf(
      {loaded("github", {"status"}, {schema("github", "github", 10, "GitHub")}), failed("vercel"), failed("netlify"),
       failed("aardvark")},
      {schema("github", "github", 10, "GitHub"), schema("vercel", "vercel", 20, "Vercel"),
       schema("sanity", "sanity", 30, "Sanity")});
  EXPECT_EQ(keysOf(providers),
            (std::vector<std::string>{"github=GitHub", "vercel=Vercel", "aardvark=aardvark", "netlify=netlify"}));
}

TEST(StatusProviders, AFailedPluginThatDeclaredBeforeFailingUsesItsDeclaration) {
  PluginInfo initFailed = failed("sanity");
  initFailed.schemas = {schema("sanity", "sanity", 30, "Sanity")};
  const auto providers = statusProvidersOf({initFailed, loaded("github", {"status"}, {schema("github", "github", 10, "GitHub")})}, {});
  EXPECT_EQ(keysOf(providers), (std::vector<std::string>{"github=GitHub", "sanity=Sanity"}));
}

TEST(StatusProviders, NoPluginsNoItems) { EXPECT_TRUE(statusProvidersOf({}, {}).empty()); }

}  // namespace
}  // namespace sb::status
