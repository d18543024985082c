#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace sb {
namespace {

using testing::expectError;
using testing::fakeEnv;
using testing::parse;

std::string settingsJsonOf(const std::string& settingsBlock, const EnvLookup& env = fakeEnv()) {
  Result<Config> result =
      parse("plugins:\n  enabled:\n    - name: github\n      settings:\n" + settingsBlock, env);
  EXPECT_TRUE(result.isOk()) << result.status().message();
  if (!result.isOk() || result->plugins.enabled.empty()) return "<error>";
  return result->plugins.enabled[0].settingsJson;
}

TEST(PluginEntries, NamesAndMappingsMix) {
  Result<Config> result = parse(R"(plugins:
  enabled:
    - github
    - name: vercel
      base_url: http://127.0.0.1:9999/
    - "${EXTRA_PLUGIN}"
)",
                                fakeEnv({{"EXTRA_PLUGIN", "mcp_oauth"}}));
  ASSERT_TRUE(result.isOk()) << result.status().message();
  ASSERT_EQ(result->plugins.enabled.size(), 3u);
  EXPECT_EQ(result->plugins.enabled[0].name, "github");
  EXPECT_EQ(result->plugins.enabled[1].name, "vercel");
  EXPECT_EQ(result->plugins.enabled[1].baseUrl, "http://127.0.0.1:9999/");
  EXPECT_EQ(result->plugins.enabled[2].name, "mcp_oauth");
  EXPECT_EQ(result->plugins.enabled[2].sourceLocation, testing::kConfigFile + ":6:7");
}

TEST(PluginEntries, EmptyBaseUrlMeansPluginDefault) {
  Result<Config> result =
      parse("plugins:\n  enabled:\n    - name: github\n      base_url: ${GITHUB_API:-}\n");
  ASSERT_TRUE(result.isOk()) << result.status().message();
  EXPECT_EQ(result->plugins.enabled[0].baseUrl, "");
}

TEST(PluginEntries, InvalidEntries) {
  expectError("plugins:\n  enabled:\n    - path: ./x.so\n",
              "3:7: plugins.enabled[0].name: missing required key", "plugins.enabled[0].name");
  expectError("plugins:\n  enabled:\n    - GitHub\n",
              "3:7: plugins.enabled[0]: plugin name must match [a-z][a-z0-9_-]* (at most 64 "
              "characters)",
              "plugins.enabled[0]");
  expectError("plugins:\n  enabled:\n    - name: 9lives\n",
              "3:13: plugins.enabled[0].name: must match [a-z][a-z0-9_-]* (at most 64 characters)",
              "plugins.enabled[0].name");
  expectError("plugins:\n  enabled:\n    - github\n    - vercel\n    - name: x\n      base_url: "
              "ftp://example.com\n",
              "6:17: plugins.enabled[2].base_url: must be an http:// or https:// URL with a host",
              "plugins.enabled[2].base_url");
  expectError("plugins:\n  enabled:\n    - name: x\n      base_url: api.github.com\n",
              "4:17: plugins.enabled[0].base_url: must be an http:// or https:// URL with a host",
              "plugins.enabled[0].base_url");
}

TEST(PluginEntries, DuplicateNamesAreRejected) {
  expectError("plugins:\n  enabled:\n    - github\n    - vercel\n    - name: github\n",
              "5:7: plugins.enabled[2]: duplicate plugin name 'github'", "plugins.enabled[2]");
}

TEST(PluginSettings, ScalarsAreTypedByTheCoreSchema) {
  EXPECT_EQ(settingsJsonOf("        owner: acme\n"
                           "        count: 42\n"
                           "        negative: -7\n"
                           "        hex: 0x1F\n"
                           "        octal: 0o17\n"
                           "        ratio: 0.5\n"
                           "        big: 1e3\n"
                           "        on: true\n"
                           "        off: False\n"
                           "        nothing: null\n"
                           "        empty:\n"
                           "        quoted: \"42\"\n"
                           "        single: 'true'\n"
                           "        yes_word: yes\n"
                           "        inf: .inf\n"
                           "        huge: 123456789012345678901234567890\n"),
            R"({"owner":"acme","count":42,"negative":-7,"hex":31,"octal":15,"ratio":0.5,)"
            R"("big":1000,"on":true,"off":false,"nothing":null,"empty":null,"quoted":"42",)"
            R"("single":"true","yes_word":"yes","inf":".inf",)"
            R"("huge":"123456789012345678901234567890"})");
}

TEST(PluginSettings, SequencesAndNestedMappings) {
  EXPECT_EQ(settingsJsonOf("        repos: [a, b, 3]\n"
                           "        nested:\n"
                           "          deeper: {x: 1, list: [{k: v}]}\n"
                           "        text: \"line \\\"quoted\\\"\\n\"\n"),
            R"({"repos":["a","b",3],"nested":{"deeper":{"x":1,"list":[{"k":"v"}]}},)"
            R"("text":"line \"quoted\"\n"})");
}

TEST(PluginSettings, InterpolatedBeforeTyping) {
  EXPECT_EQ(settingsJsonOf("        port: ${P}\n        name: \"${P}\"\n", fakeEnv({{"P", "5"}})),
            R"({"port":5,"name":"5"})");
}

TEST(PluginSettings, Errors) {
  expectError("plugins:\n  enabled:\n    - name: x\n      settings:\n        a:\n          b: "
              "${UNSET}\n",
              "6:14: plugins.enabled[0].settings.a.b: environment variable 'UNSET' is not set "
              "(use ${UNSET:-default} to give a fallback)",
              "plugins.enabled[0].settings.a.b");
  expectError("plugins:\n  enabled:\n    - name: x\n      settings:\n        a: 1\n        a: 2\n",
              "6:9: plugins.enabled[0].settings.a: duplicate key",
              "plugins.enabled[0].settings.a");
  expectError("plugins:\n  enabled:\n    - name: x\n      settings: &s\n        self: *s\n",
              "4:17: plugins.enabled[0].settings.self.self.self.self.self.self.self.self.self.self."
              "self.self.self.self.self.self.self.self.self.self.self.self.self.self.self.self."
              "self.self.self.self.self.self.self: nested too deeply",
              "plugins.enabled[0].settings.self.self.self.self.self.self.self.self.self.self.self."
              "self.self.self.self.self.self.self.self.self.self.self.self.self.self.self.self."
              "self.self.self.self.self.self");
}

}  // namespace
}  // namespace sb
