#include "core/json_text.hpp"

#include <exception>
#include <sstream>

#include <Poco/JSON/Parser.h>

namespace sb {

std::string jsonText(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

Poco::JSON::Object::Ptr jsonObjectOf(const std::string& text) {
  try {
    auto parsed = Poco::JSON::Parser().parse(text);
    if (parsed.type() == typeid(Poco::JSON::Object::Ptr)) return parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
  }
  return nullptr;
}

std::string errorJson(const std::string& code, const std::string& detail) {
  Poco::JSON::Object error(Poco::JSON_PRESERVE_KEY_ORDER);
  error.set("code", code);
  error.set("detail", detail);
  return jsonText(error);
}

}  // namespace sb
