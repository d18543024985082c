// JSON representations (camelCase) of the domain records the API returns.
// The one place that decides which fields leave the server: secrets never
// appear here, optional fields are omitted rather than sent empty, and links
// go out only when core/outbound_url.hpp allows them (else "").
// Thread-safety: pure functions; thread-safe.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "connections/connection_state.hpp"
#include "core/model.hpp"
#include "store/connection_repository.hpp"
#include "store/workflow_repository.hpp"
#include "sync/sync_setup.hpp"

namespace sb::http {

Poco::JSON::Object pluginJson(const PluginInfo& plugin);
Poco::JSON::Object schemaJson(const IntegrationSchema& schema);
Poco::JSON::Object schemaFieldJson(const SchemaField& field);
Poco::JSON::Object categoryJson(const CategoryCount& category);
// {id, name, description, path, active, orphaned, parameters, steps, problem?,
// createdAt, updatedAt}, plus `source` when `withSource` (one workflow).
Poco::JSON::Object workflowJson(const WorkflowRecord& workflow, bool withSource);
Poco::JSON::Object projectJson(const Project& project, Role callerRole);
Poco::JSON::Object membershipJson(const Membership& membership);
// Settings as stored, the names of the secrets that are set ({"set": true}),
// never a secret value; `droppedSecrets` (a PUT's reply only) lists the
// stored secrets the change of a destination field dropped, when any.
Poco::JSON::Object integrationLinkJson(const IntegrationLink& link,
                                       const std::vector<std::string>& droppedSecrets = {});

// A configured connection as one user sees it: never a token or a client
// secret; accountLabel, scopes and expiresAt only when the user has a grant,
// disabledReason only when it is disabled.
Poco::JSON::Object connectionJson(const ConnectionRecord& connection, const std::optional<OAuthTokenRecord>& grant,
                                  connections::UserConnectionState state);

// A sync set-up call's reply: validate {resource, private?, defaultBranch?,
// branch?, canRead, canWrite}; listings {items, truncated} (commits also
// `branch`), items {name, private?, defaultBranch?} / {name, head,
// protected?} / {sha, message, author?, date?}.
Poco::JSON::Object syncSetupJson(const sync::SetupData& data);

// Epoch milliseconds as ISO 8601 UTC with milliseconds ("...T...Z").
std::string isoTimeOfMs(std::int64_t ms);

// A JSON object the server stored itself (settings, opened secrets); damage
// reads as an empty object rather than failing the request.
Poco::JSON::Object::Ptr storedJsonObject(const std::string& json);

}  // namespace sb::http
