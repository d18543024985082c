#include "connections/connection_sync.hpp"
#include "core/json_text.hpp"

#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

namespace sb::connections {
namespace {

}  // namespace

ConnectionRecord toRecord(const ConnectionConfig& connection) {
  ConnectionRecord out;
  out.name = connection.name;
  out.type = connection.type;
  out.displayName = connection.displayName;
  out.description = connection.description;
  out.iconUrl = connection.iconUrl;
  out.url = connection.url;
  out.enabled = connection.disabledReason.empty();
  out.disabledReason = connection.disabledReason;

  const ConnectionOAuthConfig& oauth = connection.oauth;
  Poco::JSON::Object settings(Poco::JSON_PRESERVE_KEY_ORDER);
  settings.set("client_id", oauth.clientId);
  settings.set("authorize_url", oauth.authorizeUrl);
  settings.set("token_url", oauth.tokenUrl);
  settings.set("revocation_url", oauth.revocationUrl);
  settings.set("redirect_uri", oauth.redirectUri);
  Poco::JSON::Array::Ptr scopes = new Poco::JSON::Array;
  for (const std::string& scope : oauth.scopes) scopes->add(scope);
  settings.set("scopes", scopes);
  settings.set("token_auth", oauth.tokenAuth);
  Poco::JSON::Object::Ptr extra = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [name, value] : oauth.extraParams) extra->set(name, value);
  settings.set("extra_params", extra);
  settings.set("refresh_margin_ms", connection.refreshMarginMs);
  if (!connection.provider.empty()) settings.set("provider", connection.provider);
  out.settingsJson = jsonText(settings);
  return out;
}

Result<ConnectionSyncReport> syncConnections(ConnectionRepository& repository,
                                             const std::vector<ConnectionConfig>& configured) {
  std::vector<ConnectionRecord> records;
  records.reserve(configured.size());
  for (const ConnectionConfig& connection : configured) records.push_back(toRecord(connection));
  return repository.syncConfigs(records);
}

}  // namespace sb::connections
