// The pure pieces of an MCP connection's client: on_discover's output read
// strictly, configured endpoints overriding discovered ones field by field,
// the discovery cache's TTL on an injected clock, invalidation and issuer
// changes, the Client ID Metadata Document, and RFC 7591 registration
// replies and their sealing per issuer.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "connections/client_registration.hpp"
#include "connections/discovered_server.hpp"

namespace sb::connections {
namespace {

const char* kDiscovered =
    R"({"issuer":"https://as.example","resource":"https://mcp.example/mcp",)"
    R"("authorizationEndpoint":"https://as.example/authorize","tokenEndpoint":"https://as.example/token",)"
    R"("revocationEndpoint":"https://as.example/revoke","registrationEndpoint":"https://as.example/register",)"
    R"("clientIdMetadataDocumentSupported":true,"scopes":["mcp:read"],"clientAuth":"client_secret_basic"})";

TEST(DiscoveredServer, ReadsEveryFieldOfOnDiscover) {
  auto server = parseDiscoveredServer(kDiscovered);
  ASSERT_TRUE(server) << server.status().message();
  EXPECT_EQ(server->issuer, "https://as.example");
  EXPECT_EQ(server->resource, "https://mcp.example/mcp");
  EXPECT_EQ(server->tokenEndpoint, "https://as.example/token");
  EXPECT_EQ(server->registrationEndpoint, "https://as.example/register");
  EXPECT_TRUE(server->clientIdMetadataDocumentSupported);
  EXPECT_EQ(server->scopes, std::vector<std::string>{"mcp:read"});
}

TEST(DiscoveredServer, RefusesMissingOrMistypedFieldsAsBadGateway) {
  for (const char* bad : {"[]", "not json", R"({"issuer":"i","tokenEndpoint":"t"})",
                          R"({"issuer":"i","authorizationEndpoint":"a","tokenEndpoint":7})",
                          R"({"issuer":"i","authorizationEndpoint":"a","tokenEndpoint":"t","scopes":[1]})",
                          R"({"issuer":"i","authorizationEndpoint":"a","tokenEndpoint":"t",)"
                          R"("clientIdMetadataDocumentSupported":"yes"})"}) {
    auto server = parseDiscoveredServer(bad);
    ASSERT_FALSE(server) << bad;
    EXPECT_EQ(server.status().code(), ErrorCode::BadGateway) << bad;
  }
}

TEST(DiscoveredServer, ConfiguredEndpointsWinFieldByField) {
  ConnectionOAuthConfig configured;
  configured.tokenUrl = "https://proxy.example/token";
  configured.scopes = {"own"};
  const ConnectionOAuthConfig merged = withDiscoveredEndpoints(configured, *parseDiscoveredServer(kDiscovered));
  EXPECT_EQ(merged.authorizeUrl, "https://as.example/authorize");
  EXPECT_EQ(merged.tokenUrl, "https://proxy.example/token");
  EXPECT_EQ(merged.revocationUrl, "https://as.example/revoke");
  EXPECT_EQ(merged.scopes, std::vector<std::string>{"own"});
  EXPECT_EQ(withDiscoveredEndpoints({}, *parseDiscoveredServer(kDiscovered)).scopes,
            std::vector<std::string>{"mcp:read"});
}

TEST(DiscoveryCache, KeepsAnEntryForItsTtlOnTheInjectedClock) {
  std::int64_t now = 1000;
  DiscoveryCache cache([&now] { return now; });
  EXPECT_FALSE(cache.find("https://mcp.example/mcp", 500));
  DiscoveredServer server;
  server.issuer = "https://as.example";
  EXPECT_EQ(cache.put("https://mcp.example/mcp", server), "");
  now = 1499;
  ASSERT_TRUE(cache.find("https://mcp.example/mcp", 500));
  EXPECT_EQ(cache.find("https://mcp.example/mcp", 500)->issuer, "https://as.example");
  EXPECT_FALSE(cache.find("https://other.example/mcp", 500));
  now = 1500;
  EXPECT_FALSE(cache.find("https://mcp.example/mcp", 500)) << "expired at the TTL";
  EXPECT_FALSE(cache.find("https://mcp.example/mcp", 0)) << "a TTL of 0 caches nothing";
}

TEST(DiscoveryCache, InvalidationForcesRediscoveryAndAnIssuerChangeIsReported) {
  std::int64_t now = 0;
  DiscoveryCache cache([&now] { return now; });
  DiscoveredServer server;
  server.issuer = "https://as.example";
  cache.put("https://mcp.example/mcp", server);
  cache.invalidate("https://mcp.example/mcp");
  EXPECT_FALSE(cache.find("https://mcp.example/mcp", 60000));
  EXPECT_EQ(cache.put("https://mcp.example/mcp", server), "") << "same issuer again";
  server.issuer = "https://moved.example";
  EXPECT_EQ(cache.put("https://mcp.example/mcp", server), "https://as.example");
  EXPECT_EQ(cache.find("https://mcp.example/mcp", 60000)->issuer, "https://moved.example");
}

ConnectionConfig mcpConnection(const std::string& redirectUri) {
  ConnectionConfig connection;
  connection.name = "notes";
  connection.type = "mcp";
  connection.displayName = "Notes";
  connection.url = "https://mcp.example/mcp";
  connection.oauth.redirectUri = redirectUri;
  return connection;
}

TEST(ClientMetadataDocument, IsServedOnTheHostsHttpsOriginOnly) {
  const ConnectionConfig connection = mcpConnection("https://sb.example:8443/oauth/callback");
  EXPECT_EQ(clientMetadataDocumentUrl(connection), "https://sb.example:8443/oauth/client-metadata/notes.json");
  EXPECT_EQ(clientMetadataDocumentUrl(mcpConnection("http://localhost:8080/oauth/callback")), "");
  auto document = Poco::JSON::Parser().parse(clientMetadataDocument(connection)).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(document->getValue<std::string>("client_id"), "https://sb.example:8443/oauth/client-metadata/notes.json");
  EXPECT_EQ(document->getValue<std::string>("client_name"), "Switchboard (Notes)");
  EXPECT_EQ(document->getArray("redirect_uris")->getElement<std::string>(0), "https://sb.example:8443/oauth/callback");
  EXPECT_EQ(document->getValue<std::string>("token_endpoint_auth_method"), "none");
  EXPECT_EQ(document->getArray("grant_types")->size(), 2u);
  EXPECT_EQ(document->getArray("response_types")->getElement<std::string>(0), "code");
}

TEST(ClientRegistration, ReadsA201AndRefusesAnythingElseWithoutEchoingIt) {
  auto ok = parseRegistrationReply(
      201, R"({"client_id":"c1","client_secret":"s3cr3t","client_secret_expires_at":2000000000})", "https://cb");
  ASSERT_TRUE(ok) << ok.status().message();
  EXPECT_EQ(ok->clientId, "c1");
  EXPECT_EQ(ok->clientSecret, "s3cr3t");
  EXPECT_EQ(ok->clientSecretExpiresAt, 2000000000);
  EXPECT_EQ(ok->tokenAuth, "client_secret_basic");
  EXPECT_EQ(ok->redirectUri, "https://cb");

  auto refused = parseRegistrationReply(400, R"({"error":"invalid_redirect_uri","error_description":"nope"})", "x");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.status().code(), ErrorCode::BadGateway);
  EXPECT_NE(refused.status().message().find("invalid_redirect_uri"), std::string::npos);
  EXPECT_EQ(refused.status().message().find("nope"), std::string::npos);
  EXPECT_FALSE(parseRegistrationReply(201, R"({"client_secret":"s"})", "x"));
  EXPECT_FALSE(parseRegistrationReply(201, "<html>", "x"));
}

TEST(ClientRegistration, IsReusedUntilItsSecretExpiresOrTheRedirectChanges) {
  ClientRegistration registration{"c1", "s", 0, "client_secret_basic", "https://cb"};
  EXPECT_TRUE(registrationUsable(registration, "https://cb", 5000));
  EXPECT_FALSE(registrationUsable(registration, "https://other", 5000));
  registration.clientSecretExpiresAt = 5;  // seconds
  EXPECT_TRUE(registrationUsable(registration, "https://cb", 4999));
  EXPECT_FALSE(registrationUsable(registration, "https://cb", 5000));
}

TEST(ClientRegistration, IsSealedForItsIssuerOnly) {
  auto box = SecretBox::fromKey(std::string(32, 'k'));
  ASSERT_TRUE(box);
  ClientRegistration registration{"c1", "very-secret-value", 0, "client_secret_post", "https://cb"};
  const std::string sealed = sealRegistration(registration, **box, "https://as.example");
  EXPECT_EQ(sealed.find("very-secret-value"), std::string::npos);
  auto opened = openRegistration(sealed, **box, "https://as.example");
  ASSERT_TRUE(opened) << opened.status().message();
  EXPECT_EQ(opened->clientSecret, "very-secret-value");
  EXPECT_EQ(opened->tokenAuth, "client_secret_post");
  EXPECT_FALSE(openRegistration(sealed, **box, "https://evil.example"));
}

}  // namespace
}  // namespace sb::connections
