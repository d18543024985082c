// The MCP OAuth plugin: declares the "mcp-server" integration schema for
// remote MCP servers protected by OAuth 2.1, and is their connection
// provider: no fixed endpoints (on_describe says so), discovery per server
// (mcp_discovery.hpp) and RFC 6749 §5.1 token replies normalised.
// Thread-safety: stateless; hooks may run concurrently.
#include <exception>
#include <sstream>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <switchboard/sdk.hpp>

#include "mcp_discovery.hpp"

namespace {

class McpOauthPlugin : public switchboard::Plugin {
 public:
  static constexpr switchboard::Identity identity{
      "mcp_oauth", "MCP OAuth", "0.1.0", "Remote MCP servers authorised with OAuth 2.1 and PKCE."};

  static std::vector<switchboard::Schema> schemas() {
    using switchboard::Field;
    return {switchboard::Schema("mcp-server")
                .name("MCP server")
                .category("ai")
                .description("Connect a remote Model Context Protocol server that requires OAuth authorization.")
                .docsUrl("https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization")
                .displayOrder(50)
                .field(Field::url("serverUrl")
                           .project()
                           .required()
                           .destination()  // the client secret is sent to its authorization server
                           .description("The MCP server endpoint.")
                           .placeholder("https://mcp.example.com/mcp"))
                .field(Field::string("clientId")
                           .project()
                           .description("Pre-registered OAuth client id; empty to use dynamic client registration."))
                .field(Field::string("clientSecret")
                           .project()
                           .secret()
                           .description("Client secret of a confidential pre-registered client."))
                .field(Field::string("scopes")
                           .project()
                           .description("Space-separated scopes to request; empty for the server's defaults.")
                           .placeholder("read write"))};
  }

  // An MCP server's endpoints come from discovery, never from here.
  switchboard::Outcome describeConnection() override {
    return switchboard::Outcome::ok(
        R"({"authorizationEndpoint":"","tokenEndpoint":"","scopes":[],"clientAuth":"client_secret_basic",)"
        R"("discovery":true})");
  }

  switchboard::Outcome discover(switchboard::Call& call, std::string_view requestJson) override {
    return mcp::discover(host(), call, requestJson);
  }

  // request {"status","body"}: a 200 whose body is an RFC 6749 §5.1 object.
  switchboard::Outcome tokenResponse(switchboard::Call&, std::string_view requestJson) override {
    using switchboard::Outcome;
    try {
      auto request = Poco::JSON::Parser().parse(std::string(requestJson)).extract<Poco::JSON::Object::Ptr>();
      if (!request->has("status") || !request->get("status").isInteger() || !request->has("body") ||
          !request->get("body").isString()) {
        return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "request must be {\"status\": integer, \"body\": string}");
      }
      if (request->getValue<int>("status") != 200) {
        return Outcome::failure(SB_ERR_INVALID_ARGUMENT,
                                "token endpoint answered " + std::to_string(request->getValue<int>("status")));
      }
      auto reply = Poco::JSON::Parser().parse(request->getValue<std::string>("body")).extract<Poco::JSON::Object::Ptr>();
      if (!reply->has("access_token") || !reply->get("access_token").isString()) {
        return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "token reply without an access_token string");
      }
      Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
      out.set("accessToken", reply->getValue<std::string>("access_token"));
      if (reply->has("refresh_token") && reply->get("refresh_token").isString()) {
        out.set("refreshToken", reply->getValue<std::string>("refresh_token"));
      }
      if (reply->has("expires_in") && reply->get("expires_in").isInteger()) {
        out.set("expiresIn", reply->getValue<Poco::Int64>("expires_in"));
      }
      if (reply->has("scope") && reply->get("scope").isString()) out.set("scope", reply->getValue<std::string>("scope"));
      std::ostringstream text;
      out.stringify(text);
      return Outcome::ok(text.str());
    } catch (const std::exception&) {
      return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "request or token reply is not the JSON expected");
    }
  }
};

}  // namespace

SWITCHBOARD_PLUGIN(McpOauthPlugin)
