#include "project_setup.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

namespace sbtest {

Poco::JSON::Object::Ptr parseObject(const std::string& body) {
  return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
}

std::string createToken(const std::string& configPath, const std::string& user) {
  auto result = runSwitchboard({"token", "create", "--user", user, "--config", configPath});
  EXPECT_EQ(result.exitCode, 0) << result.output;
  // The token is the only line on stdout that starts with the prefix.
  auto at = result.output.find("sbt_");
  EXPECT_NE(at, std::string::npos) << result.output;
  return result.output.substr(at, result.output.find('\n', at) - at);
}

std::string memberToken(const std::string& configPath, const std::string& projectId, const std::string& user,
                        const std::string& role) {
  const std::string token = createToken(configPath, user);
  auto member = runSwitchboard(
      {"member", "add", "--project", projectId, "--user", user, "--role", role, "--config", configPath});
  EXPECT_EQ(member.exitCode, 0) << member.output;
  return token;
}

const std::map<std::string, std::string>& providerLinks() {
  static const std::map<std::string, std::string> links{
      {"github", R"({"settings":{"repository":"acme/web","branch":"main"},"secrets":{"token":"ghp_integration"}})"},
      {"vercel", R"({"settings":{"projectId":"prj_demo"},"secrets":{"token":"vercel_integration"}})"},
      {"sanity",
       R"({"settings":{"projectId":"abc123de","dataset":"production"},"secrets":{"token":"sanity-contract-token"}})"},
      {"supabase", R"({"settings":{"projectRef":"abcdefghijklmnopqrst"},"secrets":{"accessToken":"sbp_contract_token"}})"},
  };
  return links;
}

std::string linkedProject(const ServerProcess& server, const std::string& token,
                          const std::map<std::string, std::string>& links) {
  auto created = server.request("POST", "/api/v1/projects", token, R"({"name":"Linked"})");
  EXPECT_EQ(created.status, 201) << created.body;
  const std::string id = parseObject(created.body)->getValue<std::string>("id");
  for (const auto& [key, body] : links) {
    auto linked = server.request("PUT", "/api/v1/projects/" + id + "/integrations/" + key, token, body);
    EXPECT_EQ(linked.status / 100, 2) << key << ": " << linked.body;
  }
  return id;
}

std::string fakePluginEntry(const std::string& name, const std::string& baseUrl, const std::string& egress) {
  std::string entry = "    - name: " + name + "\n      base_url: " + baseUrl + "\n";
  if (!egress.empty()) entry += "      egress: " + egress + "\n";
  return entry;
}

ProviderFakes startProviderFakes() {
  ProviderFakes fakes;
  for (const char* name : {"github", "vercel", "sanity", "supabase"}) {
    auto fake = std::make_unique<sb::fakes::FakeServer>(sb::fakes::makeFake(name));
    fake->start();
    fakes[name] = std::move(fake);
  }
  return fakes;
}

std::string secretsSection(const ScratchDirectory& dir, char digit) {
  const std::string path = dir.file("secret.key");
  std::ofstream(path) << std::string(64, digit);
  std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  return "secrets:\n  key_file: " + path + "\n";
}

std::string fileText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace sbtest
