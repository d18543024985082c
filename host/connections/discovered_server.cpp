#include "connections/discovered_server.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "core/json_text.hpp"

namespace sb::connections {
namespace {

Status malformed(const std::string& what) {
  return Status(ErrorCode::BadGateway, "MCP discovery returned " + what);
}

// Empty `out` when absent; false when present but not a string.
bool optionalText(const Poco::JSON::Object& object, const std::string& key, std::string& out) {
  if (!object.has(key) || object.get(key).isEmpty()) return true;
  if (!object.get(key).isString()) return false;
  out = object.getValue<std::string>(key);
  return true;
}

}  // namespace

Result<DiscoveredServer> parseDiscoveredServer(const std::string& json) {
  const Poco::JSON::Object::Ptr object = jsonObjectOf(json);
  if (object.isNull()) return malformed("something other than a JSON object");
  DiscoveredServer out;
  const std::pair<const char*, std::string*> fields[] = {
      {"issuer", &out.issuer},
      {"resource", &out.resource},
      {"authorizationEndpoint", &out.authorizationEndpoint},
      {"tokenEndpoint", &out.tokenEndpoint},
      {"revocationEndpoint", &out.revocationEndpoint},
      {"registrationEndpoint", &out.registrationEndpoint},
  };
  for (const auto& [key, target] : fields) {
    if (!optionalText(*object, key, *target)) return malformed(std::string("a non-string ") + key);
  }
  for (const char* required : {"issuer", "authorizationEndpoint", "tokenEndpoint"}) {
    std::string value;
    optionalText(*object, required, value);
    if (value.empty()) return malformed(std::string("no ") + required);
  }
  const std::pair<const char*, bool*> flags[] = {
      {"clientIdMetadataDocumentSupported", &out.clientIdMetadataDocumentSupported},
      {"authorizationResponseIssParameterSupported", &out.authorizationResponseIss},
  };
  for (const auto& [key, target] : flags) {
    if (!object->has(key)) continue;
    const Poco::Dynamic::Var& flag = object->get(key);
    if (!flag.isBoolean()) return malformed(std::string("a non-boolean ") + key);
    *target = flag.extract<bool>();
  }
  if (object->isArray("scopes")) {
    auto scopes = object->getArray("scopes");
    for (std::size_t i = 0; i < scopes->size(); ++i) {
      const Poco::Dynamic::Var scope = scopes->get(static_cast<unsigned>(i));
      if (!scope.isString()) return malformed("a scope that is not a string");
      out.scopes.push_back(scope.extract<std::string>());
    }
  }
  return out;
}

ConnectionOAuthConfig withDiscoveredEndpoints(ConnectionOAuthConfig configured, const DiscoveredServer& server) {
  if (configured.authorizeUrl.empty()) configured.authorizeUrl = server.authorizationEndpoint;
  if (configured.tokenUrl.empty()) configured.tokenUrl = server.tokenEndpoint;
  if (configured.revocationUrl.empty()) configured.revocationUrl = server.revocationEndpoint;
  if (configured.scopes.empty()) configured.scopes = server.scopes;
  return configured;
}

std::optional<DiscoveredServer> DiscoveryCache::find(const std::string& serverUrl, std::int64_t ttlMs) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(serverUrl);
  if (it == entries_.end() || !it->second.fresh || clock_() - it->second.storedAtMs >= ttlMs) return std::nullopt;
  return it->second.server;
}

std::string DiscoveryCache::put(const std::string& serverUrl, DiscoveredServer server) {
  std::lock_guard lock(mutex_);
  std::string replaced;
  auto it = entries_.find(serverUrl);
  if (it != entries_.end() && it->second.server.issuer != server.issuer) replaced = it->second.server.issuer;
  entries_[serverUrl] = Entry{std::move(server), clock_(), true};
  return replaced;
}

void DiscoveryCache::invalidate(const std::string& serverUrl) {
  std::lock_guard lock(mutex_);
  if (auto it = entries_.find(serverUrl); it != entries_.end()) it->second.fresh = false;
}

}  // namespace sb::connections
