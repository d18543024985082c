// `plugin check`: a valid plugin passes; a plugin with malformed output, a
// broken one and a missing file fail with a readable report.
#include <gtest/gtest.h>

#include "plugins/plugin_check.hpp"
#include "test_plugin_paths.hpp"

namespace sb {
namespace {

using test::hostAbi;
using test::testPluginPath;

TEST(PluginCheck, GoodMinimalPasses) {
  const CheckReport report = checkPlugin(testPluginPath("good_minimal"));
  EXPECT_TRUE(report.passed()) << report.render();
  const std::string expected =
      "plugin check: " + testPluginPath("good_minimal") + "\n" +
      "  PASS  load and validate the ABI: id \"good-minimal\" version 1.0.0, ABI " + hostAbi() + ", 1 schema(s), "
      "capabilities: none\n"
      "  PASS  on_init rejects malformed settings \"{not json\": on_init failed with "
      "SB_ERR_INVALID_ARGUMENT: settings must be a JSON object\n"
      "  PASS  on_init with settings {}\n"
      "result: PASS (3 passed, 0 failed)\n";
  EXPECT_EQ(report.render(), expected);
}

TEST(PluginCheck, WellBehavedHooksPassWithTheNetworkDisabled) {
  const CheckReport report = checkPlugin(testPluginPath("good_status"));
  EXPECT_TRUE(report.passed()) << report.render();
  const std::string text = report.render();
  EXPECT_NE(text.find("  PASS  on_status handles a well-formed request: returned SB_ERR_UNAVAILABLE: "
                      "network disabled during plugin check\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("  PASS  on_status rejects \"not json\": returned SB_ERR_INVALID_ARGUMENT: "
                      "request must be a JSON object\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("  PASS  on_status rejects an empty request: "), std::string::npos) << text;
  EXPECT_NE(text.find("result: PASS (6 passed, 0 failed)\n"), std::string::npos) << text;
}

// The request is built from the schema (placeholders, stand-ins for the rest),
// every document is checked with the server's own validator, and the refusal
// of a request without the required fields is the expected answer.
TEST(PluginCheck, AnInvalidDocumentForAGoodRequestFailsNamingTheField) {
  const CheckReport report = checkPlugin(testPluginPath("bad_status_document"));
  EXPECT_FALSE(report.passed());
  const std::string text = report.render();
  EXPECT_NE(text.find("  FAIL  on_status handles a well-formed request for \"bad-document\": returned an invalid "
                      "status document: status document: actions[0].minRole must be owner, admin, editor or viewer\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("  PASS  on_status with an incomplete request for \"bad-document\" (no settings or secrets): "
                      "refused, as expected: SB_ERR_INVALID_ARGUMENT: settings.siteId is required\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("result: FAIL (6 passed, 1 failed)\n"), std::string::npos) << text;
}

TEST(PluginCheck, MalformedOutputFailsWithAReadableReport) {
  const CheckReport report = checkPlugin(testPluginPath("malformed_output"));
  EXPECT_FALSE(report.passed());
  const std::string text = report.render();
  EXPECT_NE(text.find("  FAIL  on_status handles a well-formed request: returned malformed JSON: "),
            std::string::npos) << text;
  EXPECT_NE(text.find("  FAIL  on_status rejects \"not json\": accepted it with SB_OK\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("  FAIL  on_status rejects an empty request: accepted it with SB_OK\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("  FAIL  on_init rejects malformed settings \"{not json\": accepted them with SB_OK\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("result: FAIL (2 passed, 4 failed)\n"), std::string::npos) << text;
}

TEST(PluginCheck, LoaderFailureIsReported) {
  const CheckReport report = checkPlugin(testPluginPath("abi_minor_newer"));
  EXPECT_FALSE(report.passed());
  EXPECT_EQ(report.render(), "plugin check: " + testPluginPath("abi_minor_newer") + "\n" +
                                 "  FAIL  load and validate the ABI: plugin ABI 1." +
                                 std::to_string(SB_ABI_VERSION_MINOR + 1) + " is newer than host ABI " + hostAbi() +
                                 "\n"
                                 "result: FAIL (0 passed, 1 failed)\n");
}

TEST(PluginCheck, ThrowingInitIsReportedNotFatal) {
  const CheckReport report = checkPlugin(testPluginPath("init_throws"));
  EXPECT_FALSE(report.passed());
  EXPECT_NE(report.render().find("FAIL  on_init rejects malformed settings \"{not json\": threw an "
                                 "exception: boom from on_init"),
            std::string::npos)
      << report.render();
}

// The check runs the plugin in a child process: a crash is a FAIL of the step
// that caused it, with the results before it kept, and the checker lives on.
TEST(PluginCheck, ACrashIsReportedAgainstTheStepThatCaused) {
  const CheckReport report = checkPlugin(testPluginPath("crashes_on_bad_input"));
  EXPECT_FALSE(report.passed());
  const std::string text = report.render();
  EXPECT_NE(text.find("  PASS  load and validate the ABI: "), std::string::npos) << text;
  EXPECT_NE(text.find("  FAIL  on_status handles a well-formed request: returned "
                      "SB_ERR_UNAVAILABLE without writing a reason\n"),
            std::string::npos) << text;
  ASSERT_FALSE(report.items.empty());
  const CheckItem& last = report.items.back();
  EXPECT_EQ(last.name, "on_status with \"not json\"") << text;
  EXPECT_FALSE(last.passed);
  // Plainly a signal; under AddressSanitizer its SEGV handler may end the
  // process itself, which is reported as an exit status instead.
  EXPECT_TRUE(last.detail.find("crashed the process (signal 11") == 0 ||
              last.detail.find("crashed the process (signal 6") == 0 ||
              last.detail.find("ended the process with exit status") == 0)
      << text;
}

TEST(PluginCheck, AHangIsReportedAfterTheTimeLimit) {
  const CheckReport report =
      checkPlugin(testPluginPath("hangs_in_status"), "{}", std::chrono::seconds(2));
  EXPECT_FALSE(report.passed());
  ASSERT_FALSE(report.items.empty());
  const CheckItem& last = report.items.back();
  EXPECT_EQ(last.name, "on_status with a well-formed request") << report.render();
  EXPECT_EQ(last.detail, "did not return within 2 s") << report.render();
}

}  // namespace
}  // namespace sb
