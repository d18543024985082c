// Strict input on the integration routes: duplicate JSON keys are 400 naming
// the key; values longer than their cap and control characters in settings
// are 422 naming the field; the JSON depth and number limits still hold. (Caps of a
// whole kilobyte and more are tested end to end in tests/integration, whose
// server takes bodies larger than this one's 4 KiB.)
#include <gtest/gtest.h>

#include <string>

#include "kitchen_links.hpp"

namespace sb::testing {
namespace {

TEST_F(Integrations, DuplicateKeysAre400NamingTheKey) {
  expectProblem(put(R"({"settings":{"region":"eu","region":"us"},"secrets":{"token":"t"}})"), 400, path(),
                "settings.region");
  expectProblem(put(R"({"settings":{"region":"eu"},"settings":{"region":"us"}})"), 400, path(), "settings");
  expectProblem(put(R"({"settings":{"region":"eu"},"secrets":{"token":"a","token":"b"}})"), 400, path(),
                "secrets.token");
  const HttpResult project = kitchenServer().send("POST", "/api/v1/projects", "adam", R"({"name":"first","name":"second"})");
  expectProblem(project, 400, "/api/v1/projects", "name");
  EXPECT_NE(project.json()->getValue<std::string>("detail").find("duplicate key 'name'"), std::string::npos);
  // The same key in different objects is no duplicate.
  EXPECT_EQ(put(R"({"settings":{"region":"eu","label":"token"},"secrets":{"token":"t"}})").status, 201);
  EXPECT_EQ(get("olivia").json()->getObject("settings")->getValue<std::string>("region"), "eu");
}

TEST_F(Integrations, DepthAndNumberLimitsStill400) {
  std::string deep = R"({"settings":{"region":"eu","label":)";
  for (int i = 0; i < 20; ++i) deep += "[";
  for (int i = 0; i < 20; ++i) deep += "]";
  deep += "}}";
  expectProblem(put(deep), 400, path());
  // Numbers beyond what a double holds are malformed input, not infinity.
  expectProblem(put(R"({"settings":{"region":"eu","retries":1e999999},"secrets":{"token":"t"}})"), 400, path());
  expectProblem(put(R"({"settings":{"region":"eu","retries":123456789012345678901234567890},"secrets":{"token":"t"}})"),
                400, path());
  EXPECT_EQ(get("olivia").status, 404) << "nothing was stored";
}

TEST_F(Integrations, ValuesLongerThanTheirFieldsCapAre422) {
  expectInvalid(R"({"settings":{"region":"eu","code":"123456789"},"secrets":{"token":"t"}})", "settings.code");
  const HttpResult refused = put(R"({"settings":{"region":"eu","code":"123456789"},"secrets":{"token":"t"}})");
  EXPECT_EQ(refused.json()->getValue<std::string>("detail"), "'code' is longer than 8 bytes");
  // The cap counts bytes: eight two-byte characters are 16 bytes.
  expectInvalid(R"({"settings":{"region":"eu","code":"ééééé"},"secrets":{"token":"t"}})", "settings.code");
  ASSERT_EQ(put(R"({"settings":{"region":"eu","code":"12345678"},"secrets":{"token":"t"}})").status, 201);
}

TEST_F(Integrations, ControlCharactersInSettingsAre422) {
  for (const std::string value : {R"(acme/web\u0000evil)", R"(a\u001b[31mred)", R"(line\nbreak)", R"(tab\there)",
                                  R"(del\u007f)"}) {
    SCOPED_TRACE(value);
    const HttpResult refused = put(R"({"settings":{"region":"eu","label":")" + value + R"("},"secrets":{"token":"t"}})");
    expectProblem(refused, 422, path(), "settings.label");
    EXPECT_NE(refused.json()->getValue<std::string>("detail").find("must not contain"), std::string::npos);
  }
  EXPECT_EQ(get("olivia").status, 404) << "no refused PUT stored anything";
}

TEST_F(Integrations, SecretsMaySpanLinesButNeverHoldANul) {
  expectInvalid(R"({"settings":{"region":"eu"},"secrets":{"token":"tok\u0000en"}})", "secrets.token");
  const HttpResult refused = put(R"({"settings":{"region":"eu"},"secrets":{"token":"tok\u0000en"}})");
  EXPECT_EQ(refused.json()->getValue<std::string>("detail"), "'token' must not contain a NUL character");
  ASSERT_EQ(put(R"({"settings":{"region":"eu"},"secrets":{"token":"t","webhookSecret":"-----BEGIN\nKEY\n-----END"}})")
                .status,
            201);
  EXPECT_EQ(storedSecrets(), R"({"token":"t","webhookSecret":"-----BEGIN\nKEY\n-----END"})");
}

}  // namespace
}  // namespace sb::testing
