// /api/v1/projects/{id}/integrations[/{key}]: which integrations a project is
// linked to, with what settings. Secret field values arrive only in PUT
// bodies, are sealed at once (SecretBox, associated data
// "integration:<projectId>:<key>") and never leave the server again: replies
// name the secrets that are set, nothing more. Secrets stay with their
// destination: a PUT that changes a destination field (one that decides
// where the plugin's requests go) drops every stored secret it does not set
// again, and says which. Checks run in the same order as for members:
// project visibility (404), role (403), then the input (422).
#include <Poco/JSON/Array.h>
#include <Poco/Logger.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <variant>

#include "config/value_rules.hpp"
#include "connections/connection_directory.hpp"
#include "crypto/secret_box.hpp"
#include "http/api_routes.hpp"
#include "http/json_body.hpp"
#include "http/json_views.hpp"
#include "http/project_lookup.hpp"
#include "store/store.hpp"

namespace sb::http {
namespace {

using JsonObject = Poco::JSON::Object;

// A PUT that keeps losing the race to concurrent writers of the same link
// gives up with 409 after this many read-merge-write rounds.
constexpr int kPutAttempts = 5;

// Set secret values by field name, as they go into the sealed blob.
using SecretValues = std::map<std::string, Poco::Dynamic::Var>;

std::string stringify(const JsonObject& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

// ---- replies --------------------------------------------------------------

// Input that parses but breaks the schema's rules: 422, naming the field.
ApiReply invalidField(const ApiRequest& request, const std::string& field, const std::string& detail) {
  return problemReply(request, problemForInvalidField(field, detail));
}

ApiReply noSecretKey(const ApiRequest& request) {
  Problem problem;
  problem.status = 503;
  problem.type = "urn:switchboard:problem:no-secret-key";
  problem.title = "No Secret Key";
  problem.detail =
      "no secret key is configured (secrets.key or secrets.key_file), so integration secrets "
      "cannot be stored; ask the operator to configure one";
  problem.field = "secrets";
  return problemReply(request, problem);
}

Status linkNotFound(const std::string& projectId, const std::string& key) {
  return {ErrorCode::NotFound,
          "integration '" + key + "' is not linked to project '" + projectId + "'", "key"};
}

// ---- validation against the schema ------------------------------------------

const SchemaField* findField(const IntegrationSchema& schema, const std::string& name) {
  for (const SchemaField& field : schema.fields) {
    if (field.key == name) return &field;
  }
  return nullptr;
}

std::string joined(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& value : values) out += (out.empty() ? "" : ", ") + value;
  return out;
}

// Empty when `text` contains nothing a setting may not: control characters
// (NUL included) end up in request paths, headers and logs. Secrets may span
// lines (PEM keys), so only NUL is refused in them.
std::string controlCharacterProblem(const SchemaField& field, const std::string& text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == 0) return "must not contain a NUL character";
    if (!field.secret && (byte < 0x20 || byte == 0x7F)) return "must not contain control characters";
  }
  return "";
}

// Empty when `value` suits `field`, else why not.
std::string typeProblem(const SchemaField& field, const Poco::Dynamic::Var& value) {
  if (field.type == "integer") return value.isInteger() ? "" : "must be an integer";
  if (field.type == "boolean") return value.isBoolean() ? "" : "must be true or false";
  if (!value.isString()) return "must be a string";
  const std::string text = value.extract<std::string>();
  if (text.size() > field.effectiveMaxLength()) {
    return "is longer than " + std::to_string(field.effectiveMaxLength()) + " bytes";
  }
  if (std::string why = controlCharacterProblem(field, text); !why.empty()) return why;
  if (field.required && text.empty()) return "must not be empty";
  if (field.type == "url" && !config::isHttpUrl(text)) return "must be an http(s) URL with a host";
  if (field.type == "select" &&
      std::find(field.options.begin(), field.options.end(), text) == field.options.end()) {
    return "must be one of " + joined(field.options);
  }
  return "";
}

// What a PUT body asks for, checked against the schema.
struct LinkRequest {
  JsonObject settings{Poco::JSON_PRESERVE_KEY_ORDER};
  SecretValues secretsToSet;
  std::vector<std::string> secretsToClear;
  std::optional<Role> visibleTo;
  // "connection": absent = keep the link's, null = drop it, else its name.
  bool connectionGiven = false;
  std::string connection;
};

struct FieldError {
  std::string field;
  std::string detail;
};

// The member `name` of the body as an object; absent or null reads as empty.
std::variant<JsonObject::Ptr, FieldError> objectMember(const JsonObject& body,
                                                       const std::string& name) {
  if (!body.has(name) || body.get(name).isEmpty()) return JsonObject::Ptr(new JsonObject);
  if (body.get(name).type() != typeid(JsonObject::Ptr)) {
    return FieldError{name, "'" + name + "' must be a JSON object"};
  }
  return body.getObject(name);
}

std::optional<FieldError> readSettings(const IntegrationSchema& schema, const JsonObject& settings,
                                       LinkRequest& out) {
  std::vector<std::string> names;
  settings.getNames(names);
  for (const std::string& name : names) {
    const std::string path = "settings." + name;
    const SchemaField* field = findField(schema, name);
    if (field == nullptr) {
      return FieldError{path, "integration '" + schema.id + "' has no field '" + name + "'"};
    }
    if (field->secret) {
      return FieldError{path, "'" + name + "' is a secret; send it in 'secrets', not 'settings'"};
    }
    const Poco::Dynamic::Var value = settings.get(name);
    if (value.isEmpty()) continue;  // null: not set
    if (std::string why = typeProblem(*field, value); !why.empty()) {
      return FieldError{path, "'" + name + "' " + why};
    }
    out.settings.set(name, value);
  }
  return std::nullopt;
}

std::optional<FieldError> readSecrets(const IntegrationSchema& schema, const JsonObject& secrets,
                                      LinkRequest& out) {
  std::vector<std::string> names;
  secrets.getNames(names);
  for (const std::string& name : names) {
    const std::string path = "secrets." + name;
    const SchemaField* field = findField(schema, name);
    if (field == nullptr) {
      return FieldError{path, "integration '" + schema.id + "' has no field '" + name + "'"};
    }
    if (!field->secret) {
      return FieldError{path, "'" + name + "' is not a secret; send it in 'settings'"};
    }
    const Poco::Dynamic::Var value = secrets.get(name);
    if (value.isEmpty()) {
      out.secretsToClear.push_back(name);
      continue;
    }
    if (std::string why = typeProblem(*field, value); !why.empty()) {
      // The value itself is never repeated: it is a secret.
      return FieldError{path, "'" + name + "' " + why};
    }
    out.secretsToSet[name] = value;
  }
  return std::nullopt;
}

std::variant<LinkRequest, FieldError> readLinkRequest(const IntegrationSchema& schema,
                                                      const JsonObject& body) {
  LinkRequest out;
  auto settings = objectMember(body, "settings");
  if (auto* error = std::get_if<FieldError>(&settings)) return *error;
  if (auto error = readSettings(schema, *std::get<JsonObject::Ptr>(settings), out)) return *error;
  auto secrets = objectMember(body, "secrets");
  if (auto* error = std::get_if<FieldError>(&secrets)) return *error;
  if (auto error = readSecrets(schema, *std::get<JsonObject::Ptr>(secrets), out)) return *error;
  if (body.has("visibleTo") && !body.get("visibleTo").isEmpty()) {
    const Poco::Dynamic::Var value = body.get("visibleTo");
    std::optional<Role> role =
        value.isString() ? parseRole(value.extract<std::string>()) : std::nullopt;
    if (!role) {
      return FieldError{"visibleTo", "'visibleTo' must be one of viewer, editor, admin, owner"};
    }
    out.visibleTo = role;
  }
  if (body.has("connection")) {
    const Poco::Dynamic::Var value = body.get("connection");
    out.connectionGiven = true;
    if (!value.isEmpty()) {
      if (!value.isString() || value.extract<std::string>().empty()) {
        return FieldError{"connection", "'connection' must be the name of a connection, or null to stop using one"};
      }
      out.connection = value.extract<std::string>();
    }
  }
  return out;
}

// With a connection, its access token stands in for the required secrets.
std::optional<FieldError> missingRequired(const IntegrationSchema& schema, const JsonObject& settings,
                                          const SecretValues& secrets, bool usesConnection) {
  for (const SchemaField& field : schema.fields) {
    if (!field.required || (field.secret && usesConnection)) continue;
    const bool present = field.secret ? secrets.count(field.key) > 0 : settings.has(field.key);
    if (!present) {
      return FieldError{(field.secret ? "secrets." : "settings.") + field.key,
                        "'" + field.key + "' is required by integration '" + schema.id + "'"};
    }
  }
  return std::nullopt;
}

// ---- destination fields ---------------------------------------------------

// The destination fields (SchemaField::destination) whose value `wanted`
// changes against the stored link; setting or removing one is a change too.
std::vector<std::string> changedDestinations(const IntegrationSchema& schema, const IntegrationLink& existing,
                                             const JsonObject& wanted) {
  const JsonObject::Ptr stored = storedJsonObject(existing.settingsJson);
  std::vector<std::string> changed;
  for (const SchemaField& field : schema.fields) {
    if (!field.destination) continue;
    const bool had = stored->has(field.key) && !stored->get(field.key).isEmpty();
    const bool has = wanted.has(field.key) && !wanted.get(field.key).isEmpty();
    if (had != has || (had && stored->get(field.key).convert<std::string>() !=
                                  wanted.get(field.key).convert<std::string>())) {
      changed.push_back(field.key);
    }
  }
  return changed;
}

std::string prefixed(const std::string& prefix, const std::vector<std::string>& names) {
  std::vector<std::string> paths;
  for (const std::string& name : names) paths.push_back(prefix + name);
  return joined(paths);
}

// ---- secrets ------------------------------------------------------------

Result<SecretValues> openSecrets(const SecretBox& box, const IntegrationLink& link) {
  SecretValues values;
  if (link.secretsSealed.empty()) return values;
  auto opened = box.open(link.secretsSealed, integrationSecretsContext(link.projectId, link.key));
  if (!opened) {
    return Status{ErrorCode::Internal, "stored secrets of integration '" + link.key +
                                           "' of project '" + link.projectId +
                                           "' do not open with the configured key"};
  }
  JsonObject::Ptr object = storedJsonObject(*opened);
  std::vector<std::string> names;
  object->getNames(names);
  for (const std::string& name : names) values[name] = object->get(name);
  return values;
}

void sealSecrets(const SecretBox& box, const SecretValues& values, IntegrationLink& link) {
  link.secretNames.clear();
  link.secretsSealed.clear();
  if (values.empty()) return;
  JsonObject object;
  for (const auto& [name, value] : values) {
    object.set(name, value);
    link.secretNames.push_back(name);
  }
  link.secretsSealed = box.seal(stringify(object), integrationSecretsContext(link.projectId, link.key));
}

// ---- handlers -------------------------------------------------------------

class IntegrationHandlers {
 public:
  explicit IntegrationHandlers(const ApiContext& context)
      : store_(context.store),
        secrets_(context.secrets),
        connections_(context.connectionDirectory),
        changed_(context.integrationChanged) {}

  ApiReply list(ApiRequest& request) const;
  ApiReply get(ApiRequest& request) const;
  ApiReply put(ApiRequest& request) const;
  ApiReply remove(ApiRequest& request) const;

 private:
  // The caller's role on the project, or the reply for a caller who may not
  // change its integrations.
  std::variant<Role, ApiReply> requireAdminRole(const ApiRequest& request) const;
  std::variant<IntegrationSchema, ApiReply> availableSchema(const ApiRequest& request) const;
  // The link a PUT stores, and the stored secrets it drops because it
  // changed a destination field.
  struct BuiltLink {
    IntegrationLink link;
    std::vector<std::string> droppedSecrets;
    std::string droppedConnection;  // the connection it stops using because a destination changed
  };
  // Builds the link a PUT asks for on top of `existing`; a reply on failure.
  std::variant<BuiltLink, ApiReply> buildLink(const ApiRequest& request, const IntegrationSchema& schema,
                                              const std::optional<IntegrationLink>& existing,
                                              LinkRequest wanted) const;
  void announce(const std::string& projectId, const std::string& key) const {
    if (changed_) changed_(projectId, key);
  }

  // The connection `name` and the caller's grant of it, set on `link`; a
  // reply when it is not configured, disabled or not connected.
  std::optional<ApiReply> useConnection(const ApiRequest& request, const std::string& name,
                                        IntegrationLink& link) const;

  Store* store_;  // not owned; outlives the server
  const SecretBox* secrets_;
  const connections::ConnectionDirectory* connections_;  // may be null (no connections configured)
  std::function<void(const std::string&, const std::string&)> changed_;
};

std::optional<ApiReply> IntegrationHandlers::useConnection(const ApiRequest& request, const std::string& name,
                                                           IntegrationLink& link) const {
  const ConnectionConfig* connection = connections_ != nullptr ? connections_->find(name) : nullptr;
  if (connection == nullptr) {
    return invalidField(request, "connection", "no connection '" + name + "' is configured");
  }
  if (!connection->disabledReason.empty()) {
    return invalidField(request, "connection",
                        "the connection '" + name + "' is disabled: " + connection->disabledReason);
  }
  auto grant = store_->connections().getToken(request.principal->user.id, name);
  if (!grant) return failureReply(request, grant.status());
  if (!grant->has_value() || (*grant)->state != GrantState::Connected) {
    return failureReply(request,
                        Status(ErrorCode::Conflict,
                               std::string("you have ") + (grant->has_value() ? "a revoked grant of" : "not connected") +
                                   " the connection '" + name + "': connect it first (POST /api/v1/connections/" +
                                   name + "/authorize)",
                               "connection"));
  }
  link.connectionName = name;
  link.oauthTokenId = (*grant)->id;
  return std::nullopt;
}

std::variant<Role, ApiReply> IntegrationHandlers::requireAdminRole(const ApiRequest& request) const {
  auto visible = loadVisibleProject(store_->projects(), request.principal->user, request.param("id"));
  if (!visible) return failureReply(request, visible.status());
  if (!roleAtLeast(visible->callerRole, Role::Admin)) {
    return failureReply(request, Status(ErrorCode::PermissionDenied,
                                        "changing integrations of project '" +
                                            request.param("id") +
                                            "' needs the admin or owner role; you are " +
                                            toString(visible->callerRole)));
  }
  return visible->callerRole;
}

std::variant<IntegrationSchema, ApiReply> IntegrationHandlers::availableSchema(
    const ApiRequest& request) const {
  const std::string& key = request.param("key");
  auto schema = store_->catalog().getSchema(key);
  if (!schema) return failureReply(request, schema.status());
  if (!schema->has_value() || !(*schema)->available) {
    return failureReply(request, Status(ErrorCode::NotFound,
                                        "no available integration schema '" + key + "'", "key"));
  }
  return **schema;
}

ApiReply IntegrationHandlers::list(ApiRequest& request) const {
  const std::string& projectId = request.param("id");
  auto visible = loadVisibleProject(store_->projects(), request.principal->user, projectId);
  if (!visible) return failureReply(request, visible.status());
  auto links = store_->integrations().listIntegrations(projectId);
  if (!links) return failureReply(request, links.status());
  Poco::JSON::Array items;
  for (const IntegrationLink& link : *links) {
    if (roleAtLeast(visible->callerRole, link.visibleTo)) items.add(integrationLinkJson(link));
  }
  return itemsReply(items);
}

ApiReply IntegrationHandlers::get(ApiRequest& request) const {
  const std::string& projectId = request.param("id");
  const std::string& key = request.param("key");
  auto visible = loadVisibleProject(store_->projects(), request.principal->user, projectId);
  if (!visible) return failureReply(request, visible.status());
  auto link = store_->integrations().getIntegration(projectId, key);
  if (!link) return failureReply(request, link.status());
  // A link above the caller's role is reported like a missing one.
  if (!link->has_value() || !roleAtLeast(visible->callerRole, (*link)->visibleTo)) {
    return failureReply(request, linkNotFound(projectId, key));
  }
  return jsonReply(200, integrationLinkJson(**link));
}

std::variant<IntegrationHandlers::BuiltLink, ApiReply> IntegrationHandlers::buildLink(
    const ApiRequest& request, const IntegrationSchema& schema,
    const std::optional<IntegrationLink>& existing, LinkRequest wanted) const {
  BuiltLink built;
  IntegrationLink& link = built.link;
  link.projectId = request.param("id");
  link.key = schema.id;
  link.settingsJson = stringify(wanted.settings);
  link.visibleTo = wanted.visibleTo.value_or(existing ? existing->visibleTo : Role::Viewer);

  const bool secretsChange = !wanted.secretsToSet.empty() || !wanted.secretsToClear.empty();
  const bool hasStored = existing && !existing->secretsSealed.empty();
  if (!wanted.secretsToSet.empty() && secrets_ == nullptr) return noSecretKey(request);
  // Secrets stay with their destination: when the link is pointed elsewhere,
  // no stored secret follows it, only those this request sets. Writing
  // secrets and changing a destination need the same role, which every PUT
  // already requires (requireAdminRole).
  const std::vector<std::string> moved =
      existing ? changedDestinations(schema, *existing, wanted.settings) : std::vector<std::string>{};

  SecretValues merged;
  if (!moved.empty()) {
    for (const std::string& name : existing->secretNames) {
      if (wanted.secretsToSet.count(name) == 0) built.droppedSecrets.push_back(name);
    }
    merged = wanted.secretsToSet;
  } else {
    if (secretsChange && hasStored && secrets_ == nullptr) return noSecretKey(request);
    // Secrets the body does not mention are kept; only a change needs them opened.
    if (secretsChange && hasStored) {
      auto opened = openSecrets(*secrets_, *existing);
      if (!opened) return failureReply(request, opened.status());
      merged = std::move(*opened);
    } else if (existing) {
      for (const std::string& name : existing->secretNames) merged[name] = Poco::Dynamic::Var();
    }
    for (const std::string& name : wanted.secretsToClear) merged.erase(name);
    for (auto& [name, value] : wanted.secretsToSet) merged[name] = value;
  }

  // The connection: named by this request, or kept, except that like the
  // secrets it does not follow the link to another destination unasked.
  if (wanted.connectionGiven && !wanted.connection.empty()) {
    if (auto refused = useConnection(request, wanted.connection, link)) return *refused;
  } else if (!wanted.connectionGiven && existing && !existing->oauthTokenId.empty()) {
    if (moved.empty()) {
      link.connectionName = existing->connectionName;
      link.oauthTokenId = existing->oauthTokenId;
    } else {
      built.droppedConnection = existing->connectionName;
    }
  }
  if (auto error = missingRequired(schema, wanted.settings, merged, !link.oauthTokenId.empty())) {
    std::string detail = error->detail;
    if (!built.droppedSecrets.empty()) {
      detail += "; changing " + prefixed("settings.", moved) + " drops the stored " +
                prefixed("secrets.", built.droppedSecrets) + ", so send them again";
    }
    if (!built.droppedConnection.empty()) {
      detail += "; changing " + prefixed("settings.", moved) + " stops using the connection '" +
                built.droppedConnection + "', so name it again";
    }
    return invalidField(request, error->field, detail);
  }
  if (secretsChange || !moved.empty()) {
    if (merged.empty()) {
      link.secretsSealed.clear();
      link.secretNames.clear();
    } else {
      sealSecrets(*secrets_, merged, link);
    }
  } else if (existing) {
    link.secretsSealed = existing->secretsSealed;
    link.secretNames = existing->secretNames;
  }
  if (!moved.empty() && existing && !existing->secretNames.empty()) {
    std::vector<std::string> setAgain;
    for (const auto& [name, value] : wanted.secretsToSet) setAgain.push_back(name);
    Poco::Logger::get("integrations")
        .information("integration %s of project %s: %s changed by %s; stored secrets discarded: %s; set again by "
                     "the request: %s",
                     link.key, link.projectId, prefixed("settings.", moved), request.principal->user.name,
                     joined(existing->secretNames), setAgain.empty() ? std::string("none") : joined(setAgain));
  }
  return built;
}

ApiReply IntegrationHandlers::put(ApiRequest& request) const {
  const std::string& projectId = request.param("id");
  const std::string& key = request.param("key");
  auto role = requireAdminRole(request);
  if (auto* reply = std::get_if<ApiReply>(&role)) return *reply;
  const Role callerRole = std::get<Role>(role);
  auto schema = availableSchema(request);
  if (auto* reply = std::get_if<ApiReply>(&schema)) return *reply;

  const JsonBody body = parseJsonObjectBody(request, {"settings", "secrets", "visibleTo", "connection"});
  if (body.problem) return problemReply(request, *body.problem);
  auto wanted = readLinkRequest(std::get<IntegrationSchema>(schema), *body.object);
  if (auto* error = std::get_if<FieldError>(&wanted)) {
    return invalidField(request, error->field, error->detail);
  }

  // Read, merge (secrets the body does not mention are kept), write only if
  // nobody changed the link meanwhile; on a race, start over from the new row.
  for (int attempt = 1;; ++attempt) {
    auto existing = store_->integrations().getIntegration(projectId, key);
    if (!existing) return failureReply(request, existing.status());
    const Role newVisibility = std::get<LinkRequest>(wanted).visibleTo.value_or(
        existing->has_value() ? (*existing)->visibleTo : Role::Viewer);
    const bool hiddenNow = existing->has_value() && !roleAtLeast(callerRole, (*existing)->visibleTo);
    if (hiddenNow || !roleAtLeast(callerRole, newVisibility)) {
      return failureReply(request, Status(ErrorCode::PermissionDenied,
                                          "an integration visible only to owners can be created or "
                                          "changed only by an owner",
                                          "visibleTo"));
    }

    auto built = buildLink(request, std::get<IntegrationSchema>(schema), *existing, std::get<LinkRequest>(wanted));
    if (auto* reply = std::get_if<ApiReply>(&built)) return *reply;
    const BuiltLink& link = std::get<BuiltLink>(built);
    auto stored = store_->integrations().putIntegrationIf(link.link, *existing);
    if (!stored && stored.status().code() == ErrorCode::Conflict && attempt < kPutAttempts) continue;
    if (!stored) return failureReply(request, stored.status());
    announce(projectId, key);
    return jsonReply(existing->has_value() ? 200 : 201, integrationLinkJson(*stored, link.droppedSecrets));
  }
}

ApiReply IntegrationHandlers::remove(ApiRequest& request) const {
  const std::string& projectId = request.param("id");
  const std::string& key = request.param("key");
  auto role = requireAdminRole(request);
  if (auto* reply = std::get_if<ApiReply>(&role)) return *reply;
  auto existing = store_->integrations().getIntegration(projectId, key);
  if (!existing) return failureReply(request, existing.status());
  if (!existing->has_value()) return failureReply(request, linkNotFound(projectId, key));
  if (!roleAtLeast(std::get<Role>(role), (*existing)->visibleTo)) {
    return failureReply(request, Status(ErrorCode::PermissionDenied,
                                        "an integration visible only to owners can be removed "
                                        "only by an owner"));
  }
  const Status removed = store_->integrations().deleteIntegration(projectId, key);
  if (!removed) return failureReply(request, removed);
  announce(projectId, key);
  return noContentReply();
}

}  // namespace

void addIntegrationRoutes(Router& router, const ApiContext& context) {
  auto handlers = std::make_shared<const IntegrationHandlers>(context);
  router.add("GET", "/api/v1/projects/{id}/integrations", RouteAccess::Bearer,
             [handlers](ApiRequest& request) { return handlers->list(request); });
  router.add("GET", "/api/v1/projects/{id}/integrations/{key}", RouteAccess::Bearer,
             [handlers](ApiRequest& request) { return handlers->get(request); });
  router.add("PUT", "/api/v1/projects/{id}/integrations/{key}", RouteAccess::Bearer,
             [handlers](ApiRequest& request) { return handlers->put(request); });
  router.add("DELETE", "/api/v1/projects/{id}/integrations/{key}", RouteAccess::Bearer,
             [handlers](ApiRequest& request) { return handlers->remove(request); });
}

}  // namespace sb::http
