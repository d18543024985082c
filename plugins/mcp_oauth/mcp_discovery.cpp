#include "mcp_discovery.hpp"

#include <cctype>
#include <exception>
#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

namespace mcp {
namespace {

using switchboard::Outcome;

constexpr std::uint32_t kDiscoveryTimeoutMs = 5000;

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// scheme://authority and the path without a trailing "/" ("" for the root).
bool split(const std::string& url, std::string& origin, std::string& path) {
  try {
    Poco::URI uri(url);
    if ((uri.getScheme() != "https" && uri.getScheme() != "http") || uri.getHost().empty()) return false;
    origin = uri.getScheme() + "://" + uri.getAuthority();
    path = uri.getPath();
    while (!path.empty() && path.back() == '/') path.pop_back();
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

Poco::JSON::Object::Ptr objectOf(std::string_view body) {
  try {
    auto parsed = Poco::JSON::Parser().parse(std::string(body));
    if (parsed.type() == typeid(Poco::JSON::Object::Ptr)) return parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
  }
  return nullptr;
}

std::string text(const Poco::JSON::Object::Ptr& object, const std::string& key) {
  return object && object->has(key) && object->get(key).isString() ? object->getValue<std::string>(key) : "";
}

bool listHas(const Poco::JSON::Object::Ptr& object, const std::string& key, const std::string& wanted) {
  if (!object || !object->isArray(key)) return false;
  auto list = object->getArray(key);
  for (std::size_t i = 0; i < list->size(); ++i) {
    if (list->get(static_cast<unsigned>(i)).isString() && list->getElement<std::string>(static_cast<unsigned>(i)) == wanted) {
      return true;
    }
  }
  return false;
}

// The first of `urls` that answers 200 with a JSON object; `tried` says
// what was asked when none did.
Poco::JSON::Object::Ptr firstDocument(const switchboard::Host& host, const switchboard::Call& call,
                                      const std::vector<std::string>& urls, std::string& tried) {
  for (const std::string& url : urls) {
    switchboard::HttpRequest request;
    request.url = url;
    request.headers.emplace_back("Accept", "application/json");
    request.timeoutMs = kDiscoveryTimeoutMs;
    switchboard::HttpResult result = host.send(request, call);
    if (!result.ok()) {
      tried += (tried.empty() ? "" : "; ") + result.error;
      continue;
    }
    const int status = result.response.status();
    if (status == 200) {
      if (auto object = objectOf(result.response.body())) return object;
      tried += (tried.empty() ? "" : "; ") + url + ": not a JSON object";
      continue;
    }
    tried += (tried.empty() ? "" : "; ") + url + ": " + std::to_string(status);
  }
  return nullptr;
}

std::string stringify(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

}  // namespace

std::string resourceMetadataFrom(std::string_view header) {
  const std::string value(header);
  const std::string lowered = lower(value);
  std::size_t at = lowered.find("resource_metadata");
  while (at != std::string::npos) {
    std::size_t i = at + std::string("resource_metadata").size();
    const bool startsParameter = at == 0 || lowered[at - 1] == ' ' || lowered[at - 1] == ',';
    while (i < value.size() && value[i] == ' ') ++i;
    if (startsParameter && i < value.size() && value[i] == '=') {
      ++i;
      while (i < value.size() && value[i] == ' ') ++i;
      if (i < value.size() && value[i] == '"') {
        const std::size_t end = value.find('"', i + 1);
        if (end != std::string::npos) return value.substr(i + 1, end - i - 1);
        return "";
      }
      const std::size_t end = value.find_first_of(", ", i);
      return value.substr(i, end == std::string::npos ? std::string::npos : end - i);
    }
    at = lowered.find("resource_metadata", at + 1);
  }
  return "";
}

std::vector<std::string> resourceMetadataUrls(const std::string& serverUrl) {
  std::string origin, path;
  if (!split(serverUrl, origin, path)) return {};
  std::vector<std::string> out;
  if (!path.empty()) out.push_back(origin + "/.well-known/oauth-protected-resource" + path);
  out.push_back(origin + "/.well-known/oauth-protected-resource");
  return out;
}

std::vector<std::string> authorizationServerMetadataUrls(const std::string& issuer) {
  std::string origin, path;
  if (!split(issuer, origin, path)) return {};
  if (path.empty()) {
    return {origin + "/.well-known/oauth-authorization-server", origin + "/.well-known/openid-configuration"};
  }
  return {origin + "/.well-known/oauth-authorization-server" + path,
          origin + "/.well-known/openid-configuration" + path, origin + path + "/.well-known/openid-configuration"};
}

Outcome discover(const switchboard::Host& host, const switchboard::Call& call, std::string_view requestJson) {
  const Poco::JSON::Object::Ptr request = objectOf(requestJson);
  const std::string serverUrl = text(request, "serverUrl");
  std::string origin, path;
  if (serverUrl.empty() || !split(serverUrl, origin, path)) {
    return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "serverUrl must be an absolute http(s) URL");
  }
  std::string challenge = text(request, "wwwAuthenticate");
  if (challenge.empty()) {
    // Ask the server once without a token: its 401 names the metadata.
    switchboard::HttpRequest probe;
    probe.url = serverUrl;
    probe.timeoutMs = kDiscoveryTimeoutMs;
    switchboard::HttpResult answered = host.send(probe, call);
    if (answered.ok() && answered.response.status() == 401) {
      challenge = std::string(answered.response.header("WWW-Authenticate"));
    }
  }
  std::vector<std::string> candidates;
  if (std::string named = resourceMetadataFrom(challenge); !named.empty()) candidates.push_back(named);
  for (const std::string& url : resourceMetadataUrls(serverUrl)) candidates.push_back(url);
  std::string tried;
  const Poco::JSON::Object::Ptr resource = firstDocument(host, call, candidates, tried);
  if (!resource) {
    return Outcome::failure(SB_ERR_UNAVAILABLE, "no protected resource metadata (RFC 9728) found: " + tried);
  }
  // RFC 9728 §3.3: the metadata must be about this resource.
  const std::string resourceId = text(resource, "resource");
  if (resourceId != serverUrl && resourceId + "/" != serverUrl && resourceId != serverUrl + "/") {
    return Outcome::failure(SB_ERR_INVALID_ARGUMENT,
                            "the protected resource metadata is for '" + resourceId + "', not '" + serverUrl + "'");
  }
  if (!resource->isArray("authorization_servers") || resource->getArray("authorization_servers")->size() == 0 ||
      !resource->getArray("authorization_servers")->get(0).isString()) {
    return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "the protected resource metadata names no authorization_servers");
  }
  const std::string issuer = resource->getArray("authorization_servers")->getElement<std::string>(0);
  tried.clear();
  const Poco::JSON::Object::Ptr server = firstDocument(host, call, authorizationServerMetadataUrls(issuer), tried);
  if (!server) {
    return Outcome::failure(SB_ERR_UNAVAILABLE, "no authorization server metadata for '" + issuer + "': " + tried);
  }
  // RFC 8414 §3.3: the issuer in the document must be the one asked for.
  if (text(server, "issuer") != issuer) {
    return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "authorization server metadata names issuer '" +
                                                         text(server, "issuer") + "', expected '" + issuer + "'");
  }
  if (!listHas(server, "code_challenge_methods_supported", "S256")) {
    return Outcome::failure(SB_ERR_INVALID_ARGUMENT,
                            "authorization server '" + issuer +
                                "' does not advertise PKCE S256 (code_challenge_methods_supported); MCP requires it");
  }
  const std::string authorize = text(server, "authorization_endpoint");
  const std::string token = text(server, "token_endpoint");
  if (authorize.empty() || token.empty()) {
    return Outcome::failure(SB_ERR_INVALID_ARGUMENT,
                            "authorization server metadata lacks authorization_endpoint or token_endpoint");
  }
  Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
  out.set("issuer", issuer);
  out.set("resource", resourceId);
  out.set("authorizationEndpoint", authorize);
  out.set("tokenEndpoint", token);
  if (!text(server, "revocation_endpoint").empty()) out.set("revocationEndpoint", text(server, "revocation_endpoint"));
  if (!text(server, "registration_endpoint").empty()) {
    out.set("registrationEndpoint", text(server, "registration_endpoint"));
  }
  out.set("clientIdMetadataDocumentSupported",
          server->has("client_id_metadata_document_supported") &&
              server->get("client_id_metadata_document_supported").isBoolean() &&
              server->getValue<bool>("client_id_metadata_document_supported"));
  Poco::JSON::Array::Ptr scopes = new Poco::JSON::Array;
  if (resource->isArray("scopes_supported")) scopes = resource->getArray("scopes_supported");
  out.set("scopes", scopes);
  // client_secret_post only when the server does not take Basic (RFC 8414
  // §2: absent means client_secret_basic).
  const bool basic = !server->isArray("token_endpoint_auth_methods_supported") ||
                     listHas(server, "token_endpoint_auth_methods_supported", "client_secret_basic");
  out.set("clientAuth", basic ? "client_secret_basic" : "client_secret_post");
  return Outcome::ok(stringify(out));
}

}  // namespace mcp
