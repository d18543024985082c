#include "store/catalog_json.hpp"

#include <sstream>

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace sb::store {
namespace {

std::string stringify(const Poco::JSON::Array& array) {
  std::ostringstream out;
  array.stringify(out);
  return out.str();
}

Poco::JSON::Array::Ptr parseArray(const std::string& json) {
  try {
    Poco::JSON::Parser parser;
    return parser.parse(json).extract<Poco::JSON::Array::Ptr>();
  } catch (const Poco::Exception&) {
    return new Poco::JSON::Array;
  } catch (const std::exception&) {
    return new Poco::JSON::Array;
  }
}

std::string textOf(const Poco::JSON::Object& object, const std::string& key) {
  return object.has(key) && object.get(key).isString() ? object.getValue<std::string>(key)
                                                       : std::string();
}

bool flagOf(const Poco::JSON::Object& object, const std::string& key) {
  return object.has(key) && object.get(key).isBoolean() && object.getValue<bool>(key);
}

}  // namespace

std::string stringsToJson(const std::vector<std::string>& values) {
  Poco::JSON::Array array;
  for (const auto& value : values) array.add(value);
  return stringify(array);
}

std::vector<std::string> stringsFromJson(const std::string& json) {
  std::vector<std::string> out;
  auto array = parseArray(json);
  for (std::size_t i = 0; i < array->size(); ++i) {
    if (array->get(i).isString()) out.push_back(array->get(i).extract<std::string>());
  }
  return out;
}

std::string fieldsToJson(const std::vector<SchemaField>& fields) {
  Poco::JSON::Array array;
  for (const SchemaField& field : fields) {
    Poco::JSON::Object::Ptr object = new Poco::JSON::Object;
    object->set("key", field.key);
    object->set("type", field.type);
    object->set("required", field.required);
    object->set("secret", field.secret);
    object->set("level", field.level);
    object->set("description", field.description);
    object->set("placeholder", field.placeholder);
    Poco::JSON::Array::Ptr options = new Poco::JSON::Array;
    for (const auto& option : field.options) options->add(option);
    object->set("options", options);
    object->set("destination", field.destination);
    object->set("maxLength", static_cast<Poco::UInt64>(field.maxLength));
    array.add(object);
  }
  return stringify(array);
}

std::vector<SchemaField> fieldsFromJson(const std::string& json) {
  std::vector<SchemaField> out;
  auto array = parseArray(json);
  for (std::size_t i = 0; i < array->size(); ++i) {
    auto object = array->getObject(static_cast<unsigned>(i));
    if (!object) continue;
    SchemaField field;
    field.key = textOf(*object, "key");
    field.type = textOf(*object, "type");
    field.required = flagOf(*object, "required");
    field.secret = flagOf(*object, "secret");
    field.level = textOf(*object, "level");
    field.description = textOf(*object, "description");
    field.placeholder = textOf(*object, "placeholder");
    field.destination = flagOf(*object, "destination");  // rows written before ABI 1.1: false
    if (object->has("maxLength") && object->get("maxLength").isInteger()) {
      const Poco::Int64 maxLength = object->get("maxLength").convert<Poco::Int64>();
      if (maxLength > 0) field.maxLength = static_cast<std::size_t>(maxLength);
    }
    if (auto options = object->getArray("options")) {
      for (std::size_t j = 0; j < options->size(); ++j) {
        if (options->get(j).isString()) field.options.push_back(options->get(j).extract<std::string>());
      }
    }
    out.push_back(std::move(field));
  }
  return out;
}

}  // namespace sb::store
