#include "http/json_body.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>

#include <algorithm>
#include <optional>
#include <set>
#include <vector>

namespace sb::http {
namespace {

// Request bodies of this API are flat objects; a low depth cap keeps a
// hostile "[[[[..." from recursing through the parser's stack.
constexpr std::size_t kMaxJsonDepth = 16;

// Poco's handler keeps the last of two equal keys without a word, so
// {"name":"first","name":"second"} would be "second" here and perhaps
// "first" to a proxy or a log reader. This one builds the same value and
// remembers the first key that repeats within its object, by path
// ("settings.branch"; array elements are "[]"). It never throws into the
// parser: the caller asks after parsing.
class DuplicateKeyGuard : public Poco::JSON::ParseHandler {
 public:
  const std::optional<std::string>& firstDuplicate() const { return duplicate_; }

  void reset() override {
    ParseHandler::reset();
    frames_.clear();
    duplicate_.reset();
  }
  void startObject() override {
    frames_.push_back({childPath(), false, {}, {}});
    ParseHandler::startObject();
  }
  void endObject() override {
    if (!frames_.empty()) frames_.pop_back();
    ParseHandler::endObject();
  }
  void startArray() override {
    frames_.push_back({childPath(), true, {}, {}});
    ParseHandler::startArray();
  }
  void endArray() override {
    if (!frames_.empty()) frames_.pop_back();
    ParseHandler::endArray();
  }
  void key(const std::string& name) override {
    if (!frames_.empty()) {
      Frame& object = frames_.back();
      if (!object.keys.insert(name).second && !duplicate_) duplicate_ = joined(object.path, name);
      object.lastKey = name;
    }
    ParseHandler::key(name);
  }

 private:
  struct Frame {
    std::string path;
    bool isArray = false;
    std::set<std::string> keys;
    std::string lastKey;
  };
  static std::string joined(const std::string& path, const std::string& name) {
    return path.empty() ? name : path + "." + name;
  }
  std::string childPath() const {
    if (frames_.empty()) return {};
    const Frame& parent = frames_.back();
    return parent.isArray ? parent.path + "[]" : joined(parent.path, parent.lastKey);
  }

  std::vector<Frame> frames_;
  std::optional<std::string> duplicate_;
};

const char* jsonTypeName(const Poco::Dynamic::Var& value) {
  if (value.isEmpty()) return "null";
  if (value.type() == typeid(Poco::JSON::Object::Ptr)) return "object";
  if (value.type() == typeid(Poco::JSON::Array::Ptr)) return "array";
  if (value.isString()) return "string";
  if (value.isBoolean()) return "boolean";
  if (value.isNumeric()) return "number";
  return "value";
}

}  // namespace

bool isJsonContentType(const std::string& contentType) {
  const std::string mediaType =
      Poco::toLower(Poco::trim(contentType.substr(0, contentType.find(';'))));
  return mediaType == "application/json";
}

JsonBody parseJsonObjectBody(const ApiRequest& request, const std::vector<std::string>& knownFields) {
  JsonBody result;
  if (Poco::trim(request.body).empty()) {
    result.problem = problemForHttpStatus(400, "a JSON object body is required");
    return result;
  }
  if (!isJsonContentType(request.contentType)) {
    result.problem = problemForHttpStatus(
        415, "Content-Type must be application/json, got '" + request.contentType + "'",
        "Content-Type");
    return result;
  }
  Poco::Dynamic::Var parsed;
  Poco::SharedPtr<DuplicateKeyGuard> guard = new DuplicateKeyGuard;
  try {
    Poco::JSON::Parser parser(guard);
    parser.setDepth(kMaxJsonDepth);
    parsed = parser.parse(request.body);
  } catch (const Poco::Exception& e) {
    result.problem = problemForHttpStatus(400, "request body is not valid JSON: " + e.message());
    return result;
  }
  if (const auto& duplicate = guard->firstDuplicate()) {
    result.problem = problemForHttpStatus(400, "duplicate key '" + *duplicate + "' in the request body", *duplicate);
    return result;
  }
  if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
    result.problem = problemForHttpStatus(
        400, std::string("request body must be a JSON object, got ") + jsonTypeName(parsed));
    return result;
  }
  auto object = parsed.extract<Poco::JSON::Object::Ptr>();
  std::vector<std::string> names;
  object->getNames(names);
  for (const auto& name : names) {
    if (std::find(knownFields.begin(), knownFields.end(), name) == knownFields.end()) {
      result.problem = problemForHttpStatus(400, "unknown field '" + name + "'", name);
      return result;
    }
  }
  result.object = object;
  return result;
}

Result<std::string> requiredString(const Poco::JSON::Object& object, const std::string& field) {
  if (!object.has(field)) {
    return Status(ErrorCode::InvalidArgument, "field '" + field + "' is required", field);
  }
  const Poco::Dynamic::Var value = object.get(field);
  if (!value.isString()) {
    return Status(ErrorCode::InvalidArgument,
                  "field '" + field + "' must be a string, got " + jsonTypeName(value), field);
  }
  return value.extract<std::string>();
}

}  // namespace sb::http
