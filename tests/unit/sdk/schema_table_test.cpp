#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>

#include "switchboard/conformance.hpp"
#include "switchboard/schema.hpp"

using switchboard::Field;
using switchboard::Schema;
using switchboard::SchemaTable;

namespace {

std::string_view view(sb_str s) { return switchboard::toView(s); }

std::vector<Schema> sampleSchemas() {
  return {Schema("acme")
              .name("Acme")
              .category("hosting")
              .description("Acme hosting")
              .docsUrl("https://acme.example/docs")
              .displayOrder(7)
              .featured()
              .field(Field::string("token").org().required().secret().description("API token"))
              .field(Field::select("region", {"eu", "us"}).project().placeholder("eu"))
              .field(Field::integer("retries"))
              .field(Field::boolean("verbose").project())
              .field(Field::url("baseUrl").destination().maxLength(2048)),
          Schema("acme-lite").name("Acme Lite").category("hosting")};
}

}  // namespace

TEST(SchemaTable, ProducesTheDeclaredStructs) {
  const SchemaTable table(sampleSchemas());
  ASSERT_EQ(table.size(), 2u);
  const sb_integration_schema& acme = table.data()[0];
  EXPECT_EQ(acme.struct_size, sizeof(sb_integration_schema));
  EXPECT_EQ(view(acme.id), "acme");
  EXPECT_EQ(view(acme.name), "Acme");
  EXPECT_EQ(view(acme.category), "hosting");
  EXPECT_EQ(view(acme.description), "Acme hosting");
  EXPECT_EQ(view(acme.docs_url), "https://acme.example/docs");
  EXPECT_EQ(acme.icon_url.data, nullptr);  // absent string is {NULL, 0}
  EXPECT_EQ(acme.icon_url.len, 0u);
  EXPECT_EQ(acme.display_order, 7);
  EXPECT_EQ(acme.featured, 1);
  ASSERT_EQ(acme.field_count, 5u);

  const sb_schema_field& token = acme.fields[0];
  EXPECT_EQ(token.struct_size, sizeof(sb_schema_field));
  EXPECT_EQ(view(token.key), "token");
  EXPECT_EQ(token.type, static_cast<sb_field_type>(SB_FIELD_STRING));
  EXPECT_EQ(token.level, static_cast<sb_field_level>(SB_LEVEL_ORG));
  EXPECT_EQ(token.required, 1);
  EXPECT_EQ(token.secret, 1);
  EXPECT_EQ(view(token.description), "API token");
  EXPECT_EQ(token.options, nullptr);

  const sb_schema_field& region = acme.fields[1];
  EXPECT_EQ(region.type, static_cast<sb_field_type>(SB_FIELD_SELECT));
  EXPECT_EQ(region.level, static_cast<sb_field_level>(SB_LEVEL_PROJECT));
  EXPECT_EQ(region.required, 0);
  EXPECT_EQ(region.secret, 0);
  EXPECT_EQ(view(region.placeholder), "eu");
  ASSERT_EQ(region.option_count, 2u);
  EXPECT_EQ(view(region.options[0]), "eu");
  EXPECT_EQ(view(region.options[1]), "us");

  EXPECT_EQ(acme.fields[2].type, static_cast<sb_field_type>(SB_FIELD_INTEGER));
  EXPECT_EQ(acme.fields[3].type, static_cast<sb_field_type>(SB_FIELD_BOOLEAN));
  EXPECT_EQ(acme.fields[4].type, static_cast<sb_field_type>(SB_FIELD_URL));
  // Since ABI 1.1.
  EXPECT_EQ(acme.fields[4].destination, 1);
  EXPECT_EQ(acme.fields[4].max_length, 2048u);
  EXPECT_EQ(token.destination, 0);
  EXPECT_EQ(token.max_length, 0u);

  const sb_integration_schema& lite = table.data()[1];
  EXPECT_EQ(view(lite.id), "acme-lite");
  EXPECT_EQ(lite.featured, 0);
  EXPECT_EQ(lite.field_count, 0u);
  EXPECT_EQ(lite.fields, nullptr);
}

TEST(SchemaTable, StorageOutlivesTheBuildersAndStaysPut) {
  // The builders are temporaries; the table alone must keep every byte alive,
  // including short strings that would live inside a moved std::string.
  auto table = std::make_unique<SchemaTable>(sampleSchemas());
  const sb_integration_schema* before = table->data();
  const char* keyBefore = before[0].fields[0].key.data;
  std::vector<std::string> churn(1000, std::string(64, 'x'));  // reuse freed heap memory
  EXPECT_EQ(table->data(), before);
  EXPECT_EQ(table->data()[0].fields[0].key.data, keyBefore);
  EXPECT_EQ(view(table->data()[0].fields[0].key), "token");
  EXPECT_EQ(view(table->data()[0].fields[1].options[1]), "us");
}

TEST(SchemaTable, EmptyDeclarationIsNull) {
  const SchemaTable table(std::vector<Schema>{});
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(table.data(), nullptr);
}

TEST(Conformance, FlagsBadSchemas) {
  const SchemaTable table({Schema("Bad Id").name("x").category("c").field(Field::string("9key")).field(
                               Field::select("mode", {})).field(Field::select("tier", {"a", "a", ""})),
                           Schema("dup").category("c").field(Field::string("a")).field(Field::string("a")),
                           Schema("v11").name("x").category("c")
                               .field(Field::string("token").secret().destination())
                               .field(Field::boolean("flag").maxLength(4))
                               .field(Field::string("huge").maxLength(SB_MAX_FIELD_LENGTH + 1))});
  sb_plugin plugin{};
  plugin.abi_major = SB_ABI_VERSION_MAJOR;
  plugin.abi_minor = SB_ABI_VERSION_MINOR;
  plugin.struct_size = sizeof(sb_plugin);
  plugin.id = switchboard::toSb("bad");
  plugin.name = switchboard::toSb("Bad");
  plugin.version = switchboard::toSb("1.0.0");
  plugin.schemas = table.data();
  plugin.schema_count = table.size();
  const auto problems = switchboard::descriptorProblems(&plugin);
  auto has = [&](std::string_view needle) {
    for (const auto& p : problems) {
      if (p.find(needle) != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_TRUE(has("schemas[Bad Id]: id must match"));
  EXPECT_TRUE(has("fields[9key]: key must match"));
  EXPECT_TRUE(has("fields[mode]: a select field needs options"));
  EXPECT_TRUE(has("fields[tier]: duplicate option \"a\""));
  EXPECT_TRUE(has("fields[tier]: option #2 is empty"));
  EXPECT_TRUE(has("schemas[dup]: name is empty"));
  EXPECT_TRUE(has("fields[a]: duplicate key"));
  EXPECT_TRUE(has("fields[token]: a secret field cannot be a destination"));
  EXPECT_TRUE(has("fields[flag]: max_length on an integer or boolean field"));
  EXPECT_TRUE(has("fields[huge]: max_length is larger than 65536"));
  EXPECT_TRUE(has("on_init is NULL"));
  EXPECT_TRUE(has("on_destroy is NULL"));
  plugin.description = sb_str{nullptr, 3};
  const auto withBadSlice = switchboard::descriptorProblems(&plugin);
  EXPECT_NE(std::find(withBadSlice.begin(), withBadSlice.end(), "description has a NULL pointer with a length"),
            withBadSlice.end());
}

TEST(Conformance, RefusesForeignAbiBeforeReadingMore) {
  sb_plugin plugin{};
  plugin.abi_major = SB_ABI_VERSION_MAJOR + 1;
  const auto problems = switchboard::descriptorProblems(&plugin);
  ASSERT_EQ(problems.size(), 1u);
  const std::string expected = "ABI " + std::to_string(SB_ABI_VERSION_MAJOR + 1) + ".0 is not compatible with " +
                               std::to_string(SB_ABI_VERSION_MAJOR) + "." + std::to_string(SB_ABI_VERSION_MINOR);
  EXPECT_EQ(problems[0], expected);
  EXPECT_EQ(switchboard::descriptorProblems(nullptr), std::vector<std::string>{"the entry function returned NULL"});
}
