// JSON representations (camelCase) of the domain records the API returns.
// The one place that decides which fields leave the server: secrets never
// appear here, optional fields are omitted rather than sent empty, and links
// go out only when core/outbound_url.hpp allows them (else "").
// Thread-safety: pure functions; thread-safe.
#pragma once

#include <Poco/JSON/Object.h>

#include "core/model.hpp"

namespace sb::http {

Poco::JSON::Object pluginJson(const PluginInfo& plugin);
Poco::JSON::Object schemaJson(const IntegrationSchema& schema);
Poco::JSON::Object schemaFieldJson(const SchemaField& field);
Poco::JSON::Object categoryJson(const CategoryCount& category);
Poco::JSON::Object projectJson(const Project& project, Role callerRole);
Poco::JSON::Object membershipJson(const Membership& membership);

}  // namespace sb::http
