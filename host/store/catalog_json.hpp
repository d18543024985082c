// JSON text for the catalog columns stored as TEXT (plugin capabilities,
// schema fields), so both backends store the same bytes.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "core/model.hpp"

namespace sb::store {

std::string stringsToJson(const std::vector<std::string>& values);
// Text that is not a JSON array of strings reads as empty: the column is only
// written by stringsToJson, so anything else is damage we must not crash on.
std::vector<std::string> stringsFromJson(const std::string& json);

std::string fieldsToJson(const std::vector<SchemaField>& fields);
std::vector<SchemaField> fieldsFromJson(const std::string& json);

}  // namespace sb::store
