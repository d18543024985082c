#include "kitchen_links.hpp"

#include <memory>
#include <vector>

namespace sb::testing {
namespace {

SchemaField field(std::string key, std::string type, bool required, bool secret,
                  std::vector<std::string> options = {}) {
  SchemaField f;
  f.key = std::move(key);
  f.type = std::move(type);
  f.required = required;
  f.secret = secret;
  f.level = "project";
  f.options = std::move(options);
  return f;
}

// One schema with every field type, added to a server of its own so the
// shared server's catalog (which other tests count) stays as it is.
PluginInfo kitchenPlugin() {
  IntegrationSchema kitchen;
  kitchen.id = "kitchen";
  kitchen.pluginId = "kitchen";
  kitchen.name = "Kitchen sink";
  kitchen.category = "testing";
  SchemaField endpoint = field("endpoint", "url", false, false);
  endpoint.destination = true;
  SchemaField code = field("code", "string", false, false);
  code.maxLength = 8;
  kitchen.fields = {field("token", "string", true, true),
                    field("webhookSecret", "string", false, true),
                    field("region", "select", true, false, {"eu", "us"}),
                    field("baseUrl", "url", false, false),
                    field("retries", "integer", false, false),
                    field("verbose", "boolean", false, false),
                    field("label", "string", false, false),
                    endpoint,
                    code};
  PluginInfo plugin;
  plugin.id = "kitchen";
  plugin.name = "Kitchen";
  plugin.state = PluginState::Loaded;
  plugin.capabilities = {"status"};
  plugin.schemas = {kitchen};
  return plugin;
}

}  // namespace

TestServer& kitchenServer() {
  static std::unique_ptr<TestServer> instance = [] {
    auto created = std::make_unique<TestServer>();
    std::vector<PluginInfo> plugins = created->plugins();
    plugins.push_back(kitchenPlugin());
    EXPECT_TRUE(created->store().catalog().syncCatalog(plugins).isOk());
    return created;
  }();
  return *instance;
}

void Integrations::SetUp() {
  project_ = kitchenServer().createProject(
      "olivia", {{"adam", Role::Admin}, {"ed", Role::Editor}, {"vic", Role::Viewer}});
}

std::string Integrations::path(const std::string& key) const {
  return "/api/v1/projects/" + project_ + "/integrations/" + key;
}

HttpResult Integrations::put(const std::string& body, const std::string& caller, const std::string& key) const {
  return kitchenServer().send("PUT", path(key), caller, body);
}

HttpResult Integrations::get(const std::string& caller, const std::string& key) const {
  return kitchenServer().get(path(key), caller);
}

HttpResult Integrations::link(const std::string& caller) const {
  return put(R"({"settings":{"region":"eu","label":"main"},"secrets":{"token":"tok_1"}})", caller);
}

void Integrations::expectInvalid(const std::string& body, const std::string& field) const {
  SCOPED_TRACE(body);
  expectProblem(put(body), 422, path(), field);
}

std::string Integrations::storedSecrets() const {
  auto stored = kitchenServer().store().integrations().getIntegration(project_, "kitchen");
  if (!stored.isOk() || !stored->has_value() || (*stored)->secretsSealed.empty()) return "";
  auto opened = kitchenServer().secretBox().open((*stored)->secretsSealed, "integration:" + project_ + ":kitchen");
  EXPECT_TRUE(opened.isOk()) << opened.status().message();
  return opened.isOk() ? opened.value() : "";
}

}  // namespace sb::testing
