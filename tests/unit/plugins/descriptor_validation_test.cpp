// Declaration rules checked on in-memory descriptors: each test breaks one
// rule of an otherwise valid descriptor and asserts the exact message.
#include <gtest/gtest.h>

#include "plugins/descriptor_validation.hpp"

namespace sb {
namespace {

sb_str text(const char* value) { return {value, std::char_traits<char>::length(value)}; }

sb_status initOk(const sb_host_api*, sb_str, void**, sb_output*) { return SB_OK; }
void destroyNothing(void*) {}
sb_status statusOk(void*, sb_call*, sb_str, sb_output*) { return SB_OK; }

class DescriptorValidation : public ::testing::Test {
 protected:
  void SetUp() override {
    options_[0] = text("a");
    options_[1] = text("b");
    for (auto& field : fields_) {
      field = sb_schema_field{};
      field.struct_size = sizeof(sb_schema_field);
    }
    fields_[0].key = text("token");
    fields_[1].key = text("mode");
    fields_[1].type = SB_FIELD_SELECT;
    fields_[1].level = SB_LEVEL_PROJECT;
    fields_[1].options = options_;
    fields_[1].option_count = 2;
    for (auto& schema : schemas_) {
      schema = sb_integration_schema{};
      schema.struct_size = sizeof(sb_integration_schema);
      schema.name = text("Example");
    }
    schemas_[0].id = text("example");
    schemas_[0].fields = fields_;
    schemas_[0].field_count = 2;
    schemas_[1].id = text("example-two");
    status_ = sb_status_adapter{};
    status_.struct_size = sizeof(sb_status_adapter);
    status_.on_status = statusOk;
    plugin_ = sb_plugin{};
    plugin_.abi_major = SB_ABI_VERSION_MAJOR;
    plugin_.abi_minor = SB_ABI_VERSION_MINOR;
    plugin_.struct_size = sizeof(sb_plugin);
    plugin_.id = text("example");
    plugin_.name = text("Example");
    plugin_.version = text("1.0.0");
    plugin_.schemas = schemas_;
    plugin_.schema_count = 2;
    plugin_.on_init = initOk;
    plugin_.on_destroy = destroyNothing;
    plugin_.status_adapter = &status_;
  }

  std::string error() {
    Result<ValidatedDescriptor> result = validateDescriptor(plugin_);
    return result.isOk() ? std::string("(valid)") : result.status().message();
  }

  sb_str options_[2];
  sb_schema_field fields_[2];
  sb_integration_schema schemas_[2];
  sb_status_adapter status_;
  sb_plugin plugin_;
};

TEST_F(DescriptorValidation, ValidDescriptorConverts) {
  Result<ValidatedDescriptor> result = validateDescriptor(plugin_);
  ASSERT_TRUE(result.isOk()) << result.status().message();
  EXPECT_EQ(result->capabilities, std::vector<std::string>{"status"});
  ASSERT_EQ(result->schemas.size(), 2u);
  EXPECT_EQ(result->schemas[0].pluginId, "example");
  EXPECT_EQ(result->schemas[0].fields[1].type, "select");
  EXPECT_EQ(result->schemas[0].fields[1].level, "project");
  EXPECT_EQ(result->schemas[0].fields[1].options, (std::vector<std::string>{"a", "b"}));
}

TEST_F(DescriptorValidation, SelectWithoutOptions) {
  fields_[1].option_count = 0;
  EXPECT_EQ(error(), "schema \"example\" field \"mode\": select field has no options");
}

TEST_F(DescriptorValidation, UnknownFieldTypeAndLevel) {
  fields_[0].type = 9;
  EXPECT_EQ(error(), "schema \"example\" field \"token\": unknown type 9");
  fields_[0].type = SB_FIELD_URL;
  fields_[0].level = 7;
  EXPECT_EQ(error(), "schema \"example\" field \"token\": unknown level 7");
}

TEST_F(DescriptorValidation, EmptyAndMalformedFieldKeys) {
  fields_[0].key = text("");
  EXPECT_EQ(error(), "schema \"example\" field #0: invalid key \"\": must match "
                     "[a-z][a-zA-Z0-9_]* (at most 64 characters)");
  fields_[0].key = text("Bad-Key");
  EXPECT_EQ(error(), "schema \"example\" field #0: invalid key \"Bad-Key\": must match "
                     "[a-z][a-zA-Z0-9_]* (at most 64 characters)");
}

TEST_F(DescriptorValidation, DuplicateAndMalformedSchemaIds) {
  schemas_[1].id = text("example");
  EXPECT_EQ(error(), "schema \"example\": duplicate schema id");
  schemas_[1].id = text("Bad Id");
  EXPECT_EQ(error(), "schema #1: invalid id \"Bad Id\": must match [a-z0-9][a-z0-9_-]* "
                     "(at most 64 characters)");
}

TEST_F(DescriptorValidation, EmptyNames) {
  schemas_[1].name = text("");
  EXPECT_EQ(error(), "schema \"example-two\": name is empty");
  plugin_.name = text("");
  EXPECT_EQ(error(), "plugin \"example\": name is empty");
}

TEST_F(DescriptorValidation, NullStringWithLength) {
  plugin_.description = {nullptr, 5};
  EXPECT_EQ(error(), "plugin \"example\" description has a NULL pointer with length 5");
}

TEST_F(DescriptorValidation, TextMustBeUtf8) {
  plugin_.description = text("caf\xC3\xA9 \xE2\x9C\x93");
  EXPECT_EQ(error(), "(valid)");
  plugin_.description = text("bad \xC3");
  EXPECT_EQ(error(), "plugin \"example\" description is not valid UTF-8");
  plugin_.description = text("overlong \xC0\xAF");
  EXPECT_EQ(error(), "plugin \"example\" description is not valid UTF-8");
  plugin_.description = text("surrogate \xED\xA0\x80");
  EXPECT_EQ(error(), "plugin \"example\" description is not valid UTF-8");
}

TEST_F(DescriptorValidation, StructSmallerThanTheMinimum) {
  plugin_.struct_size = 16;
  EXPECT_EQ(error(), "sb_plugin struct_size 16 is smaller than the ABI 1.0 minimum " +
                         std::to_string(sizeof(sb_plugin)));
}

TEST_F(DescriptorValidation, CapabilityTableSizes) {
  status_.struct_size = sizeof(sb_status_adapter) + 8;
  EXPECT_EQ(error(), "sb_status_adapter struct_size " + std::to_string(sizeof(sb_status_adapter) + 8) +
                         " is larger than the host's " + std::to_string(sizeof(sb_status_adapter)) +
                         " for ABI 1.0");
}

TEST_F(DescriptorValidation, SchemaAndFieldStructSizes) {
  schemas_[0].struct_size = 8;
  EXPECT_EQ(error(), "schema #0: sb_integration_schema struct_size 8 is smaller than the ABI 1.0 "
                     "minimum " + std::to_string(sizeof(sb_integration_schema)));
  schemas_[0].struct_size = sizeof(sb_integration_schema);
  fields_[1].struct_size = 4096;
  EXPECT_EQ(error(), "schema \"example\" field #1: sb_schema_field struct_size 4096 differs from "
                     "the first element's " + std::to_string(sizeof(sb_schema_field)));
}

TEST_F(DescriptorValidation, FlagsMustBeZeroOrOne) {
  fields_[0].required = 2;
  EXPECT_EQ(error(), "schema \"example\" field \"token\": required must be 0 or 1");
}

TEST_F(DescriptorValidation, OptionalDiscoverMayBeNull) {
  sb_connection_provider provider{};
  provider.struct_size = sizeof(provider);
  provider.on_describe = [](void*, sb_output*) -> sb_status { return SB_OK; };
  plugin_.connection_provider = &provider;
  EXPECT_EQ(error(), "required function sb_connection_provider.on_token_response is NULL");
  provider.on_token_response = [](void*, sb_call*, sb_str, sb_output*) -> sb_status { return SB_OK; };
  EXPECT_EQ(error(), "(valid)");
}

}  // namespace
}  // namespace sb
