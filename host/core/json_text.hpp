// Small JSON renderings shared by the modules that keep JSON text in the store
// (action and sync job records, connection configs, problem details).
// Thread-safety: pure functions.
#pragma once

#include <string>

#include <Poco/JSON/Object.h>

namespace sb {

// The object as compact JSON text.
std::string jsonText(const Poco::JSON::Object& object);

// `text` parsed when it is one JSON object; null for anything else
// (malformed, an array, a scalar): replies from outside are judged, not trusted.
Poco::JSON::Object::Ptr jsonObjectOf(const std::string& text);

// {"code","detail"}: the error a failed action or sync job records.
std::string errorJson(const std::string& code, const std::string& detail);

}  // namespace sb
