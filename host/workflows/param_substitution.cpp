#include "workflows/param_substitution.hpp"

#include <algorithm>
#include <optional>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "core/json_text.hpp"

namespace sb::workflows {
namespace {

constexpr std::string_view kOpen = "${{";
constexpr std::string_view kClose = "}}";
constexpr std::string_view kPrefix = "params.";

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

std::string stringified(const Poco::Dynamic::Var& value) {
  if (value.isEmpty()) return {};
  if (value.isBoolean()) return value.extract<bool>() ? "true" : "false";
  return value.convert<std::string>();
}

// Substitutes the references in a step's params; the first failure is kept in status().
class Substitution {
 public:
  Substitution(const Poco::JSON::Object& values, const std::vector<WorkflowParameter>& declared, std::string where)
      : values_(values), declared_(declared), where_(std::move(where)) {}

  Status status() const { return status_; }

  // The value for `text`; an empty Var when the whole-string reference has no value.
  Poco::Dynamic::Var string(const std::string& text) {
    std::string out;
    std::size_t at = 0;
    for (;;) {
      const std::size_t open = text.find(kOpen, at);
      if (open == std::string::npos) break;
      const std::size_t close = text.find(kClose, open + kOpen.size());
      if (close == std::string::npos) {
        fail("an unclosed '${{' in \"" + text + "\"");
        return text;
      }
      const std::optional<Poco::Dynamic::Var> value = lookup(text.substr(open + kOpen.size(), close - open - kOpen.size()));
      if (!value) return text;
      if (open == 0 && close + kClose.size() == text.size()) return *value;  // whole string: keep the type
      out += text.substr(at, open - at) + stringified(*value);
      at = close + kClose.size();
    }
    if (at == 0) return text;
    return out + text.substr(at);
  }

  Poco::Dynamic::Var value(const Poco::Dynamic::Var& value) {
    if (value.isString()) return string(value.extract<std::string>());
    if (value.type() == typeid(Poco::JSON::Object::Ptr)) return object(*value.extract<Poco::JSON::Object::Ptr>());
    if (value.type() == typeid(Poco::JSON::Array::Ptr)) {
      Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
      for (const auto& item : *value.extract<Poco::JSON::Array::Ptr>()) out->add(this->value(item));
      return out;
    }
    return value;
  }

  Poco::JSON::Object::Ptr object(const Poco::JSON::Object& in) {
    Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
    for (const auto& [name, item] : in) {
      Poco::Dynamic::Var substituted = value(item);
      if (!substituted.isEmpty()) out->set(name, substituted);
    }
    return out;
  }

 private:
  // The value of one reference (the text between the braces); nullopt after a failure.
  std::optional<Poco::Dynamic::Var> lookup(std::string_view inside) {
    const std::string reference = trimmed(inside);
    if (reference.compare(0, kPrefix.size(), kPrefix) != 0 || reference.size() == kPrefix.size()) {
      fail("'${{ " + reference + " }}' is not a reference; write ${{ params.<name> }}");
      return std::nullopt;
    }
    const std::string name = reference.substr(kPrefix.size());
    const bool known = std::any_of(declared_.begin(), declared_.end(),
                                   [&](const WorkflowParameter& parameter) { return parameter.name == name; });
    if (!known) {
      fail("'${{ " + reference + " }}' refers to parameter '" + name + "', which the workflow does not declare");
      return std::nullopt;
    }
    return values_.has(name) ? values_.get(name) : Poco::Dynamic::Var();
  }

  void fail(const std::string& message) {
    if (status_) status_ = Status(ErrorCode::InvalidArgument, where_ + ": " + message, "steps");
  }

  const Poco::JSON::Object& values_;
  const std::vector<WorkflowParameter>& declared_;
  std::string where_;
  Status status_ = Status::ok();
};

}  // namespace

Result<std::string> substituteParams(const std::string& stepParamsJson, const Poco::JSON::Object& values,
                                     const std::vector<WorkflowParameter>& declared, const std::string& where) {
  Poco::JSON::Object::Ptr params;
  try {
    params = Poco::JSON::Parser().parse(stepParamsJson).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    return Status(ErrorCode::InvalidArgument, where + ": its params are not a JSON object", "steps");
  }
  Substitution substitution(values, declared, where);
  Poco::JSON::Object::Ptr out = substitution.object(*params);
  if (!substitution.status()) return substitution.status();
  return jsonText(*out);
}

}  // namespace sb::workflows
