#include "connections/provider_defaults.hpp"

#include <exception>
#include <memory>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "config/value_rules.hpp"
#include "core/clock.hpp"
#include "core/json_text.hpp"
#include "plugins/loaded_plugin.hpp"
#include "plugins/registry.hpp"

namespace sb::connections {
namespace {

Status badDescribe(const std::string& why) { return Status(ErrorCode::InvalidArgument, "on_describe: " + why); }

// An optional URL member: "" when absent; refused when present and not http(s).
Status readEndpoint(const Poco::JSON::Object& object, const std::string& key, std::string& out) {
  if (!object.has(key) || object.get(key).isEmpty()) return Status();
  if (!object.get(key).isString()) return badDescribe("'" + key + "' is not a string");
  out = object.getValue<std::string>(key);
  if (!out.empty() && !config::isHttpUrl(out)) return badDescribe("'" + key + "' is not an http(s) URL");
  return Status();
}

void fillIfEmpty(std::string& configured, const std::string& fallback) {
  if (configured.empty()) configured = fallback;
}

// `location: connection 'name': reason`, the shape of every config error.
Status configError(const ConnectionConfig& connection, const std::string& reason) {
  return Status(ErrorCode::InvalidArgument,
                connection.sourceLocation + ": connection '" + connection.name + "': " + reason);
}

const PluginInfo* configuredPlugin(const std::vector<PluginInfo>& plugins, const std::string& id) {
  for (const PluginInfo& plugin : plugins) {
    if (plugin.id == id) return &plugin;
  }
  return nullptr;
}

bool hasCapability(const PluginInfo& plugin, const std::string& capability) {
  for (const std::string& name : plugin.capabilities) {
    if (name == capability) return true;
  }
  return false;
}

// How long a plugin may take to read a token reply, account lookup included.
constexpr std::int64_t kTokenResponseDeadlineMs = 10000;

// The plugin's on_token_response as the connection's adapter: the host's
// {"status","body"} gains "baseUrl" (the plugin's base_url, so a lookup of
// the account goes where its other requests go). It holds the plugin
// weakly: a reply read after shutdown began is refused, not sent to an
// unloaded library.
std::function<Result<std::string>(const std::string&)> tokenReplyAdapter(const std::shared_ptr<LoadedPlugin>& plugin) {
  std::weak_ptr<LoadedPlugin> weak = plugin;
  return [weak](const std::string& requestJson) -> Result<std::string> {
    std::shared_ptr<LoadedPlugin> alive = weak.lock();
    if (!alive) return Status(ErrorCode::Unavailable, "the connection's provider plugin is unloaded");
    Poco::JSON::Object::Ptr request = jsonObjectOf(requestJson);
    if (request.isNull()) return Status(ErrorCode::Internal, "token reply request is not a JSON object");
    request->set("baseUrl", alive->baseUrl());
    PluginCall call;
    call.deadlineMs = systemNowMs() + kTokenResponseDeadlineMs;
    return alive->connectionTokenResponse(jsonText(*request), call);
  };
}

}  // namespace

Status mergeProviderDescribe(ConnectionConfig& connection, const std::string& describeJson) {
  Poco::JSON::Object::Ptr object;
  try {
    auto parsed = Poco::JSON::Parser().parse(describeJson);
    if (parsed.type() == typeid(Poco::JSON::Object::Ptr)) object = parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    // Refused below.
  }
  if (object.isNull()) return badDescribe("not a JSON object");
  std::string authorize, token, revocation, clientAuth;
  if (Status read = readEndpoint(*object, "authorizationEndpoint", authorize); !read) return read;
  if (Status read = readEndpoint(*object, "tokenEndpoint", token); !read) return read;
  if (Status read = readEndpoint(*object, "revocationEndpoint", revocation); !read) return read;
  std::vector<std::string> scopes;
  if (object->has("scopes") && !object->get("scopes").isEmpty()) {
    if (object->get("scopes").type() != typeid(Poco::JSON::Array::Ptr)) return badDescribe("'scopes' is not a list");
    const Poco::JSON::Array::Ptr list = object->getArray("scopes");
    for (std::size_t i = 0; i < list->size(); ++i) {
      const Poco::Dynamic::Var scope = list->get(static_cast<unsigned int>(i));
      if (!scope.isString() || scope.toString().empty() ||
          scope.toString().find_first_of(" \t\r\n\"\\") != std::string::npos) {
        return badDescribe("'scopes' must be words without spaces, quotes or backslashes (RFC 6749 §3.3)");
      }
      scopes.push_back(scope.toString());
    }
  }
  if (object->has("clientAuth") && !object->get("clientAuth").isEmpty()) {
    clientAuth = object->get("clientAuth").isString() ? object->getValue<std::string>("clientAuth") : "";
    if (clientAuth != "client_secret_basic" && clientAuth != "client_secret_post") {
      return badDescribe("'clientAuth' must be client_secret_basic or client_secret_post");
    }
  }

  ConnectionOAuthConfig& oauth = connection.oauth;
  fillIfEmpty(oauth.authorizeUrl, authorize);
  fillIfEmpty(oauth.tokenUrl, token);
  fillIfEmpty(oauth.revocationUrl, revocation);
  if (!oauth.scopesSet) oauth.scopes = scopes;
  if (!oauth.tokenAuthSet && !clientAuth.empty()) oauth.tokenAuth = clientAuth;
  return Status();
}

Status applyProviderDefaults(std::vector<ConnectionConfig>& connections, const PluginRegistry& registry) {
  const std::vector<PluginInfo> plugins = registry.plugins();
  for (ConnectionConfig& connection : connections) {
    if (connection.provider.empty()) continue;
    const PluginInfo* info = configuredPlugin(plugins, connection.provider);
    if (info == nullptr) {
      return configError(connection, "provider '" + connection.provider + "' is not a plugin in plugins.enabled");
    }
    std::shared_ptr<LoadedPlugin> plugin = registry.find(connection.provider);
    if (info->state != PluginState::Loaded || !plugin) {
      if (connection.disabledReason.empty()) {
        connection.disabledReason = "its provider plugin '" + connection.provider + "' failed to load";
      }
      continue;
    }
    if (!hasCapability(*info, "connection")) {
      return configError(connection,
                         "plugin '" + connection.provider + "' is not a connection provider (it has no on_describe)");
    }
    Result<std::string> described = plugin->connectionDescribe();
    Status merged = described ? mergeProviderDescribe(connection, described.value()) : described.status();
    if (!merged) {
      if (connection.disabledReason.empty()) {
        connection.disabledReason = "its provider plugin '" + connection.provider + "' gave no usable defaults (" +
                                    merged.message() + ")";
      }
      continue;
    }
    connection.tokenReplyAdapter = tokenReplyAdapter(plugin);
    if (connection.type == "oauth2" && connection.disabledReason.empty()) {
      const char* missing = connection.oauth.authorizeUrl.empty() ? "authorize_url"
                            : connection.oauth.tokenUrl.empty()    ? "token_url"
                                                                   : nullptr;
      if (missing != nullptr) {
        return configError(connection, std::string("oauth.") + missing + ": missing, and plugin '" +
                                           connection.provider + "' supplies none");
      }
    }
  }
  return Status();
}

}  // namespace sb::connections
