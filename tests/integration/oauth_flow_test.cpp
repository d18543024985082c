// The OAuth connection flow end to end: the real server (SQLite file or
// PostgreSQL), the fake authorization server on loopback, HTTP both ways.
// POST authorize -> the browser leg at the fake -> GET /oauth/callback ->
// connected; each refusal of the callback stores nothing; DELETE revokes at
// the provider (or says it could not) and deletes the tokens. No code,
// state, verifier, token or client secret appears in a reply, a log, the
// access log or the database files (WAL included).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <iterator>
#include <sstream>
#include <thread>
#include <string>
#include <vector>

#include <Poco/Base64Decoder.h>
#include <Poco/Data/Session.h>
#include <Poco/Environment.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>

#include "oauth_fake.hpp"
#include "project_setup.hpp"
#include "server_process.hpp"

using namespace sbtest;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

namespace {

constexpr const char* kRedirectUri = "https://app.example/oauth/callback";
constexpr const char* kReturnTo = "https://app.example/settings/connections";

std::string decodeBase64(const std::string& text) {
  std::istringstream in(text);
  Poco::Base64Decoder decoder(in);
  return std::string((std::istreambuf_iterator<char>(decoder)), std::istreambuf_iterator<char>());
}

std::string queryValue(const std::string& url, const std::string& name) {
  for (const auto& [key, value] : Poco::URI(url).getQueryParameters()) {
    if (key == name) return value;
  }
  return "";
}

class OAuthFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db.ok()) << "test database unavailable";
    fake.start();
    Poco::Environment::set("SB_TEST_OAUTH_SECRET", sb::fakes::kOAuthClientSecret);
  }

  void startServer(const std::string& tokenAuth = "client_secret_basic") {
    const std::string connections =
        "connections:\n"
        "  - name: acme\n    display_name: Acme\n"
        "    egress: {allow_http: true, allow: [127.0.0.1]}\n"
        "    oauth:\n"
        "      client_id: " + std::string(sb::fakes::kOAuthClientId) + "\n"
        "      client_secret: ${SB_TEST_OAUTH_SECRET}\n"
        "      authorize_url: " + fake.baseUrl() + "/authorize\n"
        "      token_url: " + fake.baseUrl() + "/token\n"
        "      revocation_url: " + fake.baseUrl() + "/revoke\n"
        "      redirect_uri: " + kRedirectUri + "\n"
        "      scopes: [read, write]\n"
        "      token_auth: " + tokenAuth + "\n";
    startWith(connections);
  }

  void startWith(const std::string& connections) {
    configPath = writeConfig(dir, db, plugins, secretsSection(dir) + connections + statusSection);
    server = std::make_unique<ServerProcess>(configPath);
    ASSERT_TRUE(server->ok()) << server->output();
    token = createToken(configPath, "olivia");
  }

  HttpResponse call(const std::string& method, const std::string& path, const std::string& body = {}) {
    HttpResponse response = server->request(method, path, token, body);
    replies += response.body + "\n";
    for (const auto& [name, value] : response.headers) replies += name + ": " + value + "\n";
    return response;
  }

  // POST authorize, then what the browser does at the fake: the Location
  // the fake redirects to (the redirect_uri with code and state, or error).
  std::string authorizeAtFake(const std::string& returnTo = kReturnTo) {
    // Not call(): this reply carries the state, for the browser to take along.
    auto started = server->request("POST", "/api/v1/connections/" + connectionName + "/authorize", token,
                                   R"({"returnTo":")" + returnTo + "\"}");
    EXPECT_EQ(started.status, 200) << started.body;
    if (started.status != 200) return "";
    const std::string url = parseObject(started.body)->getValue<std::string>("authorizationUrl");
    authorizationUrls.push_back(url);
    Poco::URI authorize(url);
    Poco::Net::HTTPClientSession session(authorize.getHost(), authorize.getPort());
    Poco::Net::HTTPRequest request("GET", authorize.getPathEtc(), Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    session.receiveResponse(response);
    EXPECT_EQ(response.getStatus(), 302);
    const std::string location = response.get("Location", "");
    EXPECT_EQ(location.rfind(std::string(kRedirectUri) + "?", 0), 0u) << location;
    states.push_back(queryValue(location, "state"));
    return location;
  }

  // The browser arriving at the host's callback with the fake's query.
  HttpResponse callback(const std::string& location) {
    return call("GET", "/oauth/callback?" + Poco::URI(location).getRawQuery());
  }

  std::string connectionState() {
    auto listed = call("GET", "/api/v1/connections");
    EXPECT_EQ(listed.status, 200) << listed.body;
    auto items = parseObject(listed.body)->getArray("items");
    for (std::size_t i = 0; i < items->size(); ++i) {
      auto item = items->getObject(static_cast<unsigned>(i));
      if (item->getValue<std::string>("name") == connectionName) return item->getValue<std::string>("state");
    }
    return "(missing)";
  }

  int grantRows() {
    auto session = db.rawSession();
    int count = -1;
    session << "SELECT COUNT(*) FROM oauth_tokens", into(count), now;
    return count;
  }

  // Everything that must never hold a secret: replies, logs, database.
  void expectNoSecretLeaked() {
    server->stop();
    std::string everything = replies + server->output() + fileText(dir.file("server.log")) +
                             fileText(dir.file("access.log"));
    if (db.isSqlite()) {
      for (const char* suffix : {"", "-wal", "-shm"}) {
        if (std::filesystem::exists(db.sqliteFile() + suffix)) everything += fileText(db.sqliteFile() + suffix);
      }
    } else {
      auto session = db.rawSession();
      std::vector<std::string> sealed, pending;
      session << "SELECT token_sealed FROM oauth_tokens", into(sealed), now;
      session << "SELECT pending_sealed || state_hash FROM oauth_states", into(pending), now;
      session << "SELECT registration_sealed FROM oauth_client_registrations", into(sealed), now;
      for (const auto& text : sealed) everything += text;
      for (const auto& text : pending) everything += text;
    }
    std::vector<std::string> secrets = oauth->issuedSecrets();
    secrets.push_back(sb::fakes::kOAuthClientSecret);
    for (const std::string& state : states) {
      if (!state.empty()) secrets.push_back(state);
    }
    for (const auto& request : fake.requests()) {
      if (request.path == "/token") {
        std::string verifier = queryValue("http://x/?" + request.body, "code_verifier");
        if (!verifier.empty()) secrets.push_back(verifier);
        // A registered client's secret: the fake's Basic credentials (RFC 6749 §2.3.1).
        const std::string basic = request.header("authorization");
        if (basic.rfind("Basic ", 0) == 0) {
          const std::string pair = decodeBase64(basic.substr(6));
          if (pair.find(':') != std::string::npos && pair.size() > pair.find(':') + 1) {
            std::string decoded;
            Poco::URI::decode(pair.substr(pair.find(':') + 1), decoded);
            secrets.push_back(decoded);
          }
        }
      }
    }
    ASSERT_GE(secrets.size(), 2u) << "at least the client secret and one state";
    for (const std::string& secret : secrets) {
      EXPECT_EQ(everything.find(secret), std::string::npos) << "leaked: " << secret.substr(0, 12) << "...";
    }
  }

  ScratchDirectory dir;
  ScratchDatabase db;
  std::shared_ptr<sb::fakes::OAuthFake> oauth = sb::fakes::makeOAuthFake();
  sb::fakes::FakeServer fake{oauth};
  std::string plugins;        // plugins.enabled items, for the tests of links on the connection
  std::string statusSection;  // a status: section
  std::string configPath;
  std::unique_ptr<ServerProcess> server;
  std::string token;
  std::string replies;
  std::vector<std::string> states;
  std::string connectionName = "acme";
  std::vector<std::string> authorizationUrls;
};

TEST_F(OAuthFlowTest, ConnectsThroughTheCallbackAndDisconnectsWithRevocation) {
  startServer();
  ASSERT_EQ(connectionState(), "not_connected");
  const std::string location = authorizeAtFake();
  auto done = callback(location);
  ASSERT_EQ(done.status, 303) << done.body;
  EXPECT_EQ(done.header("location"), std::string(kReturnTo) + "?connection=acme&result=connected");
  EXPECT_EQ(done.header("cache-control"), "no-store");
  EXPECT_EQ(done.header("referrer-policy"), "no-referrer");
  EXPECT_EQ(connectionState(), "connected");
  EXPECT_EQ(oauth->counters().codeExchanges, 1);

  // The token request: Basic client authentication only, the verifier, the
  // redirect_uri byte for byte (the fake refuses otherwise).
  for (const auto& request : fake.requests()) {
    if (request.path != "/token") continue;
    EXPECT_EQ(request.header("authorization").rfind("Basic ", 0), 0u);
    EXPECT_EQ(request.body.find("client_secret"), std::string::npos);
    EXPECT_EQ(request.header("content-type"), "application/x-www-form-urlencoded");
  }

  auto replayed = callback(location);
  EXPECT_EQ(replayed.status, 400) << "a state is single use";
  EXPECT_NE(replayed.header("content-type").find("text/html"), std::string::npos);
  EXPECT_EQ(oauth->counters().codeExchanges, 1);

  auto removed = call("DELETE", "/api/v1/connections/acme");
  ASSERT_EQ(removed.status, 200) << removed.body;
  auto body = parseObject(removed.body);
  EXPECT_EQ(body->getValue<std::string>("revocation"), "revoked");
  EXPECT_EQ(body->getValue<std::string>("state"), "not_connected");
  EXPECT_EQ(oauth->counters().revocations, 1);
  EXPECT_EQ(connectionState(), "not_connected");
  EXPECT_EQ(grantRows(), 0);
  EXPECT_EQ(call("DELETE", "/api/v1/connections/acme").status, 404);
  EXPECT_EQ(call("DELETE", "/api/v1/connections/nope").status, 404);
  expectNoSecretLeaked();
}

TEST_F(OAuthFlowTest, ClientSecretPostSendsTheSecretInTheBodyOnly) {
  startServer("client_secret_post");
  ASSERT_EQ(callback(authorizeAtFake()).status, 303);
  EXPECT_EQ(connectionState(), "connected");
  int tokenRequests = 0;
  for (const auto& request : fake.requests()) {
    if (request.path != "/token") continue;
    ++tokenRequests;
    EXPECT_EQ(request.header("authorization"), "");
    EXPECT_NE(request.body.find("client_secret="), std::string::npos);
  }
  EXPECT_EQ(tokenRequests, 1);
  expectNoSecretLeaked();
}

TEST_F(OAuthFlowTest, DisconnectSucceedsLocallyWhenTheProviderIsDown) {
  startServer();
  ASSERT_EQ(callback(authorizeAtFake()).status, 303);
  fake.setMode("server_error");
  auto removed = call("DELETE", "/api/v1/connections/acme");
  ASSERT_EQ(removed.status, 200) << removed.body;
  auto body = parseObject(removed.body);
  EXPECT_EQ(body->getValue<std::string>("revocation"), "failed");
  EXPECT_NE(body->getValue<std::string>("revocationDetail").find("503"), std::string::npos);
  EXPECT_EQ(connectionState(), "not_connected");
  EXPECT_EQ(grantRows(), 0);
  expectNoSecretLeaked();
}

TEST_F(OAuthFlowTest, TheProvidersRefusalGoesBackToReturnToAndStoresNothing) {
  startServer();
  fake.setMode("access_denied");
  auto denied = callback(authorizeAtFake());
  ASSERT_EQ(denied.status, 303);
  EXPECT_EQ(denied.header("location"), std::string(kReturnTo) + "?connection=acme&result=access_denied");
  EXPECT_EQ(grantRows(), 0);
  EXPECT_EQ(oauth->counters().tokenRequests, 0);
  expectNoSecretLeaked();
}

TEST_F(OAuthFlowTest, UnknownForeignAndExpiredStatesAreRefused) {
  startServer();
  auto unknown = call("GET", "/oauth/callback?code=abc&state=not-a-state-we-issued");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.body.find("unknown"), std::string::npos) << unknown.body;
  EXPECT_EQ(call("GET", "/oauth/callback?code=abc").status, 400);

  // Expired: the pending authorization outlived its 10 minutes.
  const std::string location = authorizeAtFake();
  {
    auto session = db.rawSession();
    session << "UPDATE oauth_states SET expires_at_ms = 1", now;
  }
  auto expired = callback(location);
  EXPECT_EQ(expired.status, 400);
  EXPECT_EQ(grantRows(), 0);
  {
    int pending = -1;
    auto session = db.rawSession();
    session << "SELECT COUNT(*) FROM oauth_states", into(pending), now;
    EXPECT_EQ(pending, 0) << "expired pending authorizations are pruned";
  }
  EXPECT_EQ(oauth->counters().tokenRequests, 0);
  expectNoSecretLeaked();
}

TEST_F(OAuthFlowTest, AFailedOrMalformedExchangeStoresNothing) {
  startServer();
  for (const char* mode : {"invalid_grant", "invalid_client", "server_error", "html_error", "missing_access_token",
                           "wrong_types", "malformed", "oversized"}) {
    fake.setMode("ok");
    const std::string location = authorizeAtFake();
    fake.setMode(mode);
    auto failed = callback(location);
    EXPECT_EQ(failed.status, 303) << mode;
    EXPECT_EQ(failed.header("location"), std::string(kReturnTo) + "?connection=acme&result=exchange_failed") << mode;
    EXPECT_EQ(grantRows(), 0) << mode;
  }
  fake.setMode("ok");
  // Without a returnTo the user gets a page, with the right status.
  auto location = authorizeAtFake("");
  fake.setMode("html_error");
  auto page = callback(location);
  EXPECT_EQ(page.status, 502);
  EXPECT_NE(page.header("content-type").find("text/html"), std::string::npos);
  EXPECT_NE(page.body.find("Not connected"), std::string::npos);
  fake.setMode("ok");
  expectNoSecretLeaked();
}

// ---- MCP servers: discovery, client id, re-discovery ------------------------

// An MCP connection with nothing but the server URL (and the redirect_uri):
// the host discovers the rest through the mcp_oauth plugin, whose own egress
// block is absent so only the connection's egress lets discovery reach the
// fake on loopback.
class McpFlowTest : public OAuthFlowTest {
 protected:
  void startMcp(const std::string& oauthExtra = {}, const std::string& entryExtra = {}) {
    connectionName = "mcp";
    plugins = fakePluginEntry("mcp_oauth", fake.baseUrl(), "");
    startWith("connections:\n"
              "  - name: mcp\n    type: mcp\n    display_name: Notes MCP\n"
              "    url: " + fake.baseUrl() + "/mcp\n" + entryExtra +
              "    egress: {allow_http: true, allow: [127.0.0.1]}\n"
              "    oauth:\n"
              "      redirect_uri: " + kRedirectUri + "\n" + oauthExtra);
  }

  HttpResponse authorizeProblem() {
    return call("POST", "/api/v1/connections/mcp/authorize", R"({"returnTo":")" + std::string(kReturnTo) + "\"}");
  }

  int requestsTo(const std::string& path) {
    int count = 0;
    for (const auto& request : fake.requests()) count += request.path == path ? 1 : 0;
    return count;
  }
};

TEST_F(McpFlowTest, DiscoversRegistersOnceAndConnectsWithTheResource) {
  startMcp();
  const std::string location = authorizeAtFake();
  ASSERT_FALSE(location.empty());
  EXPECT_EQ(requestsTo("/.well-known/oauth-protected-resource/mcp"), 1) << "the path-aware RFC 9728 URL";
  EXPECT_EQ(oauth->counters().metadataRequests, 1);
  EXPECT_EQ(oauth->counters().registrations, 1);
  const std::string& url = authorizationUrls.back();
  EXPECT_EQ(url.rfind(fake.baseUrl() + "/authorize?", 0), 0u) << url;
  EXPECT_EQ(queryValue(url, "client_id").rfind("fake-client-", 0), 0u) << url;
  EXPECT_EQ(queryValue(url, "resource"), fake.baseUrl() + "/mcp");
  EXPECT_EQ(queryValue(url, "code_challenge_method"), "S256");

  EXPECT_EQ(queryValue(location, "iss"), fake.baseUrl()) << "RFC 9207: the response names its server";
  auto done = callback(location);
  ASSERT_EQ(done.status, 303) << done.body;
  EXPECT_EQ(done.header("location"), std::string(kReturnTo) + "?connection=mcp&result=connected");
  EXPECT_EQ(connectionState(), "connected");
  for (const auto& request : fake.requests()) {
    if (request.path != "/token") continue;
    EXPECT_EQ(request.header("authorization").rfind("Basic ", 0), 0u) << "the registered client's secret";
    EXPECT_EQ(queryValue("http://x/?" + request.body, "resource"), fake.baseUrl() + "/mcp");
  }

  // A second authorization: the cached discovery and the stored registration.
  authorizeAtFake();
  EXPECT_EQ(oauth->counters().metadataRequests, 1);
  EXPECT_EQ(oauth->counters().registrations, 1);
  EXPECT_EQ(queryValue(authorizationUrls[1], "client_id"), queryValue(authorizationUrls[0], "client_id"));
  expectNoSecretLeaked();
}

TEST_F(McpFlowTest, AnAuthorizationResponseFromAnotherServerOrWithoutIssIsRefused) {
  // RFC 9207 §2.4: the mix-up defence. Neither response reaches the token endpoint.
  startMcp();
  for (const std::string mode : {"wrong_iss", "no_iss"}) {
    fake.setMode(mode);
    const std::string location = authorizeAtFake();
    ASSERT_FALSE(location.empty()) << mode;
    auto refused = callback(location);
    ASSERT_EQ(refused.status, 303) << refused.body;
    EXPECT_EQ(refused.header("location"), std::string(kReturnTo) + "?connection=mcp&result=" +
                                              (mode == "wrong_iss" ? "issuer_mismatch" : "issuer_missing"));
    // The state was spent on the refusal: the same response again does not connect.
    fake.setMode("ok");
    EXPECT_EQ(callback(location).header("location").find("result=connected"), std::string::npos) << mode;
  }
  EXPECT_EQ(requestsTo("/token"), 0);
  EXPECT_EQ(connectionState(), "not_connected");
  expectNoSecretLeaked();
}

TEST_F(McpFlowTest, TheRegistrationSurvivesARestartAndAZeroTtlRediscovers) {
  startMcp({}, "    discovery_ttl_ms: 0\n");
  authorizeAtFake();
  server->stop();
  server = std::make_unique<ServerProcess>(configPath);
  ASSERT_TRUE(server->ok()) << server->output();
  ASSERT_EQ(callback(authorizeAtFake()).status, 303);
  EXPECT_EQ(oauth->counters().registrations, 1) << "kept sealed in the database, per issuer";
  EXPECT_GE(oauth->counters().metadataRequests, 3) << "no cache with discovery_ttl_ms: 0";
  EXPECT_EQ(connectionState(), "connected");
  expectNoSecretLeaked();
}

TEST_F(McpFlowTest, AClientIdMetadataDocumentIsUsedWhenAdvertisedAndServedByTheHost) {
  fake.setMode("cimd");
  startMcp();
  const std::string location = authorizeAtFake();
  const std::string documentUrl = "https://app.example/oauth/client-metadata/mcp.json";
  EXPECT_EQ(queryValue(authorizationUrls.back(), "client_id"), documentUrl);
  EXPECT_EQ(oauth->counters().registrations, 0);

  auto document = server->request("GET", "/oauth/client-metadata/mcp.json", "");
  ASSERT_EQ(document.status, 200) << document.body;
  EXPECT_EQ(document.header("content-type").rfind("application/json", 0), 0u);
  auto metadata = parseObject(document.body);
  EXPECT_EQ(metadata->getValue<std::string>("client_id"), documentUrl);
  EXPECT_EQ(metadata->getValue<std::string>("client_name"), "Switchboard (Notes MCP)");
  EXPECT_EQ(metadata->getArray("redirect_uris")->getElement<std::string>(0), kRedirectUri);
  EXPECT_EQ(metadata->getValue<std::string>("token_endpoint_auth_method"), "none");
  EXPECT_EQ(server->request("GET", "/oauth/client-metadata/acme.json", "").status, 404);
  EXPECT_EQ(server->request("GET", "/oauth/client-metadata/mcp", "").status, 404);

  ASSERT_EQ(callback(location).status, 303);
  EXPECT_EQ(connectionState(), "connected");
  for (const auto& request : fake.requests()) {
    if (request.path != "/token") continue;
    EXPECT_EQ(request.header("authorization"), "") << "a public client";
    EXPECT_EQ(queryValue("http://x/?" + request.body, "client_id"), documentUrl);
  }
  fake.setMode("ok");
  expectNoSecretLeaked();
}

TEST_F(McpFlowTest, APreconfiguredClientIdIsUsedWithDiscoveredEndpoints) {
  startMcp("      client_id: " + std::string(sb::fakes::kOAuthClientId) +
           "\n      client_secret: ${SB_TEST_OAUTH_SECRET}\n");
  ASSERT_EQ(callback(authorizeAtFake()).status, 303);
  EXPECT_EQ(queryValue(authorizationUrls.back(), "client_id"), sb::fakes::kOAuthClientId);
  EXPECT_EQ(oauth->counters().registrations, 0);
  EXPECT_EQ(oauth->counters().metadataRequests, 1);
  EXPECT_EQ(connectionState(), "connected");
  expectNoSecretLeaked();
}

TEST_F(McpFlowTest, UnusableAuthorizationServersAreClearProblemsNotErrors) {
  startMcp({}, "    discovery_ttl_ms: 0\n");  // each case discovers afresh
  const std::pair<const char*, const char*> cases[] = {
      {"no_s256", "S256"}, {"wrong_issuer", "issuer"}, {"no_registration", "oauth.client_id"}};
  for (const auto& [mode, named] : cases) {
    fake.setMode(mode);
    auto refused = authorizeProblem();
    EXPECT_EQ(refused.status, std::string(mode) == "no_registration" ? 409 : 502) << mode << refused.body;
    EXPECT_EQ(refused.header("content-type"), "application/problem+json") << mode;
    EXPECT_NE(refused.body.find(named), std::string::npos) << mode << refused.body;
  }
  fake.setMode("ok");
  EXPECT_EQ(oauth->counters().registrations, 0);
  EXPECT_EQ(grantRows(), 0);
  const auto before = oauth->counters().metadataRequests;
  authorizeAtFake();  // a good server works again
  EXPECT_EQ(oauth->counters().metadataRequests, before + 1) << fake.behaviour().mode;
  expectNoSecretLeaked();
}

TEST_F(McpFlowTest, InvalidClientDropsTheDiscoveryAndTheRegistration) {
  startMcp();
  const std::string location = authorizeAtFake();
  EXPECT_EQ(oauth->counters().metadataRequests, 1);
  fake.setMode("invalid_client");
  auto failed = callback(location);
  EXPECT_EQ(failed.header("location"), std::string(kReturnTo) + "?connection=mcp&result=exchange_failed");
  fake.setMode("ok");
  ASSERT_EQ(callback(authorizeAtFake()).status, 303);
  EXPECT_EQ(oauth->counters().metadataRequests, 2) << "re-discovered after invalid_client";
  EXPECT_EQ(oauth->counters().registrations, 2) << "registered anew";
  EXPECT_EQ(connectionState(), "connected");
  expectNoSecretLeaked();
}

}  // namespace

// ---- links that use the connection (status calls on its token) ------------

class ConnectionLinkTest : public OAuthFlowTest {
 protected:
  // The ABI 1.3 test plugin, pointed at the fake's protected resource, and a
  // short status cache so each check below is one fresh status call.
  void startLinked() {
    plugins = "    - name: connection-status\n      path: " + testPluginDir() +
              "/connection_status.so\n      base_url: " + fake.baseUrl() +
              "\n      egress: {allow_http: true, allow: [127.0.0.1]}\n";
    statusSection = "status:\n  deadline_ms: 5000\n  cache_ttl_min_ms: 100\n  cache_ttl_max_ms: 150\n";
    startServer();
    ASSERT_EQ(callback(authorizeAtFake()).status, 303);
    auto created = call("POST", "/api/v1/projects", R"({"name":"On a connection"})");
    ASSERT_EQ(created.status, 201) << created.body;
    projectId = parseObject(created.body)->getValue<std::string>("id");
  }

  HttpResponse link(const std::string& body) {
    return call("PUT", "/api/v1/projects/" + projectId + "/integrations/acme", body);
  }

  Poco::JSON::Object::Ptr acmeItem() {
    auto reply = call("GET", "/api/v1/integrations/status?projectId=" + projectId);
    EXPECT_EQ(reply.status, 200) << reply.body;
    auto items = parseObject(reply.body)->getArray("items");
    for (unsigned i = 0; i < items->size(); ++i) {
      if (items->getObject(i)->getValue<std::string>("key") == "acme") return items->getObject(i);
    }
    ADD_FAILURE() << "no acme item: " << reply.body;
    return new Poco::JSON::Object;
  }

  // Status calls until `done` holds for the acme item (the cache answers
  // stale while it refreshes); the last item seen.
  template <typename Predicate>
  Poco::JSON::Object::Ptr acmeItemOnceItHolds(Predicate done) {
    Poco::JSON::Object::Ptr item;
    for (int attempt = 0; attempt < 200; ++attempt) {
      item = acmeItem();
      if (done(*item)) return item;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return item;
  }

  std::string projectId;
};

TEST_F(ConnectionLinkTest, StatusRunsOnTheConnectionsTokenAndRefreshesItOnceAfterA401) {
  oauth->setAccessTtlSeconds(0);  // no expires_in: only a 401 tells the host the token is dead
  startLinked();

  // Refusals first: an unknown connection, a malformed one.
  EXPECT_EQ(link(R"({"connection":"nope"})").status, 422);
  EXPECT_EQ(link(R"({"connection":7})").status, 422);
  // Another user who never connected it cannot link with it.
  const std::string otherToken = createToken(configPath, "oscar");
  auto other = server->request("POST", "/api/v1/projects", otherToken, R"({"name":"Oscar's"})");
  ASSERT_EQ(other.status, 201) << other.body;
  auto refused = server->request(
      "PUT", "/api/v1/projects/" + parseObject(other.body)->getValue<std::string>("id") + "/integrations/acme",
      otherToken, R"({"connection":"acme"})");
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_NE(refused.body.find("/api/v1/connections/acme/authorize"), std::string::npos) << refused.body;

  // The connection stands in for the required token secret.
  auto linked = link(R"({"connection":"acme"})");
  ASSERT_EQ(linked.status, 201) << linked.body;
  auto body = parseObject(linked.body);
  EXPECT_EQ(body->getValue<std::string>("connection"), "acme");
  EXPECT_EQ(body->getObject("secrets")->size(), 0u);

  auto item = acmeItem();
  EXPECT_EQ(item->getValue<std::string>("status"), "connected") << item->get("summary").toString();
  EXPECT_EQ(item->getValue<std::string>("summary"), "Signed in through the connection");
  EXPECT_EQ(oauth->counters().refreshes, 0);

  // The provider stops accepting the token: the plugin's 401 makes the host
  // refresh once, and the retry succeeds.
  oauth->expireAccessTokens();
  item = acmeItemOnceItHolds([&](const Poco::JSON::Object&) { return oauth->counters().refreshes >= 1; });
  item = acmeItemOnceItHolds([](const Poco::JSON::Object& it) {
    return it.getValue<std::string>("status") == "connected" && !it.has("stale") && !it.has("problem");
  });
  EXPECT_EQ(item->getValue<std::string>("status"), "connected");
  EXPECT_EQ(oauth->counters().refreshes, 1);
  EXPECT_EQ(oauth->counters().reuseDetected, 0);
  EXPECT_EQ(connectionState(), "connected");
  expectNoSecretLeaked();
}

TEST_F(ConnectionLinkTest, ARevokedGrantTurnsTheItemIntoAReconnect) {
  oauth->setAccessTtlSeconds(0);
  startLinked();
  ASSERT_EQ(link(R"({"connection":"acme"})").status, 201);
  ASSERT_EQ(acmeItem()->getValue<std::string>("status"), "connected");

  // The provider revoked the grant: the token gets 401, the refresh invalid_grant.
  fake.setMode("invalid_grant");
  oauth->expireAccessTokens();
  auto item = acmeItemOnceItHolds(
      [](const Poco::JSON::Object& it) { return it.optValue<std::string>("configuredReason", "") == "revoked"; });
  EXPECT_FALSE(item->getValue<bool>("configured"));
  EXPECT_EQ(item->getValue<std::string>("configuredReason"), "revoked");
  EXPECT_EQ(item->getValue<std::string>("status"), "error");
  EXPECT_EQ(item->getObject("problem")->getValue<std::string>("code"), "oauth_revoked");
  EXPECT_NE(item->getObject("problem")->getValue<std::string>("hint").find("acme"), std::string::npos);
  auto actions = item->getArray("actions");
  ASSERT_EQ(actions->size(), 1u);
  EXPECT_EQ(actions->getObject(0)->getValue<std::string>("id"), "reconnect");
  EXPECT_EQ(connectionState(), "revoked");

  // Reconnecting stores a new grant under the same id: the link works again.
  fake.setMode("ok");
  ASSERT_EQ(callback(authorizeAtFake()).status, 303);
  item = acmeItemOnceItHolds(
      [](const Poco::JSON::Object& it) { return it.getValue<std::string>("status") == "connected"; });
  EXPECT_EQ(item->getValue<std::string>("status"), "connected");
  EXPECT_TRUE(item->getValue<bool>("configured"));
  expectNoSecretLeaked();
}

TEST_F(ConnectionLinkTest, ScopesGrantedShortOfTheConfiguredOnesAreAWarning) {
  oauth->setGrantedScope("read");  // the connection asks for read and write
  startLinked();
  ASSERT_EQ(link(R"({"connection":"acme"})").status, 201);
  auto item = acmeItem();
  EXPECT_EQ(item->getValue<std::string>("status"), "warning");
  EXPECT_EQ(item->getObject("problem")->getValue<std::string>("code"), "oauth_scopes_missing");
  EXPECT_NE(item->getObject("problem")->getValue<std::string>("hint").find("write"), std::string::npos);
}

// The race the connections issue names: two instances on one database, five
// projects linked to one grant, 100 concurrent status calls, every token
// rejected. Each instance's refresh of each project competes for the grant's
// lease; exactly one token request reaches the provider (a second would
// reuse the rotated refresh token and revoke the family), and every call
// succeeds.
TEST_F(ConnectionLinkTest, TwoInstancesAndAHundredCallersRefreshOneExpiredGrantOnce) {
  oauth->setAccessTtlSeconds(0);
  startLinked();
  std::vector<std::string> projects{projectId};
  for (int i = 1; i < 5; ++i) {
    auto created = call("POST", "/api/v1/projects", R"({"name":"Shared grant )" + std::to_string(i) + "\"}");
    ASSERT_EQ(created.status, 201) << created.body;
    projects.push_back(parseObject(created.body)->getValue<std::string>("id"));
  }
  for (const std::string& id : projects) {
    projectId = id;
    ASSERT_EQ(link(R"({"connection":"acme"})").status, 201);
    ASSERT_EQ(acmeItem()->getValue<std::string>("status"), "connected");
  }
  ServerProcess second(configPath);
  ASSERT_TRUE(second.ok()) << second.output();
  const ServerProcess* instances[] = {server.get(), &second};

  oauth->expireAccessTokens();
  const std::int64_t before = oauth->counters().tokenRequests;
  std::atomic<int> succeeded{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < 100; ++i) {
    callers.emplace_back([&, i] {
      const std::string& id = projects[static_cast<std::size_t>(i) % projects.size()];
      auto reply = instances[i % 2]->request("GET", "/api/v1/integrations/status?projectId=" + id, token);
      if (reply.status == 200 && reply.body.find("\"oauth_revoked\"") == std::string::npos) ++succeeded;
    });
  }
  for (auto& caller : callers) caller.join();
  EXPECT_EQ(succeeded.load(), 100);

  // Every project on both instances comes back connected on the one refreshed token.
  for (const ServerProcess* instance : instances) {
    for (const std::string& id : projects) {
      bool fresh = false;
      for (int attempt = 0; attempt < 200 && !fresh; ++attempt) {
        auto reply = instance->request("GET", "/api/v1/integrations/status?projectId=" + id, token);
        fresh = reply.status == 200 && reply.body.find("Signed in through the connection") != std::string::npos &&
                reply.body.find("\"stale\"") == std::string::npos;
        if (!fresh) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      EXPECT_TRUE(fresh) << "project " << id;
    }
  }
  EXPECT_EQ(oauth->counters().tokenRequests - before, 1);
  EXPECT_EQ(oauth->counters().refreshes, 1);
  EXPECT_EQ(oauth->counters().reuseDetected, 0);
  EXPECT_EQ(connectionState(), "connected");
  second.stop();
}

// `provider:` connections: the plugin's on_describe fills what the YAML left
// out (field by field), and its on_token_response reads the token replies.
class ProviderDefaultsTest : public OAuthFlowTest {
 protected:
  void SetUp() override {
    OAuthFlowTest::SetUp();
    github.start();
  }

  // acme with `provider`, the fake's endpoints, and `oauthExtra` lines. The
  // github plugin's API is the GitHub fake (its GET /user names the account).
  std::string providerConfig(const std::string& provider, const std::string& oauthExtra) {
    plugins = "    - name: github\n      path: " + bundledPluginDir() + "/github.so\n" +
              "      base_url: " + github.baseUrl() + "\n      egress: {allow_http: true, allow: [127.0.0.1]}\n" +
              "    - name: supabase\n      path: " + bundledPluginDir() + "/supabase.so\n" +
              "    - name: sanity\n      path: " + bundledPluginDir() + "/sanity.so\n";
    const std::string connections =
        "connections:\n"
        "  - name: acme\n    provider: " + provider + "\n"
        "    egress: {allow_http: true, allow: [127.0.0.1]}\n"
        "    oauth:\n"
        "      client_id: " + std::string(sb::fakes::kOAuthClientId) + "\n"
        "      client_secret: ${SB_TEST_OAUTH_SECRET}\n"
        "      redirect_uri: " + kRedirectUri + "\n" + oauthExtra;
    return writeConfig(dir, db, plugins, secretsSection(dir) + connections);
  }

  void startProvider(const std::string& provider, const std::string& oauthExtra) {
    configPath = providerConfig(provider, oauthExtra);
    server = std::make_unique<ServerProcess>(configPath);
    ASSERT_TRUE(server->ok()) << server->output();
    token = createToken(configPath, "olivia");
  }

  std::string fakeEndpoints() {
    return "      authorize_url: " + fake.baseUrl() + "/authorize\n"
           "      token_url: " + fake.baseUrl() + "/token\n";
  }

  std::string authorizationUrl() {
    auto started = server->request("POST", "/api/v1/connections/acme/authorize", token, "{}");
    EXPECT_EQ(started.status, 200) << started.body;
    return started.status == 200 ? parseObject(started.body)->getValue<std::string>("authorizationUrl") : "";
  }

  Poco::JSON::Object::Ptr acmeConnection() {
    auto listed = call("GET", "/api/v1/connections");
    EXPECT_EQ(listed.status, 200) << listed.body;
    auto items = parseObject(listed.body)->getArray("items");
    for (unsigned i = 0; i < items->size(); ++i) {
      if (items->getObject(i)->getValue<std::string>("name") == "acme") return items->getObject(i);
    }
    ADD_FAILURE() << "no acme connection: " << listed.body;
    return new Poco::JSON::Object;
  }

  sb::fakes::FakeServer github{sb::fakes::makeGithubFake()};
};

TEST_F(ProviderDefaultsTest, GithubSuppliesTheEndpointsScopesAndClientAuthTheYamlLeavesOut) {
  startProvider("github", "");
  const std::string url = authorizationUrl();
  EXPECT_EQ(url.rfind("https://github.com/login/oauth/authorize?", 0), 0u) << url;
  EXPECT_EQ(queryValue(url, "scope"), "repo");
  EXPECT_EQ(queryValue(url, "code_challenge_method"), "S256");
}

TEST_F(ProviderDefaultsTest, TheYamlWinsFieldByFieldAndGithubsCommaScopesAreRead) {
  // Endpoints from the YAML, scopes and client_secret_post from the plugin;
  // the fake grants scopes the way GitHub writes them.
  oauth->setGrantedScope("repo,gist");
  startProvider("github", fakeEndpoints());
  const std::string url = authorizationUrl();
  EXPECT_EQ(url.rfind(fake.baseUrl() + "/authorize?", 0), 0u) << url;
  EXPECT_EQ(queryValue(url, "scope"), "repo");
  auto done = callback(authorizeAtFake());
  ASSERT_EQ(done.status, 303) << done.body;
  EXPECT_EQ(done.header("location"), std::string(kReturnTo) + "?connection=acme&result=connected");
  for (const auto& request : fake.requests()) {
    if (request.path != "/token") continue;
    EXPECT_EQ(request.header("authorization"), "") << "GitHub's default is client_secret_post";
    EXPECT_NE(request.body.find("client_secret="), std::string::npos);
  }
  auto acme = acmeConnection();
  EXPECT_EQ(acme->getValue<std::string>("state"), "connected");
  // GitHub's token reply names nobody: the plugin asked GET /user with the new token.
  EXPECT_EQ(acme->getValue<std::string>("accountLabel"), "octocat");
  int lookups = 0;
  for (const auto& request : github.requests()) {
    if (request.path != "/user") continue;
    ++lookups;
    EXPECT_EQ(request.method, "GET");
    EXPECT_EQ(request.header("authorization").rfind("Bearer ", 0), 0u);
    EXPECT_GT(request.header("authorization").size(), std::string("Bearer ").size());
  }
  EXPECT_EQ(lookups, 1);
  auto scopes = acme->getArray("scopes");
  ASSERT_EQ(scopes->size(), 2u) << "\"repo,gist\" is two scopes";
  EXPECT_EQ(scopes->getElement<std::string>(0), "repo");
  EXPECT_EQ(scopes->getElement<std::string>(1), "gist");
  // GitHub has no RFC 7009 endpoint: disconnecting deletes the tokens and says so.
  auto removed = call("DELETE", "/api/v1/connections/acme");
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(parseObject(removed.body)->getValue<std::string>("revocation"), "not_supported");
  expectNoSecretLeaked();
}

TEST_F(ProviderDefaultsTest, AFailedAccountLookupConnectsWithoutALabel) {
  github.setMode("server_error");
  startProvider("github", fakeEndpoints());
  auto done = callback(authorizeAtFake());
  ASSERT_EQ(done.status, 303) << done.body;
  EXPECT_EQ(done.header("location"), std::string(kReturnTo) + "?connection=acme&result=connected");
  auto acme = acmeConnection();
  EXPECT_EQ(acme->getValue<std::string>("state"), "connected");
  EXPECT_EQ(acme->getValue<std::string>("accountLabel"), "");
  EXPECT_EQ(github.requestCount(), 1u) << "one GET /user, answered 502";
  expectNoSecretLeaked();
}

TEST_F(ProviderDefaultsTest, SupabasesCreatedTokenReplyConnectsOnlyThroughItsPlugin) {
  // Supabase answers its token request with 201: a plain RFC 6749 client
  // refuses that, the supabase plugin's on_token_response reads it.
  fake.setMode("created_201");
  startProvider("supabase", fakeEndpoints() + "      scopes: [read]\n");
  auto done = callback(authorizeAtFake());
  ASSERT_EQ(done.status, 303) << done.body;
  EXPECT_EQ(done.header("location"), std::string(kReturnTo) + "?connection=acme&result=connected");
  EXPECT_EQ(acmeConnection()->getValue<std::string>("state"), "connected");
  for (const auto& request : fake.requests()) {
    if (request.path == "/token") {
      EXPECT_EQ(request.header("authorization").rfind("Basic ", 0), 0u);
    }
  }
  server->stop();

  // The same reply without a provider: refused, nothing stored.
  fake.setMode("ok");
  startServer();
  fake.setMode("created_201");
  auto refused = callback(authorizeAtFake());
  EXPECT_EQ(refused.header("location"), std::string(kReturnTo) + "?connection=acme&result=exchange_failed");
  EXPECT_EQ(grantRows(), 1) << "only the supabase-read grant";
}

TEST_F(ProviderDefaultsTest, AProviderThatIsNotAConnectionProviderStopsStartUpWithItsLocation) {
  for (const std::string provider : {"nosuch", "sanity"}) {
    const std::string path = providerConfig(provider, fakeEndpoints());
    CommandResult result = runSwitchboard({"serve", "--config", path});
    EXPECT_NE(result.exitCode, 0) << provider;
    EXPECT_NE(result.output.find(path + ":"), std::string::npos) << result.output;
    EXPECT_NE(result.output.find("connection 'acme'"), std::string::npos) << result.output;
    EXPECT_NE(result.output.find(provider == "nosuch" ? "not a plugin in plugins.enabled" : "not a connection provider"),
              std::string::npos)
        << result.output;
  }
}
