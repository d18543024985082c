// Secrets stay with their destination: a PUT that changes a field which
// decides where the plugin's requests go (the kitchen schema's `endpoint`)
// drops every stored secret it does not set again, and says which.
#include <gtest/gtest.h>

#include <string>

#include "kitchen_links.hpp"

namespace sb::testing {
namespace {

class DestinationFields : public Integrations {
 protected:
  // The owner's link: both secrets, pointed at a.example.
  void linkBothSecrets() {
    const HttpResult linked = put(R"({"settings":{"region":"eu","endpoint":"https://a.example"},)"
                                  R"("secrets":{"token":"owner_token","webhookSecret":"owner_hook"}})",
                                  "olivia");
    ASSERT_EQ(linked.status, 201) << linked.body;
  }
  static std::vector<std::string> dropped(const HttpResult& reply) {
    std::vector<std::string> names;
    const auto array = reply.json()->getArray("droppedSecrets");
    if (!array) return names;
    for (std::size_t i = 0; i < array->size(); ++i) names.push_back(array->getElement<std::string>(i));
    return names;
  }
};

TEST_F(DestinationFields, RepointingDropsEveryStoredSecretNotSentAgain) {
  linkBothSecrets();
  const HttpResult moved =
      put(R"({"settings":{"region":"eu","endpoint":"https://b.example"},"secrets":{"token":"admin_token"}})");
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(dropped(moved), std::vector<std::string>{"webhookSecret"});
  EXPECT_TRUE(moved.json()->getObject("secrets")->has("token"));
  EXPECT_FALSE(moved.json()->getObject("secrets")->has("webhookSecret"));
  // Nothing of the owner's is left to be sent to b.example.
  EXPECT_EQ(storedSecrets(), R"({"token":"admin_token"})");
  EXPECT_FALSE(get("olivia").json()->has("droppedSecrets")) << "only the PUT that dropped them says so";
}

TEST_F(DestinationFields, ARequiredSecretMustBeSentAgainOrNothingChanges) {
  linkBothSecrets();
  const HttpResult refused = put(R"({"settings":{"region":"eu","endpoint":"http://127.0.0.1:18399"}})");
  expectProblem(refused, 422, path(), "secrets.token");
  EXPECT_NE(refused.json()->getValue<std::string>("detail").find(
                "changing settings.endpoint drops the stored secrets.token, secrets.webhookSecret, so send them "
                "again"),
            std::string::npos)
      << refused.body;
  EXPECT_EQ(refused.body.find("owner_token"), std::string::npos);
  EXPECT_EQ(get("olivia").json()->getObject("settings")->getValue<std::string>("endpoint"), "https://a.example");
  EXPECT_EQ(storedSecrets(), R"({"token":"owner_token","webhookSecret":"owner_hook"})");
}

TEST_F(DestinationFields, SettingOrRemovingADestinationIsAChangeToo) {
  ASSERT_EQ(put(R"({"settings":{"region":"eu"},"secrets":{"token":"t","webhookSecret":"w"}})").status, 201);
  const HttpResult added = put(R"({"settings":{"region":"eu","endpoint":"https://c.example"},"secrets":{"token":"t2"}})");
  ASSERT_EQ(added.status, 200) << added.body;
  EXPECT_EQ(dropped(added), std::vector<std::string>{"webhookSecret"});
  ASSERT_EQ(put(R"({"settings":{"region":"eu","endpoint":"https://c.example"},"secrets":{"webhookSecret":"w2"}})")
                .status,
            200);
  const HttpResult removed = put(R"({"settings":{"region":"eu","endpoint":null},"secrets":{"token":"t3"}})");
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(dropped(removed), std::vector<std::string>{"webhookSecret"});
  EXPECT_EQ(storedSecrets(), R"({"token":"t3"})");
}

TEST_F(DestinationFields, OtherChangesKeepTheSecrets) {
  linkBothSecrets();
  const HttpResult same = put(R"({"settings":{"region":"us","label":"x","endpoint":"https://a.example"}})");
  ASSERT_EQ(same.status, 200) << same.body;
  EXPECT_FALSE(same.json()->has("droppedSecrets"));
  EXPECT_EQ(same.json()->getObject("secrets")->size(), 2u);
  EXPECT_EQ(storedSecrets(), R"({"token":"owner_token","webhookSecret":"owner_hook"})");
  // A field that is not a destination may point anywhere without effect on secrets.
  ASSERT_EQ(put(R"({"settings":{"region":"us","baseUrl":"https://x.example","endpoint":"https://a.example"}})")
                .status,
            200);
  EXPECT_EQ(storedSecrets(), R"({"token":"owner_token","webhookSecret":"owner_hook"})");
}

TEST_F(DestinationFields, OnlyRolesThatMayWriteSecretsChangeADestination) {
  linkBothSecrets();
  for (const std::string caller : {"ed", "vic"}) {
    expectProblem(put(R"({"settings":{"region":"eu","endpoint":"https://evil.example"},"secrets":{"token":"x"}})",
                      caller),
                  403, path());
  }
  EXPECT_EQ(get("olivia").json()->getObject("settings")->getValue<std::string>("endpoint"), "https://a.example");
  EXPECT_EQ(storedSecrets(), R"({"token":"owner_token","webhookSecret":"owner_hook"})");
}

TEST_F(DestinationFields, TheCatalogSaysWhichFieldsAreDestinationsAndTheirCaps) {
  const HttpResult schema = kitchenServer().get("/api/v1/integrations/schemas/kitchen", "vic");
  ASSERT_EQ(schema.status, 200) << schema.body;
  const auto fields = schema.json()->getArray("fields");
  ASSERT_TRUE(fields);
  std::map<std::string, Poco::JSON::Object::Ptr> byKey;
  for (std::size_t i = 0; i < fields->size(); ++i) {
    auto field = fields->getObject(static_cast<unsigned>(i));
    byKey[field->getValue<std::string>("key")] = field;
  }
  EXPECT_TRUE(byKey.at("endpoint")->getValue<bool>("destination"));
  EXPECT_FALSE(byKey.at("label")->getValue<bool>("destination"));
  EXPECT_EQ(byKey.at("code")->getValue<int>("maxLength"), 8);
  EXPECT_EQ(byKey.at("label")->getValue<int>("maxLength"), 4096);
  EXPECT_EQ(byKey.at("token")->getValue<int>("maxLength"), 16384);
  EXPECT_FALSE(byKey.at("retries")->has("maxLength"));
}

}  // namespace
}  // namespace sb::testing
