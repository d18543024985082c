// Typed reads of Poco JSON values for the bundled adapters: a missing field or
// one of the wrong type is "absent" (null / nullopt), never an exception, so a
// reply of the wrong shape becomes SB_ERR_UNAVAILABLE instead of a throw.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <exception>
#include <optional>
#include <string>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

namespace switchboard::bundled {

inline Poco::JSON::Object::Ptr asObject(const Poco::Dynamic::Var& value) {
  if (value.type() == typeid(Poco::JSON::Object::Ptr)) return value.extract<Poco::JSON::Object::Ptr>();
  return nullptr;
}

inline Poco::JSON::Object::Ptr objectAt(const Poco::JSON::Object::Ptr& object, const std::string& name) {
  if (object.isNull() || !object->has(name)) return nullptr;
  return asObject(object->get(name));
}

inline std::optional<std::string> stringAt(const Poco::JSON::Object::Ptr& object, const std::string& name) {
  if (object.isNull() || !object->has(name)) return std::nullopt;
  const Poco::Dynamic::Var value = object->get(name);
  if (!value.isString()) return std::nullopt;
  return value.extract<std::string>();
}

inline std::optional<bool> boolAt(const Poco::JSON::Object::Ptr& object, const std::string& name) {
  if (object.isNull() || !object->has(name)) return std::nullopt;
  const Poco::Dynamic::Var value = object->get(name);
  if (!value.isBoolean()) return std::nullopt;
  return value.extract<bool>();
}

// Integral JSON numbers only (Vercel's createdAt and pagination.next are ms).
inline std::optional<std::int64_t> int64At(const Poco::JSON::Object::Ptr& object, const std::string& name) {
  if (object.isNull() || !object->has(name)) return std::nullopt;
  const Poco::Dynamic::Var value = object->get(name);
  if (!value.isInteger()) return std::nullopt;
  try {
    return value.convert<std::int64_t>();
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

inline bool isNullAt(const Poco::JSON::Object::Ptr& object, const std::string& name) {
  return !object.isNull() && (!object->has(name) || object->get(name).isEmpty());
}

}  // namespace switchboard::bundled
