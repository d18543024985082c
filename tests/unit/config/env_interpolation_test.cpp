#include <gtest/gtest.h>

#include "config/env_interpolation.hpp"
#include "config_test_support.hpp"

namespace sb {
namespace {

using testing::expectError;
using testing::fakeEnv;
using testing::parse;

TEST(EnvInterpolation, SubstitutesSetVariables) {
  auto result = config::interpolateEnv("a-${X}-b-${Y_2}", fakeEnv({{"X", "1"}, {"Y_2", "two"}}));
  ASSERT_TRUE(result.isOk()) << result.status().message();
  EXPECT_EQ(result.value(), "a-1-b-two");
}

TEST(EnvInterpolation, DefaultsApplyWhenUnsetOrEmpty) {
  auto env = fakeEnv({{"EMPTY", ""}, {"SET", "v"}});
  EXPECT_EQ(config::interpolateEnv("${MISSING:-fallback}", env).value(), "fallback");
  EXPECT_EQ(config::interpolateEnv("${EMPTY:-fallback}", env).value(), "fallback");
  EXPECT_EQ(config::interpolateEnv("${SET:-fallback}", env).value(), "v");
  EXPECT_EQ(config::interpolateEnv("${MISSING:-}", env).value(), "");
  EXPECT_EQ(config::interpolateEnv("${EMPTY}", env).value(), "");
  EXPECT_EQ(config::interpolateEnv("${MISSING:-a:-b}", env).value(), "a:-b");
}

TEST(EnvInterpolation, EscapesAndPlainDollars) {
  auto env = fakeEnv({{"X", "1"}});
  EXPECT_EQ(config::interpolateEnv("$${X}", env).value(), "${X}");
  // Left to right: "$" is kept, then "$${" is the escape.
  EXPECT_EQ(config::interpolateEnv("$$${X}", env).value(), "$${X}");
  EXPECT_EQ(config::interpolateEnv("cost $5 and $X", env).value(), "cost $5 and $X");
  EXPECT_EQ(config::interpolateEnv("$", env).value(), "$");
}

TEST(EnvInterpolation, BadReferencesAreErrors) {
  auto env = fakeEnv();
  EXPECT_EQ(config::interpolateEnv("${NOPE}", env).status().message(),
            "environment variable 'NOPE' is not set (use ${NOPE:-default} to give a fallback)");
  EXPECT_EQ(config::interpolateEnv("${OPEN", env).status().message(),
            "unterminated '${' (write '$${' for a literal '${')");
  EXPECT_EQ(config::interpolateEnv("${1BAD}", env).status().message(),
            "invalid environment variable reference '${1BAD}' (names are [A-Za-z_][A-Za-z0-9_]*)");
  EXPECT_FALSE(config::interpolateEnv("${}", env).isOk());
}

TEST(EnvInterpolation, AppliesBeforeTypeConversion) {
  Result<Config> result =
      parse("server:\n  port: ${PORT}\n  host: \"${HOST:-0.0.0.0}\"\nsecrets:\n  key: ${KEY}\n",
            fakeEnv({{"PORT", "9443"}, {"KEY", "s3cr3t"}}));
  ASSERT_TRUE(result.isOk()) << result.status().message();
  EXPECT_EQ(result->server.port, 9443);
  EXPECT_EQ(result->server.host, "0.0.0.0");
  EXPECT_EQ(result->secrets.key, "s3cr3t");
}

TEST(EnvInterpolation, InterpolatedValueIsStillValidated) {
  expectError("server:\n  port: ${PORT}\n",
              "2:9: server.port: expected an integer, got 'http'", "server.port",
              fakeEnv({{"PORT", "http"}}));
}

TEST(EnvInterpolation, UnsetVariableIsAnErrorAtTheValue) {
  expectError("secrets:\n  key: ${SWITCHBOARD_SECRET_KEY}\n",
              "2:8: secrets.key: environment variable 'SWITCHBOARD_SECRET_KEY' is not set (use "
              "${SWITCHBOARD_SECRET_KEY:-default} to give a fallback)",
              "secrets.key");
}

TEST(EnvInterpolation, ProcessEnvReadsTheRealEnvironment) {
  ::setenv("SB_CONFIG_TEST_VAR", "from-process", 1);
  EnvLookup env = processEnv();
  EXPECT_EQ(env("SB_CONFIG_TEST_VAR"), std::optional<std::string>("from-process"));
  EXPECT_EQ(env("SB_CONFIG_TEST_SURELY_UNSET"), std::nullopt);
  ::unsetenv("SB_CONFIG_TEST_VAR");
}

}  // namespace
}  // namespace sb
