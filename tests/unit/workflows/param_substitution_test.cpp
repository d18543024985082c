#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include "workflows/param_substitution.hpp"

namespace sb::workflows {
namespace {

const std::vector<WorkflowParameter> kDeclared{{"env", "string", true, ""},
                                               {"retries", "integer", false, "3"},
                                               {"dry", "boolean", false, "false"},
                                               {"note", "string", false, ""}};

Result<std::string> substituted(const std::string& params, const std::string& values = R"({"env":"prod","retries":3,"dry":true})") {
  const auto object = Poco::JSON::Parser().parse(values).extract<Poco::JSON::Object::Ptr>();
  return substituteParams(params, *object, kDeclared, "step 1 of workflow 'w'");
}

TEST(ParamSubstitution, AWholeStringReferenceKeepsTheType) {
  auto out = substituted(R"({"n":"${{ params.retries }}","dry":"${{params.dry}}","env":"${{  params.env  }}"})");
  ASSERT_TRUE(out) << out.status().message();
  auto object = Poco::JSON::Parser().parse(*out).extract<Poco::JSON::Object::Ptr>();
  EXPECT_TRUE(object->get("n").isInteger());
  EXPECT_EQ(object->getValue<int>("n"), 3);
  EXPECT_TRUE(object->get("dry").isBoolean());
  EXPECT_TRUE(object->getValue<bool>("dry"));
  EXPECT_EQ(object->getValue<std::string>("env"), "prod");
}

TEST(ParamSubstitution, AnEmbeddedReferenceIsStringifiedAtAnyDepth) {
  auto out = substituted(R"({"msg":"deploy ${{ params.env }} x${{ params.retries }} dry=${{ params.dry }}",)"
                         R"("nested":{"list":["a-${{ params.env }}", 1, "${{ params.retries }}"]}})");
  ASSERT_TRUE(out) << out.status().message();
  auto object = Poco::JSON::Parser().parse(*out).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(object->getValue<std::string>("msg"), "deploy prod x3 dry=true");
  auto list = object->getObject("nested")->getArray("list");
  EXPECT_EQ(list->getElement<std::string>(0), "a-prod");
  EXPECT_EQ(list->getElement<int>(1), 1);
  EXPECT_EQ(list->getElement<int>(2), 3);
}

TEST(ParamSubstitution, ADeclaredParameterWithoutAValueDropsTheKey) {
  auto out = substituted(R"({"note":"${{ params.note }}","text":"[${{ params.note }}]","keep":"plain"})");
  ASSERT_TRUE(out) << out.status().message();
  auto object = Poco::JSON::Parser().parse(*out).extract<Poco::JSON::Object::Ptr>();
  EXPECT_FALSE(object->has("note"));
  EXPECT_EQ(object->getValue<std::string>("text"), "[]");
  EXPECT_EQ(object->getValue<std::string>("keep"), "plain");
}

TEST(ParamSubstitution, UnknownAndMalformedReferencesAreInvalidArguments) {
  for (const char* params : {R"({"a":"${{ params.nope }}"})", R"({"a":"${{ env }}"})", R"({"a":"x ${{ params.env"})",
                             R"({"a":"${{ params. }}"})", R"({"a":["${{ secrets.token }}"]})"}) {
    auto out = substituted(params);
    ASSERT_FALSE(out) << params;
    EXPECT_EQ(out.status().code(), ErrorCode::InvalidArgument) << params;
    EXPECT_EQ(out.status().field(), "steps");
    EXPECT_NE(out.status().message().find("step 1 of workflow 'w'"), std::string::npos) << out.status().message();
  }
}

}  // namespace
}  // namespace sb::workflows
