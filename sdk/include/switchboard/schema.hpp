// switchboard/schema.hpp -- builders for integration schemas and the table that
// turns them into the sb_* structs of abi.h. The host keeps pointers into these
// structs for the life of the library, so a SchemaTable owns every byte it
// points to and is neither copyable nor movable; keep it in a static.
// Thread-safety: build once (e.g. in a function-local static); afterwards the
// table is immutable and may be read from any thread.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "switchboard/abi.h"

namespace switchboard {

enum class FieldType : sb_field_type {
  String = SB_FIELD_STRING,
  Url = SB_FIELD_URL,
  Integer = SB_FIELD_INTEGER,
  Boolean = SB_FIELD_BOOLEAN,
  Select = SB_FIELD_SELECT,
};

enum class Level : sb_field_level { Org = SB_LEVEL_ORG, Project = SB_LEVEL_PROJECT };

// One setting of an integration. Fields default to optional, non-secret and
// org level; chain setters to change that.
class Field {
 public:
  static Field string(std::string key) { return Field(FieldType::String, std::move(key)); }
  static Field url(std::string key) { return Field(FieldType::Url, std::move(key)); }
  static Field integer(std::string key) { return Field(FieldType::Integer, std::move(key)); }
  static Field boolean(std::string key) { return Field(FieldType::Boolean, std::move(key)); }
  static Field select(std::string key, std::vector<std::string> options) {
    Field field(FieldType::Select, std::move(key));
    field.options_ = std::move(options);
    return field;
  }

  Field& org() { level_ = Level::Org; return *this; }
  Field& project() { level_ = Level::Project; return *this; }
  Field& required(bool value = true) { required_ = value; return *this; }
  // Secret values are stored encrypted by the host and never returned by its API.
  Field& secret(bool value = true) { secret_ = value; return *this; }
  // Since ABI 1.1. The value decides where requests go (an API base URL, a
  // project id that names the host): changing it drops the link's stored
  // secrets unless the same request sets them again. Not for secret fields.
  Field& destination(bool value = true) { destination_ = value; return *this; }
  // Since ABI 1.1. Longest accepted value in bytes (string, url, select);
  // 0 = the host's default (4 KiB for a setting, 16 KiB for a secret).
  Field& maxLength(std::uint32_t bytes) { maxLength_ = bytes; return *this; }
  Field& description(std::string text) { description_ = std::move(text); return *this; }
  Field& placeholder(std::string text) { placeholder_ = std::move(text); return *this; }

 private:
  friend class SchemaTable;
  Field(FieldType type, std::string key) : type_(type), key_(std::move(key)) {}

  FieldType type_;
  Level level_ = Level::Org;
  bool required_ = false;
  bool secret_ = false;
  bool destination_ = false;
  std::uint32_t maxLength_ = 0;
  std::string key_;
  std::string description_;
  std::string placeholder_;
  std::vector<std::string> options_;
};

// One entry of the host's integration catalog.
class Schema {
 public:
  explicit Schema(std::string id) : id_(std::move(id)) {}

  Schema& name(std::string text) { name_ = std::move(text); return *this; }
  Schema& category(std::string text) { category_ = std::move(text); return *this; }
  Schema& description(std::string text) { description_ = std::move(text); return *this; }
  Schema& docsUrl(std::string url) { docsUrl_ = std::move(url); return *this; }
  Schema& iconUrl(std::string url) { iconUrl_ = std::move(url); return *this; }
  Schema& displayOrder(std::int32_t order) { displayOrder_ = order; return *this; }
  Schema& featured(bool value = true) { featured_ = value; return *this; }
  Schema& field(Field field) { fields_.push_back(std::move(field)); return *this; }

 private:
  friend class SchemaTable;
  std::string id_;
  std::string name_;
  std::string category_;
  std::string description_;
  std::string docsUrl_;
  std::string iconUrl_;
  std::int32_t displayOrder_ = 0;
  bool featured_ = false;
  std::vector<Field> fields_;
};

// Owns the sb_integration_schema array handed to the host. Strings live in a
// deque (elements never move once added) and every array is sized before any
// pointer into it is taken, so the structs stay valid as long as the table.
class SchemaTable {
 public:
  explicit SchemaTable(const std::vector<Schema>& schemas) {
    schemas_.reserve(schemas.size());
    for (const Schema& schema : schemas) schemas_.push_back(convert(schema));
  }
  SchemaTable(const SchemaTable&) = delete;
  SchemaTable& operator=(const SchemaTable&) = delete;

  const sb_integration_schema* data() const { return schemas_.empty() ? nullptr : schemas_.data(); }
  std::size_t size() const { return schemas_.size(); }

 private:
  // {NULL, 0} is the ABI's "absent" string, so empty text is not interned.
  sb_str intern(const std::string& text) {
    if (text.empty()) return sb_str{nullptr, 0};
    const std::string& stored = strings_.emplace_back(text);
    return sb_str{stored.data(), stored.size()};
  }

  sb_integration_schema convert(const Schema& schema) {
    std::vector<sb_schema_field>& fields = fieldArrays_.emplace_back();
    fields.reserve(schema.fields_.size());
    for (const Field& field : schema.fields_) fields.push_back(convert(field));

    sb_integration_schema out{};
    out.struct_size = sizeof(sb_integration_schema);
    out.display_order = schema.displayOrder_;
    out.featured = schema.featured_ ? 1 : 0;
    out.id = intern(schema.id_);
    out.name = intern(schema.name_);
    out.category = intern(schema.category_);
    out.description = intern(schema.description_);
    out.docs_url = intern(schema.docsUrl_);
    out.icon_url = intern(schema.iconUrl_);
    out.fields = fields.empty() ? nullptr : fields.data();
    out.field_count = fields.size();
    return out;
  }

  sb_schema_field convert(const Field& field) {
    std::vector<sb_str>& options = optionArrays_.emplace_back();
    options.reserve(field.options_.size());
    for (const std::string& option : field.options_) options.push_back(intern(option));

    sb_schema_field out{};
    out.struct_size = sizeof(sb_schema_field);
    out.type = static_cast<sb_field_type>(field.type_);
    out.level = static_cast<sb_field_level>(field.level_);
    out.required = field.required_ ? 1 : 0;
    out.secret = field.secret_ ? 1 : 0;
    out.key = intern(field.key_);
    out.description = intern(field.description_);
    out.placeholder = intern(field.placeholder_);
    out.options = options.empty() ? nullptr : options.data();
    out.option_count = options.size();
    out.destination = field.destination_ ? 1 : 0;
    out.max_length = field.maxLength_;
    return out;
  }

  std::deque<std::string> strings_;
  std::deque<std::vector<sb_str>> optionArrays_;
  std::deque<std::vector<sb_schema_field>> fieldArrays_;
  std::vector<sb_integration_schema> schemas_;
};

}  // namespace switchboard
