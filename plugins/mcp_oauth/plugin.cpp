// The MCP OAuth plugin: declares the "mcp-server" integration schema for
// remote MCP servers protected by OAuth 2.1. Discovery and the connection
// provider arrive with their own issue, so no capability is claimed yet.
// Thread-safety: stateless; hooks may run concurrently.
#include <switchboard/sdk.hpp>

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
};

}  // namespace

SWITCHBOARD_PLUGIN(McpOauthPlugin)
