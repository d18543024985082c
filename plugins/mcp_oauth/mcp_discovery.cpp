// See mcp_discovery.hpp. JSON through the SDK's helpers (nlohmann-json);
// URLs taken apart by hand (RFC 3986 §3: scheme "://" authority path).
#include "mcp_discovery.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include <switchboard/provider.hpp>

namespace mcp {
namespace {

using switchboard::Outcome;
using switchboard::provider::Json;

constexpr std::uint32_t kDiscoveryTimeoutMs = 5000;

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The path with %XX decoded; nullopt on a malformed escape.
std::optional<std::string> percentDecoded(std::string_view path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '%') {
      out += path[i];
      continue;
    }
    const int high = i + 2 < path.size() ? hexValue(path[i + 1]) : -1;
    const int low = high >= 0 ? hexValue(path[i + 2]) : -1;
    if (low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

// scheme://authority (scheme lowercased, the scheme's default port dropped)
// and the decoded path without a trailing "/" ("" for the root); false
// unless the URL is absolute http(s) with a host.
bool split(const std::string& url, std::string& origin, std::string& path) {
  const std::size_t schemeEnd = url.find("://");
  if (schemeEnd == std::string::npos) return false;
  const std::string scheme = lower(url.substr(0, schemeEnd));
  if (scheme != "https" && scheme != "http") return false;
  const std::size_t authorityStart = schemeEnd + 3;
  const std::size_t authorityEnd = std::min(url.find_first_of("/?#", authorityStart), url.size());
  std::string authority = url.substr(authorityStart, authorityEnd - authorityStart);
  const std::size_t at = authority.rfind('@');
  const std::size_t hostStart = at == std::string::npos ? 0 : at + 1;
  const std::size_t bracket = authority.find(']', hostStart);
  const std::size_t colon = authority.find(':', bracket == std::string::npos ? hostStart : bracket);
  const std::size_t hostEnd = colon == std::string::npos ? authority.size() : colon;
  if (hostEnd == hostStart) return false;
  if (colon != std::string::npos) {
    const std::string port = authority.substr(colon + 1);
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
        (!port.empty() && std::stoi(port) > 65535)) {
      return false;
    }
    const bool defaultPort = port.empty() || (scheme == "https" && std::stoi(port) == 443) ||
                             (scheme == "http" && std::stoi(port) == 80);
    if (defaultPort) authority.resize(colon);
  }
  const std::size_t pathEnd = std::min(url.find_first_of("?#", authorityEnd), url.size());
  std::optional<std::string> decoded = percentDecoded(std::string_view(url).substr(authorityEnd, pathEnd - authorityEnd));
  if (!decoded) return false;
  origin = scheme + "://" + authority;
  path = std::move(*decoded);
  while (!path.empty() && path.back() == '/') path.pop_back();
  return true;
}

// `body` as a JSON object; nullopt when it is anything else.
std::optional<Json> objectOf(std::string_view body) {
  std::optional<Json> parsed = switchboard::provider::parseJson(body);
  if (!parsed || !parsed->is_object()) return std::nullopt;
  return parsed;
}

std::string text(const Json& object, std::string_view key) {
  return switchboard::provider::stringAt(object, key).value_or(std::string());
}

bool listHas(const Json& object, std::string_view key, const std::string& wanted) {
  const Json* list = switchboard::provider::arrayAt(object, key);
  if (list == nullptr) return false;
  for (const Json& item : *list) {
    if (item.is_string() && item.get<std::string>() == wanted) return true;
  }
  return false;
}

// The first of `urls` that answers 200 with a JSON object; `tried` says
// what was asked when none did.
std::optional<Json> firstDocument(const switchboard::Host& host, const switchboard::Call& call,
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
  return std::nullopt;
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
  const Json request = objectOf(requestJson).value_or(Json::object());
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
  const std::optional<Json> resource = firstDocument(host, call, candidates, tried);
  if (!resource) {
    return Outcome::failure(SB_ERR_UNAVAILABLE, "no protected resource metadata (RFC 9728) found: " + tried);
  }
  // RFC 9728 §3.3: the metadata must be about this resource.
  const std::string resourceId = text(*resource, "resource");
  if (resourceId != serverUrl && resourceId + "/" != serverUrl && resourceId != serverUrl + "/") {
    return Outcome::failure(SB_ERR_INVALID_ARGUMENT,
                            "the protected resource metadata is for '" + resourceId + "', not '" + serverUrl + "'");
  }
  const Json* servers = switchboard::provider::arrayAt(*resource, "authorization_servers");
  if (servers == nullptr || servers->empty() || !servers->front().is_string()) {
    return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "the protected resource metadata names no authorization_servers");
  }
  const std::string issuer = servers->front().get<std::string>();
  tried.clear();
  const std::optional<Json> server = firstDocument(host, call, authorizationServerMetadataUrls(issuer), tried);
  if (!server) {
    return Outcome::failure(SB_ERR_UNAVAILABLE, "no authorization server metadata for '" + issuer + "': " + tried);
  }
  // RFC 8414 §3.3: the issuer in the document must be the one asked for.
  if (text(*server, "issuer") != issuer) {
    return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "authorization server metadata names issuer '" +
                                                         text(*server, "issuer") + "', expected '" + issuer + "'");
  }
  if (!listHas(*server, "code_challenge_methods_supported", "S256")) {
    return Outcome::failure(SB_ERR_INVALID_ARGUMENT,
                            "authorization server '" + issuer +
                                "' does not advertise PKCE S256 (code_challenge_methods_supported); MCP requires it");
  }
  const std::string authorize = text(*server, "authorization_endpoint");
  const std::string token = text(*server, "token_endpoint");
  if (authorize.empty() || token.empty()) {
    return Outcome::failure(SB_ERR_INVALID_ARGUMENT,
                            "authorization server metadata lacks authorization_endpoint or token_endpoint");
  }
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["issuer"] = issuer;
  out["resource"] = resourceId;
  out["authorizationEndpoint"] = authorize;
  out["tokenEndpoint"] = token;
  if (!text(*server, "revocation_endpoint").empty()) out["revocationEndpoint"] = text(*server, "revocation_endpoint");
  if (!text(*server, "registration_endpoint").empty()) {
    out["registrationEndpoint"] = text(*server, "registration_endpoint");
  }
  out["clientIdMetadataDocumentSupported"] =
      switchboard::provider::boolAt(*server, "client_id_metadata_document_supported").value_or(false);
  // RFC 9207 §3: the server puts `iss` in every authorization response.
  out["authorizationResponseIssParameterSupported"] =
      switchboard::provider::boolAt(*server, "authorization_response_iss_parameter_supported").value_or(false);
  const Json* scopes = switchboard::provider::arrayAt(*resource, "scopes_supported");
  out["scopes"] = scopes != nullptr ? *scopes : Json::array();
  // client_secret_post only when the server does not take Basic (RFC 8414
  // §2: absent means client_secret_basic).
  const bool basic = switchboard::provider::arrayAt(*server, "token_endpoint_auth_methods_supported") == nullptr ||
                     listHas(*server, "token_endpoint_auth_methods_supported", "client_secret_basic");
  out["clientAuth"] = basic ? "client_secret_basic" : "client_secret_post";
  return Outcome::ok(out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace mcp
