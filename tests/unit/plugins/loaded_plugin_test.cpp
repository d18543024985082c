// LoadedPlugin: hooks behind the barrier, JSON output validation and the
// sb_status -> ErrorCode mapping.
#include <gtest/gtest.h>

#include "plugins/loaded_plugin.hpp"
#include "plugins/plugin_loader.hpp"
#include "load_test_plugin.hpp"

namespace sb {
namespace {

std::shared_ptr<LoadedPlugin> load(const std::string& name) { return test::loadTestPlugin(name); }

TEST(LoadedPlugin, MalformedJsonOutputIsAnError) {
  auto plugin = load("malformed_output");
  ASSERT_NE(plugin, nullptr);
  Result<std::string> result = plugin->callStatus(R"({"projectId":"p","settings":{},"secrets":{}})");
  ASSERT_FALSE(result.isOk());
  EXPECT_EQ(result.status().code(), ErrorCode::Unavailable);
  EXPECT_EQ(result.status().message().rfind(
                "plugin malformed-output returned malformed JSON from on_status: ", 0),
            0u)
      << result.status().message();
}

TEST(LoadedPlugin, RawOutcomeShowsWhatThePluginDid) {
  auto plugin = load("malformed_output");
  ASSERT_NE(plugin, nullptr);
  const HookOutcome outcome = plugin->invoke(PluginHook::Status, "{}");
  EXPECT_TRUE(outcome.provided);
  EXPECT_FALSE(outcome.threw);
  EXPECT_EQ(outcome.status, SB_OK);
  EXPECT_EQ(outcome.output, "not json");
}

TEST(LoadedPlugin, MissingCapabilityIsNotFound) {
  auto plugin = load("good_minimal");
  ASSERT_NE(plugin, nullptr);
  EXPECT_FALSE(plugin->provides(PluginHook::Status));
  Result<std::string> result = plugin->callStatus("{}");
  ASSERT_FALSE(result.isOk());
  EXPECT_EQ(result.status().code(), ErrorCode::NotFound);
  EXPECT_EQ(result.status().message(), "plugin good-minimal does not provide on_status");
  EXPECT_EQ(plugin->syncRead("{}").status().message(), "plugin good-minimal does not provide on_read");
  EXPECT_EQ(plugin->actionsRun("x", "{}").status().message(),
            "plugin good-minimal does not provide on_run");
}

TEST(LoadedPlugin, StatusCodesMapToErrorCodes) {
  EXPECT_EQ(toErrorCode(SB_OK), ErrorCode::Ok);
  EXPECT_EQ(toErrorCode(SB_ERR_INVALID_ARGUMENT), ErrorCode::InvalidArgument);
  EXPECT_EQ(toErrorCode(SB_ERR_NOT_FOUND), ErrorCode::NotFound);
  EXPECT_EQ(toErrorCode(SB_ERR_TIMEOUT), ErrorCode::Timeout);
  EXPECT_EQ(toErrorCode(SB_ERR_UNAVAILABLE), ErrorCode::Unavailable);
  EXPECT_EQ(toErrorCode(SB_ERR_CONFLICT), ErrorCode::Conflict);
  EXPECT_EQ(toErrorCode(SB_ERR_INTERNAL), ErrorCode::Internal);
  EXPECT_EQ(toErrorCode(12345), ErrorCode::Internal);
  EXPECT_STREQ(sbStatusName(SB_ERR_RATE_LIMITED), "SB_ERR_RATE_LIMITED");
  EXPECT_STREQ(sbStatusName(-1), "unknown status");
}

TEST(LoadedPlugin, JsonProblemDetectsMalformedDocuments) {
  EXPECT_EQ(jsonProblem(R"({"a":[1,2]})"), "");
  EXPECT_NE(jsonProblem("not json"), "");
  EXPECT_NE(jsonProblem(""), "");
}

}  // namespace
}  // namespace sb
