// See progress_step.hpp.
#include "plugins/progress_step.hpp"

#include <sstream>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <switchboard/abi.h>

namespace sb {
namespace {

constexpr std::size_t kMaxStepIdBytes = 64;
constexpr std::size_t kMaxLabelBytes = 200;
constexpr std::size_t kMaxDetailBytes = 500;

Status invalid(const std::string& field, const std::string& why) {
  return Status(ErrorCode::InvalidArgument, "step " + field + " " + why, field);
}

bool isStepId(const std::string& id) {
  if (id.empty() || id.size() > kMaxStepIdBytes) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && !(i > 0 && c == '-')) return false;
  }
  return true;
}

bool parseState(const std::string& text, StepState& state) {
  for (StepState candidate : {StepState::Running, StepState::Succeeded, StepState::Failed, StepState::Skipped}) {
    if (text == stepStateName(candidate)) {
      state = candidate;
      return true;
    }
  }
  return false;
}

// A string member within `maxBytes`; absent counts as "" unless `required`.
Status readText(const Poco::JSON::Object& object, const std::string& key, std::size_t maxBytes, bool required,
                std::string& out) {
  if (!object.has(key)) return required ? invalid(key, "is required") : Status::ok();
  const Poco::Dynamic::Var value = object.get(key);
  if (!value.isString()) return invalid(key, "must be a string");
  out = value.extract<std::string>();
  if (required && out.empty()) return invalid(key, "must not be empty");
  if (out.size() > maxBytes) return invalid(key, "is longer than " + std::to_string(maxBytes) + " bytes");
  return Status::ok();
}

Status readCount(const Poco::JSON::Object& object, const std::string& key, uint64_t& out) {
  if (!object.has(key)) return Status::ok();
  const Poco::Dynamic::Var value = object.get(key);
  if (!value.isInteger()) return invalid(key, "must be a non-negative integer");
  try {
    if (value.isSigned() && value.convert<int64_t>() < 0) return invalid(key, "must be a non-negative integer");
    out = value.convert<uint64_t>();
  } catch (const std::exception&) {
    return invalid(key, "must be a non-negative integer");
  }
  return Status::ok();
}

}  // namespace

std::string PluginStep::toJson() const {
  Poco::JSON::Object object(Poco::JSON_PRESERVE_KEY_ORDER);
  object.set("step", step);
  object.set("label", label);
  object.set("state", std::string(stepStateName(state)));
  object.set("done", static_cast<Poco::UInt64>(done));
  object.set("total", static_cast<Poco::UInt64>(total));
  if (!detail.empty()) object.set("detail", detail);
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

Result<PluginStep> parseProgressStep(const std::string& json) {
  if (json.size() > SB_MAX_STEP_JSON) {
    return Status(ErrorCode::InvalidArgument,
                  "step is longer than " + std::to_string(SB_MAX_STEP_JSON) + " bytes");
  }
  Poco::JSON::Object::Ptr object;
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var parsed = parser.parse(json);
    if (parsed.type() == typeid(Poco::JSON::Object::Ptr)) object = parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception& e) {
    return Status(ErrorCode::InvalidArgument, std::string("step is not JSON: ") + e.what());
  }
  if (object.isNull()) return Status(ErrorCode::InvalidArgument, "step is not a JSON object");
  PluginStep step;
  std::string state;
  Status status = readText(*object, "step", kMaxStepIdBytes, true, step.step);
  if (status && !isStepId(step.step)) status = invalid("step", "must match [a-z0-9][a-z0-9-]*");
  if (status) status = readText(*object, "label", kMaxLabelBytes, true, step.label);
  if (status) status = readText(*object, "state", 16, true, state);
  if (status && !parseState(state, step.state)) {
    status = invalid("state", "must be running, succeeded, failed or skipped");
  }
  if (status) status = readCount(*object, "done", step.done);
  if (status) status = readCount(*object, "total", step.total);
  if (status && step.total > 0 && step.done > step.total) status = invalid("done", "must not exceed total");
  if (status) status = readText(*object, "detail", kMaxDetailBytes, false, step.detail);
  if (!status) return status;
  return step;
}

}  // namespace sb
