// Fake OAuth 2.0 authorization server + protected resource (see oauth_fake.hpp).
// Endpoints, each as its specification says:
//   GET  /authorize  RFC 6749 §4.1.1-4.1.2 (https://www.rfc-editor.org/rfc/rfc6749#section-4.1):
//        302 to redirect_uri?code=..&state=..; errors other than an unknown
//        client or redirect_uri go back as ?error=..&state=.. (§4.1.2.1);
//        PKCE (RFC 7636 §4.3-4.4): code_challenge_method must be S256 here.
//   POST /token      RFC 6749 §3.2, §4.1.3, §5.1, §5.2, §6: form-encoded,
//        client_secret_basic (§2.3.1: id and secret form-urlencoded, then
//        Base64) or client_secret_post, never both; authorization_code checks
//        redirect_uri byte for byte and the verifier against the challenge
//        (RFC 7636 §4.6); refresh_token rotates the refresh token, and a
//        rotated-out one used again revokes the whole grant (RFC 9700
//        §4.14.2, https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2).
//        Replies are application/json with Cache-Control: no-store (§5.1).
//   POST /revoke     RFC 7009 §2.1-2.2: token (+ token_type_hint), 200 even
//        for an unknown token; revoking a refresh token revokes its grant.
//   GET  /.well-known/oauth-authorization-server   RFC 8414 §3
//   POST /register   RFC 7591 §3.1-3.2.1: 201 with client_id and client_secret
//   GET  /.well-known/oauth-protected-resource[/mcp]  RFC 9728 §3
//   GET|POST /mcp, GET /api/me: the protected resource; without a valid
//        bearer 401 with `WWW-Authenticate: Bearer resource_metadata="..."`
//        (RFC 9728 §5.1, RFC 6750 §3: error="invalid_token" for a bad one).
// Modes (besides fake_server.hpp's): access_denied (authorize answers
// error=access_denied), invalid_grant and invalid_client (every token
// request), server_error (500 from token and revoke), rate_limited (429 with
// Retry-After: 7 from token), slow (token replies after 3 s), html_error (the
// token endpoint answers 200 with an HTML page, as a misconfigured proxy
// does), missing_access_token, wrong_types (expires_in as a string,
// access_token a number), wrong_issuer (metadata names another issuer),
// no_s256 (metadata without code_challenge_methods_supported), cimd (the
// metadata advertises client_id_metadata_document_supported, and an https
// client_id is taken as a public client identified by its Client ID
// Metadata Document; the fake trusts the redirect_uri instead of fetching
// the document, which lives on the host's https public origin),
// no_registration (metadata without registration_endpoint; /register 404),
// wrong_iss (the authorization response's RFC 9207 `iss` names another
// server), no_iss (it has none, though the metadata advertises
// authorization_response_iss_parameter_supported, as it always does),
// created_201 (token successes answer 201 Created, as Supabase documents its
// POST /v1/oauth/token: https://api.supabase.com/api/v1#tag/oauth/POST/v1/oauth/token).
// A public client (RFC 6749 §2.1, no secret) sends client_id alone (§3.2.1).
#include "oauth_fake.hpp"

#include <algorithm>
#include <chrono>
#include <iterator>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA2Engine.h>
#include <Poco/String.h>
#include <Poco/URI.h>

namespace sb::fakes {
namespace {

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string randomHex(std::size_t bytes) {
  static thread_local std::mt19937_64 generator{std::random_device{}()};
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes; ++i) {
    const auto byte = static_cast<unsigned>(generator() & 0xff);
    out += digits[byte >> 4];
    out += digits[byte & 0xf];
  }
  return out;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded (WHATWG URL §5.1): '+' is a space.
std::string formDecode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hexValue(text[i + 1]) >= 0 && hexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// Duplicate parameters are an error at the token endpoint (RFC 6749 §3.2:
// "Request and response parameters MUST NOT be included more than once").
bool parseForm(const std::string& body, std::map<std::string, std::string>& out) {
  std::istringstream in(body);
  std::string pair;
  while (std::getline(in, pair, '&')) {
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    const std::string name = formDecode(pair.substr(0, eq));
    const std::string value = eq == std::string::npos ? std::string() : formDecode(pair.substr(eq + 1));
    if (!out.emplace(name, value).second) return false;
  }
  return true;
}

std::string base64UrlSha256(const std::string& text) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(text);
  const auto& digest = sha.digest();
  std::ostringstream out;
  Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
  encoder.write(reinterpret_cast<const char*>(digest.data()), static_cast<std::streamsize>(digest.size()));
  encoder.close();
  return out.str();
}

std::string stringify(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

std::string issuerOf(const FakeRequest& request) { return "http://" + request.header("host"); }

// RFC 6749 §5.2 error reply.
void oauthError(FakeResponse& response, int status, const std::string& error, const std::string& description) {
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("error", error);
  body.set("error_description", description);
  response.json(status, stringify(body));
  response.headers.emplace_back("Cache-Control", "no-store");
  if (status == 401) response.headers.emplace_back("WWW-Authenticate", "Basic realm=\"fake-oauth\"");
}

void redirect(FakeResponse& response, const std::string& location) {
  response.status = 302;
  response.headers.emplace_back("Location", location);
  response.contentType = "text/plain";
  response.body = "redirecting";
}

}  // namespace

struct OAuthFake::State {
  struct Client {
    std::string secret;
    std::vector<std::string> redirectUris;  // empty: any (the pre-registered test client)
  };
  struct Code {
    std::string clientId, redirectUri, challenge, scope, resource;
    bool used = false;
    std::string family;  // the grant it was exchanged for
  };
  struct Family {
    std::string clientId, scope;
    bool revoked = false;
    std::string currentRefresh;
  };
  struct Access {
    std::string family;
    std::int64_t expiresAtMs = 0;  // 0: no expiry
  };

  mutable std::mutex mutex;
  OAuthCounters counters;
  int accessTtlSeconds = 3600;
  std::string grantedScope;
  std::map<std::string, Client> clients;
  std::map<std::string, Code> codes;
  std::map<std::string, Family> families;
  std::map<std::string, std::string> refreshFamily;  // every refresh token ever issued -> family
  std::map<std::string, Access> access;
  std::vector<std::string> issuedAccess;  // revoked ones too

  // A new access + refresh token pair for `familyId` (lock held).
  Poco::JSON::Object issue(const std::string& familyId) {
    Family& family = families[familyId];
    const std::string accessToken = "fake-at-" + randomHex(16);
    const std::string refreshToken = "fake-rt-" + randomHex(16);
    issuedAccess.push_back(accessToken);
    access[accessToken] = Access{familyId, accessTtlSeconds > 0 ? nowMs() + accessTtlSeconds * 1000LL : 0};
    refreshFamily[refreshToken] = familyId;
    family.currentRefresh = refreshToken;
    Poco::JSON::Object reply(Poco::JSON_PRESERVE_KEY_ORDER);
    reply.set("access_token", accessToken);
    reply.set("token_type", "Bearer");
    if (accessTtlSeconds > 0) reply.set("expires_in", accessTtlSeconds);
    reply.set("refresh_token", refreshToken);
    reply.set("scope", family.scope);
    return reply;
  }

  void revokeFamily(const std::string& familyId) {
    families[familyId].revoked = true;
    for (auto it = access.begin(); it != access.end();) {
      it = it->second.family == familyId ? access.erase(it) : std::next(it);
    }
  }
};

OAuthFake::OAuthFake() : state_(std::make_unique<State>()) {
  state_->clients[kOAuthClientId] = State::Client{kOAuthClientSecret, {}};
}

OAuthFake::~OAuthFake() = default;

OAuthCounters OAuthFake::counters() const {
  std::lock_guard lock(state_->mutex);
  return state_->counters;
}

void OAuthFake::setAccessTtlSeconds(int seconds) {
  std::lock_guard lock(state_->mutex);
  state_->accessTtlSeconds = seconds;
}

void OAuthFake::setGrantedScope(const std::string& scope) {
  std::lock_guard lock(state_->mutex);
  state_->grantedScope = scope;
}

void OAuthFake::expireAccessTokens() {
  std::lock_guard lock(state_->mutex);
  for (auto& [token, entry] : state_->access) entry.expiresAtMs = 1;
}

std::vector<std::string> OAuthFake::issuedSecrets() const {
  std::lock_guard lock(state_->mutex);
  std::vector<std::string> out;
  for (const auto& [code, entry] : state_->codes) out.push_back(code);
  for (const auto& [token, family] : state_->refreshFamily) out.push_back(token);
  for (const auto& token : state_->issuedAccess) out.push_back(token);
  return out;
}

bool OAuthFake::accessTokenValid(const std::string& accessToken) const {
  std::lock_guard lock(state_->mutex);
  auto it = state_->access.find(accessToken);
  if (it == state_->access.end()) return false;
  return it->second.expiresAtMs == 0 || it->second.expiresAtMs > nowMs();
}

namespace {

// Which client the request authenticates as, or why not (RFC 6749 §2.3.1).
// Writes the §5.2 error itself and returns "" on failure.
template <class Clients>
std::string authenticateClient(const FakeRequest& request, const std::map<std::string, std::string>& form,
                               const Clients& clients, FakeResponse& response) {
  const std::string authorization = request.header("authorization");
  const bool basic = Poco::icompare(authorization.substr(0, 6), "Basic ") == 0;
  const bool post = form.count("client_secret") > 0;
  if (basic && post) {
    oauthError(response, 400, "invalid_request", "more than one client authentication method (RFC 6749 §2.3)");
    return "";
  }
  std::string id;
  std::string secret;
  if (basic) {
    std::istringstream in(authorization.substr(6));
    Poco::Base64Decoder decoder(in);
    std::string decoded((std::istreambuf_iterator<char>(decoder)), std::istreambuf_iterator<char>());
    const auto colon = decoded.find(':');
    if (colon == std::string::npos) {
      oauthError(response, 401, "invalid_client", "malformed Basic credentials");
      return "";
    }
    id = formDecode(decoded.substr(0, colon));
    secret = formDecode(decoded.substr(colon + 1));
  } else if (post) {
    id = form.count("client_id") ? form.at("client_id") : "";
    secret = form.at("client_secret");
  } else {
    id = form.count("client_id") ? form.at("client_id") : "";  // a public client: its secret is ""
  }
  auto client = clients.find(id);
  if (id.empty() || client == clients.end() || client->second.secret != secret) {
    oauthError(response, 401, "invalid_client", "client authentication failed");
    return "";
  }
  if (basic && form.count("client_id") && form.at("client_id") != id) {
    oauthError(response, 400, "invalid_request", "client_id does not match the authenticated client");
    return "";
  }
  return id;
}

}  // namespace

void OAuthFake::handle(const FakeRequest& request, FakeResponse& response, const Behaviour& behaviour) {
  const std::string& mode = behaviour.mode;
  const std::string issuer = issuerOf(request);
  State& s = *state_;

  if (request.path == "/__fake/oauth") {
    std::lock_guard lock(s.mutex);
    if (request.method == "POST") {
      try {
        auto object = Poco::JSON::Parser().parse(request.body).extract<Poco::JSON::Object::Ptr>();
        if (object->has("accessTtlSeconds")) s.accessTtlSeconds = object->getValue<int>("accessTtlSeconds");
        if (object->has("grantedScope")) s.grantedScope = object->getValue<std::string>("grantedScope");
        if (object->has("expireAccessTokens") && object->getValue<bool>("expireAccessTokens")) {
          for (auto& [token, entry] : s.access) entry.expiresAtMs = 1;
        }
      } catch (const std::exception&) {
        return response.json(400, "{\"message\":\"bad control request\"}");
      }
    }
    Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
    out.set("tokenRequests", s.counters.tokenRequests);
    out.set("codeExchanges", s.counters.codeExchanges);
    out.set("refreshes", s.counters.refreshes);
    out.set("revocations", s.counters.revocations);
    out.set("reuseDetected", s.counters.reuseDetected);
    out.set("registrations", s.counters.registrations);
    out.set("metadataRequests", s.counters.metadataRequests);
    return response.json(200, stringify(out));
  }

  if (request.path == "/.well-known/oauth-authorization-server") {
    {
      std::lock_guard lock(s.mutex);
      ++s.counters.metadataRequests;
    }
    Poco::JSON::Object meta(Poco::JSON_PRESERVE_KEY_ORDER);
    meta.set("issuer", mode == "wrong_issuer" ? issuer + "/someone-else" : issuer);
    meta.set("authorization_endpoint", issuer + "/authorize");
    meta.set("token_endpoint", issuer + "/token");
    meta.set("revocation_endpoint", issuer + "/revoke");
    if (mode != "no_registration") meta.set("registration_endpoint", issuer + "/register");
    if (mode == "cimd") meta.set("client_id_metadata_document_supported", true);
    meta.set("authorization_response_iss_parameter_supported", true);  // RFC 9207 §3
    Poco::JSON::Array::Ptr types = new Poco::JSON::Array;
    types->add("code");
    meta.set("response_types_supported", types);
    Poco::JSON::Array::Ptr grants = new Poco::JSON::Array;
    grants->add("authorization_code");
    grants->add("refresh_token");
    meta.set("grant_types_supported", grants);
    Poco::JSON::Array::Ptr auth = new Poco::JSON::Array;
    auth->add("client_secret_basic");
    auth->add("client_secret_post");
    meta.set("token_endpoint_auth_methods_supported", auth);
    if (mode != "no_s256") {
      Poco::JSON::Array::Ptr methods = new Poco::JSON::Array;
      methods->add("S256");
      meta.set("code_challenge_methods_supported", methods);
    }
    return response.json(200, stringify(meta));
  }

  if (request.path == "/.well-known/oauth-protected-resource" ||
      request.path == "/.well-known/oauth-protected-resource/mcp") {
    Poco::JSON::Object meta(Poco::JSON_PRESERVE_KEY_ORDER);
    meta.set("resource", issuer + "/mcp");
    Poco::JSON::Array::Ptr servers = new Poco::JSON::Array;
    servers->add(issuer);
    meta.set("authorization_servers", servers);
    Poco::JSON::Array::Ptr methods = new Poco::JSON::Array;
    methods->add("header");
    meta.set("bearer_methods_supported", methods);
    return response.json(200, stringify(meta));
  }

  if (request.path == "/mcp" || request.path == "/api/me") {
    const std::string authorization = request.header("authorization");
    std::string token = Poco::icompare(authorization.substr(0, 7), "Bearer ") == 0 ? authorization.substr(7) : "";
    if (!token.empty() && accessTokenValid(token)) {
      return response.json(200, "{\"ok\":true,\"resource\":\"" + request.path + "\"}");
    }
    std::string challenge = "Bearer resource_metadata=\"" + issuer + "/.well-known/oauth-protected-resource/mcp\"";
    if (!token.empty()) challenge += ", error=\"invalid_token\"";
    response.headers.emplace_back("WWW-Authenticate", challenge);
    return response.json(401, "{\"error\":\"invalid_token\"}");
  }

  if (request.path == "/authorize" && request.method == "GET") {
    auto param = [&](const char* name) {
      auto it = request.query.find(name);
      return it == request.query.end() ? std::string() : it->second;
    };
    const std::string clientId = param("client_id");
    const std::string redirectUri = param("redirect_uri");
    std::lock_guard lock(s.mutex);
    if (mode == "cimd" && clientId.rfind("https://", 0) == 0 && s.clients.count(clientId) == 0) {
      s.clients[clientId] = State::Client{"", {redirectUri}};
    }
    auto client = s.clients.find(clientId);
    // §4.1.2.1: an unknown client or redirect_uri must not be redirected to.
    const bool redirectOk = client != s.clients.end() &&
                            (client->second.redirectUris.empty() ||
                             std::find(client->second.redirectUris.begin(), client->second.redirectUris.end(),
                                       redirectUri) != client->second.redirectUris.end());
    if (!redirectOk || redirectUri.empty()) {
      response.contentType = "text/html; charset=utf-8";
      response.status = 400;
      response.body = "<html><body>Unknown client or redirect_uri</body></html>";
      return;
    }
    Poco::URI back(redirectUri);
    const std::string state = param("state");
    // RFC 9207 §2: `iss` in every authorization response, errors included.
    const auto addIss = [&] {
      if (mode == "no_iss") return;
      back.addQueryParameter("iss", mode == "wrong_iss" ? issuerOf(request) + "/someone-else" : issuerOf(request));
    };
    auto fail = [&](const std::string& error) {
      back.addQueryParameter("error", error);
      if (!state.empty()) back.addQueryParameter("state", state);
      addIss();
      redirect(response, back.toString());
    };
    if (mode == "access_denied") return fail("access_denied");
    if (param("response_type") != "code") return fail("unsupported_response_type");
    if (param("code_challenge").empty() || param("code_challenge_method") != "S256") return fail("invalid_request");
    const std::string code = "fake-code-" + randomHex(16);
    s.codes[code] = State::Code{clientId, redirectUri, param("code_challenge"), param("scope"), param("resource"), false, ""};
    back.addQueryParameter("code", code);
    if (!state.empty()) back.addQueryParameter("state", state);
    addIss();
    return redirect(response, back.toString());
  }

  if (request.path == "/token" && request.method == "POST") {
    {
      std::lock_guard lock(s.mutex);
      ++s.counters.tokenRequests;
    }
    if (mode == "slow") std::this_thread::sleep_for(std::chrono::seconds(3));
    if (mode == "server_error") return response.json(500, "{\"error\":\"server_error\"}");
    if (mode == "rate_limited") {
      response.headers.emplace_back("Retry-After", "7");
      return oauthError(response, 429, "slow_down", "too many token requests");
    }
    if (mode == "html_error") {
      response.contentType = "text/html; charset=utf-8";
      response.status = 200;
      response.body = "<!DOCTYPE html><html><body><h1>Sign-in service unavailable</h1></body></html>";
      return;
    }
    if (mode == "invalid_client") return oauthError(response, 401, "invalid_client", "client authentication failed");
    if (mode == "invalid_grant") return oauthError(response, 400, "invalid_grant", "the grant is no longer valid");
    if (Poco::toLower(request.header("content-type")).rfind("application/x-www-form-urlencoded", 0) != 0) {
      return oauthError(response, 400, "invalid_request", "the body must be application/x-www-form-urlencoded");
    }
    std::map<std::string, std::string> form;
    if (!parseForm(request.body, form)) return oauthError(response, 400, "invalid_request", "a repeated parameter");
    std::lock_guard lock(s.mutex);
    const std::string clientId = authenticateClient(request, form, s.clients, response);
    if (clientId.empty()) return;
    const std::string grantType = form.count("grant_type") ? form.at("grant_type") : "";
    Poco::JSON::Object reply;
    if (grantType == "authorization_code") {
      auto code = s.codes.find(form.count("code") ? form.at("code") : "");
      if (code == s.codes.end() || code->second.clientId != clientId) {
        return oauthError(response, 400, "invalid_grant", "unknown authorization code");
      }
      if (code->second.used) {
        // §4.1.2: a code used twice revokes what it was exchanged for.
        ++s.counters.reuseDetected;
        s.revokeFamily(code->second.family);
        return oauthError(response, 400, "invalid_grant", "authorization code already used");
      }
      code->second.used = true;
      if (!form.count("redirect_uri") || form.at("redirect_uri") != code->second.redirectUri) {
        return oauthError(response, 400, "invalid_grant", "redirect_uri differs from the authorization request");
      }
      if (!form.count("code_verifier") || base64UrlSha256(form.at("code_verifier")) != code->second.challenge) {
        return oauthError(response, 400, "invalid_grant", "PKCE verification failed");
      }
      if (code->second.resource != (form.count("resource") ? form.at("resource") : "")) {
        return oauthError(response, 400, "invalid_target", "resource differs from the authorization request");
      }
      const std::string familyId = randomHex(8);
      s.families[familyId] = State::Family{clientId, s.grantedScope.empty() ? code->second.scope : s.grantedScope,
                                           false, ""};
      code->second.family = familyId;
      reply = s.issue(familyId);
      ++s.counters.codeExchanges;
    } else if (grantType == "refresh_token") {
      auto known = s.refreshFamily.find(form.count("refresh_token") ? form.at("refresh_token") : "");
      if (known == s.refreshFamily.end()) return oauthError(response, 400, "invalid_grant", "unknown refresh token");
      State::Family& family = s.families[known->second];
      if (family.clientId != clientId) return oauthError(response, 400, "invalid_grant", "another client's token");
      if (family.revoked) return oauthError(response, 400, "invalid_grant", "the grant was revoked");
      if (family.currentRefresh != known->first) {
        ++s.counters.reuseDetected;
        s.revokeFamily(known->second);
        return oauthError(response, 400, "invalid_grant", "refresh token reuse detected: the grant is revoked");
      }
      reply = s.issue(known->second);
      ++s.counters.refreshes;
    } else {
      return oauthError(response, 400, "unsupported_grant_type", "grant_type '" + grantType + "'");
    }
    if (mode == "missing_access_token") reply.remove("access_token");
    if (mode == "wrong_types") {
      reply.set("access_token", 12345);
      reply.set("expires_in", "3600");
    }
    response.json(mode == "created_201" ? 201 : 200, stringify(reply));
    response.headers.emplace_back("Cache-Control", "no-store");
    response.headers.emplace_back("Pragma", "no-cache");
    return;
  }

  if (request.path == "/revoke" && request.method == "POST") {
    {
      std::lock_guard lock(s.mutex);
      ++s.counters.revocations;
    }
    if (mode == "server_error") return response.json(503, "{\"error\":\"temporarily_unavailable\"}");
    std::map<std::string, std::string> form;
    if (!parseForm(request.body, form)) return oauthError(response, 400, "invalid_request", "a repeated parameter");
    std::lock_guard lock(s.mutex);
    if (authenticateClient(request, form, s.clients, response).empty()) return;
    const std::string token = form.count("token") ? form.at("token") : "";
    if (auto rt = s.refreshFamily.find(token); rt != s.refreshFamily.end()) s.revokeFamily(rt->second);
    if (auto at = s.access.find(token); at != s.access.end()) s.access.erase(at);
    return response.json(200, "");  // §2.2: 200 for unknown tokens too; the body is ignored
  }

  if (request.path == "/register" && request.method == "POST" && mode != "no_registration") {
    Poco::JSON::Object::Ptr metadata;
    try {
      metadata = Poco::JSON::Parser().parse(request.body).extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception&) {
      return oauthError(response, 400, "invalid_client_metadata", "the body is not a JSON object");
    }
    if (!metadata->has("redirect_uris") || !metadata->isArray("redirect_uris")) {
      return oauthError(response, 400, "invalid_redirect_uri", "redirect_uris is required");
    }
    State::Client client{"fake-secret-" + randomHex(16), {}};
    auto uris = metadata->getArray("redirect_uris");
    for (std::size_t i = 0; i < uris->size(); ++i) client.redirectUris.push_back(uris->getElement<std::string>(i));
    const std::string clientId = "fake-client-" + randomHex(8);
    Poco::JSON::Object reply(Poco::JSON_PRESERVE_KEY_ORDER);
    reply.set("client_id", clientId);
    reply.set("client_secret", client.secret);
    reply.set("client_id_issued_at", nowMs() / 1000);
    reply.set("client_secret_expires_at", 0);
    reply.set("redirect_uris", uris);
    reply.set("token_endpoint_auth_method", "client_secret_basic");
    {
      std::lock_guard lock(s.mutex);
      s.clients[clientId] = std::move(client);
      ++s.counters.registrations;
    }
    return response.json(201, stringify(reply));
  }

  response.json(404, "{\"error\":\"not_found\"}");
}

std::shared_ptr<OAuthFake> makeOAuthFake() { return std::make_shared<OAuthFake>(); }

}  // namespace sb::fakes
