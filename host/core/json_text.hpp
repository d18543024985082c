// Small JSON renderings shared by the modules that keep JSON text in the store
// (action and sync job records, connection configs, problem details).
// Thread-safety: pure functions.
#pragma once

#include <string>

#include <Poco/JSON/Object.h>

namespace sb {

// The object as compact JSON text.
std::string jsonText(const Poco::JSON::Object& object);

// {"code","detail"}: the error a failed action or sync job records.
std::string errorJson(const std::string& code, const std::string& detail);

}  // namespace sb
