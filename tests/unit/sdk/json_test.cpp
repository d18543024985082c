#include <gtest/gtest.h>

#include <string>

#include "switchboard/json.hpp"

namespace json = switchboard::json;

TEST(JsonValidate, AcceptsWellFormedDocuments) {
  for (const char* text : {"{}", "[]", "0", "-0.5e+10", "1E3", "\"a\\u00e9\\n\"", "true", "false", "null",
                           " { \"a\" : [1, 2.0, {\"b\": null}], \"c\": \"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\" } \n"}) {
    EXPECT_FALSE(json::validate(text).has_value()) << text;
  }
}

TEST(JsonValidate, RejectsMalformedDocumentsWithOffset) {
  struct Case {
    const char* text;
    std::size_t offset;
  };
  for (const Case& c : {Case{"", 0}, Case{"{", 1}, Case{"{\"a\":}", 5}, Case{"{\"a\" 1}", 5}, Case{"[1,]", 3},
                        Case{"[1 2]", 3}, Case{"01", 1}, Case{"1.", 2}, Case{"-", 1}, Case{"tru", 0},
                        Case{"\"abc", 4}, Case{"\"\\x\"", 2}, Case{"\"\\u12G4\"", 5}, Case{"{} x", 3},
                        Case{"{'a':1}", 1}, Case{"[1,2", 4}, Case{"NaN", 0}}) {
    auto problem = json::validate(c.text);
    ASSERT_TRUE(problem.has_value()) << c.text;
    EXPECT_EQ(problem->offset, c.offset) << c.text << ": " << problem->reason;
    EXPECT_NE(problem->describe().find("invalid JSON at byte"), std::string::npos);
  }
}

TEST(JsonValidate, RejectsControlCharactersAndBadUtf8) {
  EXPECT_TRUE(json::validate(std::string("\"a\x01\"")).has_value());
  EXPECT_TRUE(json::validate("\"\xc0\xaf\"").has_value());          // overlong '/'
  EXPECT_TRUE(json::validate("\"\xed\xa0\x80\"").has_value());      // UTF-16 surrogate
  EXPECT_TRUE(json::validate("\"\xf4\x90\x80\x80\"").has_value());  // above U+10FFFF
  EXPECT_TRUE(json::validate("\"\xe2\x82\"").has_value());          // truncated
  EXPECT_TRUE(json::validate(std::string("{\"a\":1}\0", 8)).has_value());
}

TEST(JsonValidate, BoundsNestingDepth) {
  const std::string shallow = std::string(100, '[') + std::string(100, ']');
  EXPECT_FALSE(json::validate(shallow).has_value());
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  auto problem = json::validate(deep);
  ASSERT_TRUE(problem.has_value());
  EXPECT_NE(problem->reason.find("nesting"), std::string::npos);
}

TEST(JsonValidateObject, RequiresTopLevelObject) {
  EXPECT_FALSE(json::validateObject("{\"a\":1}").has_value());
  auto problem = json::validateObject("[1]");
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->reason, "expected a JSON object");
  EXPECT_TRUE(json::validateObject("{").has_value());
}

TEST(JsonQuote, EscapesSoTheResultValidates) {
  EXPECT_EQ(json::quote("plain"), "\"plain\"");
  EXPECT_EQ(json::quote("a\"b\\c\nd\x01"), "\"a\\\"b\\\\c\\nd\\u0001\"");
  const std::string nasty = std::string("\"\\/\b\f\n\r\t\x1f") + "\xc3\xa9";
  EXPECT_FALSE(json::validate(json::quote(nasty)).has_value());
}
