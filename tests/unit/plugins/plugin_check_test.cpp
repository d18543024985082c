// `plugin check`: a valid plugin passes; a plugin with malformed output, a
// broken one and a missing file fail with a readable report.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "plugins/plugin_check.hpp"
#include "test_plugin_paths.hpp"

namespace sb {
namespace {

using test::hostAbi;
using test::testPluginPath;

std::string bundledPluginPath(const std::string& id) {
  return std::string(SWITCHBOARD_BUNDLED_PLUGIN_DIR) + "/" + id + ".so";
}

// A fixture file, as --fixture reads it.
ProviderFixture fixtureFile(const std::string& path) {
  std::ifstream stream(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  auto fixture = parseProviderFixture(text, path);
  EXPECT_TRUE(fixture.isOk()) << fixture.status().message();
  return fixture ? fixture.value() : ProviderFixture{};
}

CheckReport checkWithFixture(const std::string& path, const std::string& fixturePath) {
  return checkPlugin(path, "{}", std::chrono::seconds(60), {}, fixtureFile(fixturePath));
}

// The lines of `report` that name a mapping of the scripted provider.
std::string mappingLines(const CheckReport& report) {
  std::string lines;
  for (const CheckItem& item : report.items) {
    if (item.name.find(" → ") == std::string::npos) continue;
    lines += std::string(item.passed ? "PASS " : "FAIL ") + item.name + "\n";
  }
  return lines;
}

// The mapping lines every provider answer gets from a plugin on the SDK's
// shared failure mappings (switchboard/provider.hpp, classify).
std::string sharedMappingLines(const std::string& schemaId, const std::string& on200) {
  const std::string prefix = "PASS on_status for \"" + schemaId + "\": ";
  return prefix + "200 → " + on200 + " ✓\n" +
         prefix + "401 → error, revoked, oauth_revoked ✓\n" +
         prefix + "429 → warning, rate_limited, retryAfter 42 ✓\n" +
         prefix + "500 → SB_ERR_UNAVAILABLE ✓\n" +
         prefix + "malformed JSON → SB_ERR_UNAVAILABLE ✓\n" +
         prefix + "oversized body → SB_ERR_UNAVAILABLE ✓\n" +
         prefix + "slow reply → SB_ERR_TIMEOUT ✓\n";
}

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

// Every status call runs against the scripted provider on loopback: the
// plugin's relative /health request reaches it, the 200 gives a document,
// and an adapter that does not map 401 to revoked fails that line.
TEST(PluginCheck, EveryStatusCallRunsAgainstTheScriptedProvider) {
  const CheckReport report = checkPlugin(testPluginPath("good_status"));
  EXPECT_FALSE(report.passed());
  const std::string text = report.render();
  EXPECT_NE(text.find("  PASS  on_status: 200 (no fixture) → connected ✓: 1 request(s) reached the provider (/health)\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("  FAIL  on_status: 401 → SB_ERR_UNAVAILABLE ✗: expected a document with error, revoked, "
                      "not SB_ERR_UNAVAILABLE (1 request(s) reached the provider; health probe failed)\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("  PASS  on_status: 500 → SB_ERR_UNAVAILABLE ✓: 1 request(s) reached the provider; "
                      "health probe failed\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("  PASS  on_status rejects \"not json\": returned SB_ERR_INVALID_ARGUMENT: "
                      "request must be a JSON object\n"),
            std::string::npos) << text;
}

// The request is built from the schema (placeholders, stand-ins for the rest),
// every document is checked with the server's own validator, and the refusal
// of a request without the required fields is the expected answer.
TEST(PluginCheck, AnInvalidDocumentForAGoodRequestFailsNamingTheField) {
  const CheckReport report = checkPlugin(testPluginPath("bad_status_document"));
  EXPECT_FALSE(report.passed());
  const std::string text = report.render();
  EXPECT_NE(text.find("  FAIL  on_status for \"bad-document\": 200 (no fixture) → an invalid document ✗: returned an "
                      "invalid status document: status document: actions[0].minRole must be owner, admin, editor or "
                      "viewer (0 request(s) reached the provider)\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("  PASS  on_status with an incomplete request for \"bad-document\" (no settings or secrets): "
                      "refused, as expected: SB_ERR_INVALID_ARGUMENT: settings.siteId is required\n"),
            std::string::npos) << text;
}

TEST(PluginCheck, MalformedOutputFailsWithAReadableReport) {
  const CheckReport report = checkPlugin(testPluginPath("malformed_output"));
  EXPECT_FALSE(report.passed());
  const std::string text = report.render();
  EXPECT_NE(text.find("  FAIL  on_status: 200 (no fixture) → an invalid document ✗: returned an invalid status "
                      "document: status document "),
            std::string::npos) << text;
  EXPECT_NE(text.find("  FAIL  on_status rejects \"not json\": accepted it with SB_OK\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("  FAIL  on_status rejects an empty request: accepted it with SB_OK\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("  FAIL  on_init rejects malformed settings \"{not json\": accepted them with SB_OK\n"),
            std::string::npos) << text;

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
  EXPECT_NE(text.find("  FAIL  on_status: 200 (no fixture) → SB_ERR_UNAVAILABLE ✗: the well-formed request needs a "
                      "valid document: returned SB_ERR_UNAVAILABLE; the provider answered {}: give its 200 body with "
                      "--fixture FILE"),
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
  EXPECT_EQ(last.name, "on_status with the provider answering 200 (no fixture)") << report.render();
  EXPECT_EQ(last.detail, "did not return within 2 s") << report.render();
}

// The template as authors copy it: without a fixture its reading of the
// reply refuses `{}`, and the check says what to do; with one, every
// mapping holds.
TEST(PluginCheck, TheTemplateNeedsAFixtureFor200) {
  const CheckReport report = checkPlugin(testPluginPath("sdk_template"));
  EXPECT_FALSE(report.passed());
  EXPECT_NE(report.render().find("  FAIL  on_status for \"example\": 200 (no fixture) → SB_ERR_UNAVAILABLE ✗: the "
                                 "well-formed request needs a valid document: returned SB_ERR_UNAVAILABLE: Example "
                                 "Cloud sent an unexpected reply: no \"state\" string; the provider answered {}: "
                                 "give its 200 body with --fixture FILE"),
            std::string::npos) << report.render();
}

TEST(PluginCheck, TheTemplatePassesWithAFixture) {
  const CheckReport report = checkWithFixture(testPluginPath("sdk_template"), SWITCHBOARD_TEMPLATE_FIXTURE);
  EXPECT_TRUE(report.passed()) << report.render();
  EXPECT_EQ(mappingLines(report), sharedMappingLines("example", "connected"))
      << report.render();
}

struct BundledCase {
  const char* id;
  const char* on200;  // what the fixture's body implies
};

class BundledPluginCheck : public ::testing::TestWithParam<BundledCase> {};

// The bundled plugins pass the check, each with a fixture of its provider's
// documented 200 reply (check_fixtures/<id>.json).
TEST_P(BundledPluginCheck, Passes) {
  const std::string id = GetParam().id;
  const CheckReport report =
      checkWithFixture(bundledPluginPath(id), std::string(SWITCHBOARD_CHECK_FIXTURE_DIR) + "/" + id + ".json");
  EXPECT_TRUE(report.passed()) << report.render();
  EXPECT_EQ(mappingLines(report), sharedMappingLines(id, GetParam().on200)) << report.render();
}

// GitHub's fixture was last pushed on 2026-11-23, more than its staleness
// window before any run of this test: a warning, as the body implies.
INSTANTIATE_TEST_SUITE_P(Bundled, BundledPluginCheck,
                         ::testing::Values(BundledCase{"vercel", "connected"}, BundledCase{"github", "warning"},
                                           BundledCase{"sanity", "connected"}, BundledCase{"supabase", "connected"}),
                         [](const auto& info) { return std::string(info.param.id); });

TEST(ProviderFixture, AWholeBodyOrABodyPerPath) {
  auto whole = parseProviderFixture(R"({"state": "ok"})", "f.json");
  ASSERT_TRUE(whole.isOk());
  EXPECT_TRUE(whole->given);
  EXPECT_EQ(whole->body, R"({"state":"ok"})");
  EXPECT_TRUE(whole->byPath.empty());

  auto byPath = parseProviderFixture(R"({"byPath": {"/v1/a": [1], "/v1/b": {"x": true}}})", "f.json");
  ASSERT_TRUE(byPath.isOk());
  EXPECT_EQ(byPath->body, "{}");
  EXPECT_EQ(byPath->byPath.at("/v1/a"), "[1]");
  EXPECT_EQ(byPath->byPath.at("/v1/b"), R"({"x":true})");

  auto invalid = parseProviderFixture("{nope", "f.json");
  ASSERT_FALSE(invalid.isOk());
  EXPECT_EQ(invalid.status().message(), "f.json: not valid JSON");
  auto notAnObject = parseProviderFixture(R"({"byPath": 3})", "f.json");
  ASSERT_FALSE(notAnObject.isOk());
  EXPECT_EQ(notAnObject.status().message(), "f.json: byPath must be an object");
}

}  // namespace
}  // namespace sb
