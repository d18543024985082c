#include "core/json_text.hpp"

#include <sstream>

namespace sb {

std::string jsonText(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

std::string errorJson(const std::string& code, const std::string& detail) {
  Poco::JSON::Object error(Poco::JSON_PRESERVE_KEY_ORDER);
  error.set("code", code);
  error.set("detail", detail);
  return jsonText(error);
}

}  // namespace sb
