// Shared fixtures for the config unit tests: a fake environment and a parse
// call pinned to a fixed file name so messages and paths are predictable.
#pragma once

#include <map>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "config/config.hpp"

namespace sb::testing {

inline const std::string kConfigFile = "/etc/switchboard/switchboard.yaml";

inline EnvLookup fakeEnv(std::map<std::string, std::string> values = {}) {
  return [values = std::move(values)](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

inline Result<Config> parse(const std::string& yaml, const EnvLookup& env = fakeEnv()) {
  return parseConfig(yaml, kConfigFile, env);
}

// Asserts a parse failed with exactly `message` (after the file name prefix)
// and that the Status names `field`.
inline void expectError(const std::string& yaml, const std::string& message,
                        const std::string& field, const EnvLookup& env = fakeEnv()) {
  Result<Config> result = parse(yaml, env);
  ASSERT_FALSE(result.isOk()) << "parsed without error:\n" << yaml;
  EXPECT_EQ(result.status().code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(result.status().message(), kConfigFile + ":" + message);
  EXPECT_EQ(result.status().field(), field);
}

}  // namespace sb::testing
