#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace sb {
namespace {

using testing::expectError;

TEST(ConfigUnknownKeys, SuggestsTheClosestKnownKeyAtItsExactPosition) {
  expectError("server:\n  host: localhost\n  prot: 8080\n",
              "3:3: server.prot: unknown key (did you mean 'port'?)", "server.prot");
  expectError("databse:\n  url: sqlite:x.db\n",
              "1:1: databse: unknown key (did you mean 'database'?)", "databse");
  expectError("logging:\n    acess_log: '-'\n",
              "2:5: logging.acess_log: unknown key (did you mean 'access_log'?)",
              "logging.acess_log");
  expectError("plugins:\n  enabled:\n    - github\n    - name: vercel\n      baseurl: x\n",
              "5:7: plugins.enabled[1].baseurl: unknown key (did you mean 'base_url'?)",
              "plugins.enabled[1].baseurl");
}

TEST(ConfigUnknownKeys, FarOffKeyListsWhatIsAccepted) {
  expectError("secrets:\n  password: x\n",
              "2:3: secrets.password: unknown key (expected one of 'key_file', 'key')",
              "secrets.password");
}

TEST(ConfigUnknownKeys, DuplicateAndNonStringKeys) {
  expectError("server:\n  port: 1\n  port: 2\n", "3:3: server.port: duplicate key", "server.port");
  expectError("server:\n  [a]: 1\n", "2:3: server: keys must be strings, got a sequence",
              "server");
}

TEST(ConfigStructure, TopLevelMustBeAMapping) {
  expectError("- server\n",
              "1:1: the top level must be a mapping of sections (server, database, plugins, "
              "secrets, status, events, actions, sync, connections, logging), got a sequence",
              "");
  expectError("just text\n",
              "1:1: the top level must be a mapping of sections (server, database, plugins, "
              "secrets, status, events, actions, sync, connections, logging), got 'just text'",
              "");
}

TEST(ConfigStructure, MalformedYamlReportsLineAndColumn) {
  expectError("server:\n  port: [1,\n  host: x\n", "4:1: end of sequence flow not found", "");
  expectError("server:\n  port: 1\n  - item\n", "3:3: end of map not found", "");
  expectError("a: b: c\n", "1:5: illegal map value", "");
  expectError("key: \"bad \\q escape\"\n", "1:13: unknown escape character: q", "");
  expectError("server:\n  host: a\n bad: indent\n",
              "3:2: end of map not found", "");
}

TEST(ConfigStructure, OnlyOneDocument) {
  expectError("server:\n  port: 1\n---\nserver:\n  port: 2\n",
              "4:1: only one YAML document is allowed (remove the extra '---')", "");
}

TEST(ConfigStructure, InMemoryTextIsNamedInMessages) {
  Result<Config> result = parseConfig("server:\n  prot: 1\n", "", testing::fakeEnv());
  ASSERT_FALSE(result.isOk());
  EXPECT_EQ(result.status().message(), "<config>:2:3: server.prot: unknown key (did you mean 'port'?)");
}

// Every one of these is wrong in a different way (NULs, runaway nesting,
// self-referencing aliases); each must come back as an error value.
TEST(ConfigStructure, HostileInputIsAnErrorNotACrash) {
  const std::string inputs[] = {
      "{{{{{{{{", "&a [*a]", "server: &a\n  x: *a\n",
      std::string(2000, '['), "key: !!binary |\n  ####\n", "server:\n  port: *undefined_anchor\n",
      "plugins:\n  enabled:\n    - name: x\n      settings: &s\n        self: *s\n"};
  for (const std::string& input : inputs) {
    Result<Config> result = testing::parse(input);
    ASSERT_FALSE(result.isOk()) << input;
    EXPECT_EQ(result.status().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(result.status().message().rfind(testing::kConfigFile + ":", 0), 0u)
        << result.status().message();
  }
}

}  // namespace
}  // namespace sb
