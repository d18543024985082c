// Declaration rules checked on in-memory descriptors: each test breaks one
// rule of an otherwise valid descriptor and asserts the exact message.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>
#include <vector>

#include "plugins/descriptor_validation.hpp"
#include "test_plugin_paths.hpp"

namespace sb {
namespace {

using test::hostAbi;

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
  EXPECT_EQ(error(), "sb_plugin struct_size 16 is smaller than the ABI " + hostAbi() + " minimum " +
                         std::to_string(sizeof(sb_plugin)));
}

TEST_F(DescriptorValidation, CapabilityTableSizes) {
  status_.struct_size = sizeof(sb_status_adapter) + 8;
  EXPECT_EQ(error(), "sb_status_adapter struct_size " + std::to_string(sizeof(sb_status_adapter) + 8) +
                         " is larger than the host's " + std::to_string(sizeof(sb_status_adapter)) +
                         " for ABI " + hostAbi());
}

TEST_F(DescriptorValidation, SchemaAndFieldStructSizes) {
  schemas_[0].struct_size = 8;
  EXPECT_EQ(error(), "schema #0: sb_integration_schema struct_size 8 is smaller than the ABI " + hostAbi() +
                         " minimum " + std::to_string(sizeof(sb_integration_schema)));
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

// ---- ABI 1.1: destination and max_length ------------------------------------

TEST_F(DescriptorValidation, DestinationAndMaxLengthAreRead) {
  fields_[0].max_length = 64;
  fields_[1].destination = 1;
  fields_[1].max_length = 0;
  Result<ValidatedDescriptor> result = validateDescriptor(plugin_);
  ASSERT_TRUE(result.isOk()) << result.status().message();
  const auto& fields = result->schemas[0].fields;
  EXPECT_FALSE(fields[0].destination);
  EXPECT_EQ(fields[0].maxLength, 64u);
  EXPECT_TRUE(fields[1].destination);
  EXPECT_EQ(fields[1].maxLength, 0u);
  EXPECT_EQ(fields[1].effectiveMaxLength(), kDefaultSettingMaxLength);
}

TEST_F(DescriptorValidation, DestinationAndMaxLengthRules) {
  fields_[0].destination = 2;
  EXPECT_EQ(error(), "schema \"example\" field \"token\": destination must be 0 or 1");
  fields_[0].destination = 1;
  fields_[0].secret = 1;
  EXPECT_EQ(error(), "schema \"example\" field \"token\": a secret field cannot be a destination field");
  fields_[0].destination = 0;
  fields_[0].type = SB_FIELD_BOOLEAN;
  fields_[0].max_length = 10;
  EXPECT_EQ(error(), "schema \"example\" field \"token\": max_length applies to string, url and select fields only");
  fields_[0].type = SB_FIELD_STRING;
  fields_[0].max_length = SB_MAX_FIELD_LENGTH + 1;
  EXPECT_EQ(error(), "schema \"example\" field \"token\": max_length 65537 is larger than 65536");
  fields_[0].max_length = SB_MAX_FIELD_LENGTH;
  EXPECT_EQ(error(), "(valid)");
}

// A plugin built against ABI 1.0 lays its fields out with the 1.0 stride;
// what 1.1 appended reads as absent.
TEST_F(DescriptorValidation, AnAbi10FieldArrayStillConverts) {
  constexpr std::size_t kSize10 = offsetof(sb_schema_field, destination);
  std::vector<unsigned char> packed(2 * kSize10);
  for (std::size_t i = 0; i < 2; ++i) {
    fields_[i].struct_size = static_cast<uint32_t>(kSize10);
    std::memcpy(packed.data() + i * kSize10, &fields_[i], kSize10);
  }
  schemas_[0].fields = reinterpret_cast<const sb_schema_field*>(packed.data());
  plugin_.abi_minor = 0;
  Result<ValidatedDescriptor> result = validateDescriptor(plugin_);
  ASSERT_TRUE(result.isOk()) << result.status().message();
  ASSERT_EQ(result->schemas[0].fields.size(), 2u);
  EXPECT_EQ(result->schemas[0].fields[1].key, "mode");
  EXPECT_EQ(result->schemas[0].fields[1].options, (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(result->schemas[0].fields[1].destination);
  EXPECT_EQ(result->schemas[0].fields[1].maxLength, 0u);
}

TEST_F(DescriptorValidation, AnAbi10PluginCannotDeclareTheLargerField) {
  plugin_.abi_minor = 0;
  EXPECT_EQ(error(), "schema \"example\" field #0: sb_schema_field struct_size " +
                         std::to_string(sizeof(sb_schema_field)) + " is larger than ABI 1.0's " +
                         std::to_string(offsetof(sb_schema_field, destination)));
}

}  // namespace
}  // namespace sb
