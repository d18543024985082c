// `connections:`: a list of OAuth connections. Structural mistakes (an unknown
// key, a missing required field, a bad value) stop start-up like any config
// error. An unset `${VAR}` inside an entry does not: the entry is kept,
// disabled, with the reason naming the variable (never a value), so one
// missing secret does not take the server down.
#include <memory>
#include <set>

#include "config/sections.hpp"
#include "config/value_rules.hpp"

namespace sb::config {
namespace {

// A ConfigSource whose lookups of unset variables give "" and are recorded,
// so the entry parses and is then disabled.
struct RecordingSource {
  explicit RecordingSource(const ConfigSource& base) : missing(std::make_shared<std::vector<std::string>>()) {
    source = base;
    EnvLookup real = base.env;
    auto seen = missing;
    source.env = [real, seen](const std::string& name) -> std::optional<std::string> {
      std::optional<std::string> value = real ? real(name) : std::nullopt;
      if (!value) {
        seen->push_back(name);
        return std::string();
      }
      return value;
    };
  }
  ConfigSource source;
  std::shared_ptr<std::vector<std::string>> missing;
};

void requireKey(MappingReader& item, const std::string& key) {
  if (item.ok() && !item.has(key)) item.failAt(item.where(), item.pathOf(key), "missing required key");
}

// `missing` lists the unset variables seen so far: a required URL that came
// out empty because of one is the "disabled" case, not a config error.
void readUrl(MappingReader& item, const std::string& key, std::string& out, bool required,
             const std::vector<std::string>& missing) {
  const std::size_t unsetBefore = missing.size();
  item.readString(key, out);
  if (!item.ok() || !item.has(key)) return;
  if (!out.empty() && !isHttpUrl(out)) {
    item.fail(key, "must be an http:// or https:// URL with a host");
  } else if (out.empty() && required && missing.size() == unsetBefore) {
    item.fail(key, "must not be empty");
  }
}

void readScopes(MappingReader& oauth, std::vector<std::string>& out) {
  std::optional<YAML::Node> scopes = oauth.value("scopes");
  if (!oauth.ok() || !scopes || scopes->IsNull()) return;
  if (!scopes->IsSequence()) {
    oauth.fail("scopes", "expected a list of scope names, got " + describeNode(*scopes));
    return;
  }
  for (std::size_t i = 0; i < scopes->size() && oauth.ok(); ++i) {
    const std::string path = oauth.pathOf("scopes") + "[" + std::to_string(i) + "]";
    Result<std::string> scope = readScalarText((*scopes)[i], (*scopes)[i].Mark(), path, oauth.source());
    if (!scope) {
      oauth.record(scope.status());
      return;
    }
    // RFC 6749 §3.3: scope tokens are space-delimited, so one cannot hold a space.
    if (scope->empty() || scope->find_first_of(" \t\r\n\"\\") != std::string::npos) {
      oauth.failAt((*scopes)[i].Mark(), path, "a scope is one non-empty word without spaces, quotes or backslashes");
      return;
    }
    out.push_back(std::move(scope).value());
  }
}

void readExtraParams(MappingReader& oauth, std::vector<std::pair<std::string, std::string>>& out) {
  std::optional<YAML::Node> extra = oauth.value("extra_params");
  if (!oauth.ok() || !extra || extra->IsNull()) return;
  if (!extra->IsMap()) {
    oauth.fail("extra_params", "expected a mapping of parameter names to values, got " + describeNode(*extra));
    return;
  }
  // Parameters the flow itself sets cannot be overridden from here.
  static const std::set<std::string> reserved = {"response_type", "client_id", "redirect_uri", "scope", "state",
                                                 "code_challenge", "code_challenge_method", "resource"};
  MappingReader params = oauth.child("extra_params");
  for (const auto& pair : *extra) {
    if (!params.ok()) return;
    const std::string name = pair.first.IsScalar() ? pair.first.Scalar() : std::string();
    const std::string path = params.pathOf(name);
    if (reserved.count(name) > 0) {
      params.failAt(pair.first.Mark(), path, "is set by the authorization flow and cannot be configured");
      return;
    }
    std::string value;
    params.readString(name, value);
    if (params.ok()) out.emplace_back(name, value);
  }
}

void readOAuth(MappingReader& oauth, const ConnectionConfig& entry, const std::vector<std::string>& missing,
               ConnectionOAuthConfig& out) {
  oauth.expectKeys({"client_id", "client_secret", "authorize_url", "token_url", "revocation_url", "redirect_uri",
                    "scopes", "token_auth", "extra_params"});
  // An MCP server's endpoints and client id may come from discovery and
  // registration; a plain OAuth provider needs them written down, unless its
  // `provider` plugin supplies the endpoints (checked again once it loaded).
  if (entry.type == "oauth2") {
    requireKey(oauth, "client_id");
    if (entry.provider.empty()) {
      for (const char* key : {"authorize_url", "token_url"}) requireKey(oauth, key);
    }
  }
  requireKey(oauth, "redirect_uri");
  oauth.readString("client_id", out.clientId);
  // Never echoed: only whether its variable is set is ever reported.
  oauth.readString("client_secret", out.clientSecret);
  readUrl(oauth, "authorize_url", out.authorizeUrl, true, missing);
  readUrl(oauth, "token_url", out.tokenUrl, true, missing);
  readUrl(oauth, "revocation_url", out.revocationUrl, false, missing);
  readUrl(oauth, "redirect_uri", out.redirectUri, true, missing);
  readScopes(oauth, out.scopes);
  out.scopesSet = oauth.has("scopes");
  oauth.readOneOf("token_auth", out.tokenAuth, {"client_secret_basic", "client_secret_post"});
  out.tokenAuthSet = oauth.has("token_auth");
  readExtraParams(oauth, out.extraParams);
}

void readConnectionMapping(MappingReader& item, ConnectionConfig& entry, const std::vector<std::string>& missing) {
  item.expectKeys(
      {"name", "display_name", "description", "icon_url", "type", "url", "provider", "oauth", "refresh_margin_ms",
       "discovery_ttl_ms", "egress"});
  requireKey(item, "name");
  requireKey(item, "oauth");
  item.readString("name", entry.name);
  if (item.ok() && !isValidName(entry.name)) item.fail("name", nameRule());
  item.readOneOf("type", entry.type, {"oauth2", "mcp"});
  if (entry.type == "mcp") requireKey(item, "url");
  item.readString("provider", entry.provider);
  if (item.ok() && item.has("provider") && !isValidName(entry.provider)) item.fail("provider", nameRule());
  item.readString("display_name", entry.displayName);
  item.readString("description", entry.description);
  readUrl(item, "icon_url", entry.iconUrl, false, missing);
  readUrl(item, "url", entry.url, true, missing);
  if (item.ok() && entry.type == "oauth2" && item.has("url")) item.fail("url", "only an mcp connection has a url");
  item.readInt("refresh_margin_ms", entry.refreshMarginMs, 0, 24 * 3600 * 1000);
  item.readInt("discovery_ttl_ms", entry.discoveryTtlMs, 0, 7 * 24 * 3600 * 1000);
  if (item.ok() && entry.type == "oauth2" && item.has("discovery_ttl_ms")) {
    item.fail("discovery_ttl_ms", "only an mcp connection is discovered");
  }
  MappingReader egress = item.child("egress");
  readEgressSection(egress, entry.egress);
  if (!item.ok()) return;
  std::optional<YAML::Node> oauthNode = item.value("oauth");
  if (!oauthNode || !oauthNode->IsMap()) {
    item.fail("oauth", "expected a mapping, got " + describeNode(oauthNode.value_or(YAML::Node())));
    return;
  }
  MappingReader oauth = item.child("oauth");
  readOAuth(oauth, entry, missing, entry.oauth);
}

void readConnectionItem(MappingReader& section, const YAML::Node& node, const std::string& path,
                        ConnectionConfig& entry) {
  entry.sourceLocation = describeLocation(section.source().displayName, node.Mark());
  if (!node.IsMap()) {
    section.failAt(node.Mark(), path, "expected a connection mapping with 'name' and 'oauth', got " + describeNode(node));
    return;
  }
  RecordingSource recording(section.source());
  Status status;
  MappingReader item(node, node.Mark(), path, recording.source, status);
  readConnectionMapping(item, entry, *recording.missing);
  if (!status) {
    section.record(status);
    return;
  }
  if (!recording.missing->empty()) {
    entry.disabledReason = "environment variable '" + recording.missing->front() + "' is not set";
  }
}

}  // namespace

void readConnectionsSection(MappingReader& top, std::vector<ConnectionConfig>& out) {
  std::optional<YAML::Node> list = top.value("connections");
  if (!top.ok() || !list || list->IsNull()) return;
  if (!list->IsSequence()) {
    top.fail("connections", "expected a list of connections, got " + describeNode(*list));
    return;
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < list->size() && top.ok(); ++i) {
    const YAML::Node node = (*list)[i];
    const std::string path = top.pathOf("connections") + "[" + std::to_string(i) + "]";
    ConnectionConfig entry;
    readConnectionItem(top, node, path, entry);
    if (!top.ok()) return;
    if (!names.insert(entry.name).second) {
      top.failAt(node.Mark(), path, "duplicate connection name '" + entry.name + "'");
      return;
    }
    out.push_back(std::move(entry));
  }
}

}  // namespace sb::config
