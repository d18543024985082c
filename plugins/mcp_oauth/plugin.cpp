// The MCP OAuth plugin: declares the "mcp-server" integration schema for
// remote MCP servers protected by OAuth 2.1, and is their connection
// provider: no fixed endpoints (on_describe says so), discovery per server
// (mcp_discovery.hpp) and RFC 6749 §5.1 token replies normalised.
// Thread-safety: stateless; hooks may run concurrently.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <switchboard/provider.hpp>
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
    namespace provider = switchboard::provider;
    const std::optional<provider::Json> request = provider::parseJson(requestJson);
    if (!request || !request->is_object()) {
      return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "request or token reply is not the JSON expected");
    }
    const std::optional<std::int64_t> status = provider::int64At(*request, "status");
    const std::optional<std::string> body = provider::stringAt(*request, "body");
    if (!status || !body) {
      return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "request must be {\"status\": integer, \"body\": string}");
    }
    if (*status != 200) return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "token endpoint answered " + std::to_string(*status));
    const std::optional<provider::Json> reply = provider::parseJson(*body);
    if (!reply || !reply->is_object()) {
      return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "request or token reply is not the JSON expected");
    }
    const std::optional<std::string> accessToken = provider::stringAt(*reply, "access_token");
    if (!accessToken) return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "token reply without an access_token string");
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    out["accessToken"] = *accessToken;
    if (auto refreshToken = provider::stringAt(*reply, "refresh_token")) out["refreshToken"] = *refreshToken;
    if (auto expiresIn = provider::int64At(*reply, "expires_in")) out["expiresIn"] = *expiresIn;
    if (auto scope = provider::stringAt(*reply, "scope")) out["scope"] = *scope;
    return Outcome::ok(out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
};

}  // namespace

SWITCHBOARD_PLUGIN(McpOauthPlugin)
