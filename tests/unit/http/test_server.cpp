#include "test_server.hpp"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <stdexcept>

#include "auth/tokens.hpp"

namespace sb::testing {
namespace {

// Seeded users: name -> global admin?
const std::vector<std::pair<std::string, bool>> kUsers = {
    {"root", true},  {"olivia", false}, {"oscar", false}, {"adam", false},
    {"ed", false},   {"vic", false},    {"nora", false},  {"newbie", false},
};

SchemaField field(std::string key, std::string type, bool required, bool secret,
                  std::vector<std::string> options = {}) {
  SchemaField f;
  f.key = std::move(key);
  f.type = std::move(type);
  f.required = required;
  f.secret = secret;
  f.level = "project";
  f.description = "the " + f.key;
  f.placeholder = "enter " + f.key;
  f.options = std::move(options);
  return f;
}

IntegrationSchema schema(std::string id, std::string pluginId, std::string category, int order,
                         bool featured) {
  IntegrationSchema s;
  s.id = std::move(id);
  s.pluginId = std::move(pluginId);
  s.name = "Schema " + s.id;
  s.category = std::move(category);
  s.description = "integrates " + s.id;
  s.docsUrl = "https://docs.example/" + s.id;
  s.iconUrl = "https://icons.example/" + s.id + ".svg";
  s.displayOrder = order;
  s.featured = featured;
  return s;
}

PluginInfo plugin(std::string id, PluginState state, std::vector<IntegrationSchema> schemas) {
  PluginInfo p;
  p.id = id;
  p.name = "Plugin " + id;
  p.version = "1.2.3";
  p.description = "provides " + id;
  p.path = "/opt/switchboard/plugins/" + id + ".so";
  p.abiVersion = state == PluginState::Loaded ? "1.0" : "";
  p.capabilities = state == PluginState::Loaded ? std::vector<std::string>{"status", "connection"}
                                                : std::vector<std::string>{};
  p.state = state;
  p.error = state == PluginState::Failed ? "ABI major 2 != host 1" : "";
  p.schemas = std::move(schemas);
  return p;
}

void require(const Status& status, const std::string& what) {
  if (!status.isOk()) throw std::runtime_error(what + ": " + status.message());
}

}  // namespace

std::string HttpResult::header(const std::string& name) const {
  const auto it = headers.find(Poco::toLower(name));
  return it == headers.end() ? std::string() : it->second;
}

Poco::JSON::Object::Ptr HttpResult::json() const {
  try {
    auto parsed = Poco::JSON::Parser().parse(body);
    if (parsed.type() == typeid(Poco::JSON::Object::Ptr)) {
      return parsed.extract<Poco::JSON::Object::Ptr>();
    }
  } catch (const Poco::Exception& e) {
    ADD_FAILURE() << "response body is not JSON (" << e.displayText() << "): " << body;
    return new Poco::JSON::Object;
  }
  ADD_FAILURE() << "response body is not a JSON object: " << body;
  return new Poco::JSON::Object;
}

TestServer::TestServer() {
  accessLogPath_ = directory_.file("access.log");

  DatabaseConfig database;
  database.url = "sqlite:" + databasePath();
  auto opened = Store::open(database);
  require(opened.status(), "open store");
  store_ = std::move(opened.value());
  auto migrated = store_->migrate();
  require(migrated.status(), "migrate");
  seedUsers();
  seedCatalog();

  ServerConfig config;
  config.host = "127.0.0.1";
  config.port = 0;
  config.threads = 4;
  config.maxBodyBytes = kMaxBodyBytes;
  config.headerTimeoutMs = 5000;
  auto box = SecretBox::fromKey(std::string(32, 'T'));
  require(box.status(), "secret box");
  secretBox_ = std::move(box.value());

  std::vector<ConnectionConfig> configured;
  for (const auto& [name, type] : std::vector<std::pair<std::string, std::string>>{
           {"auth-github", "oauth2"}, {"auth-mcp", "mcp"}, {"auth-disabled", "oauth2"}, {"auth-mcp-undiscovered", "mcp"}}) {
    ConnectionConfig connection;
    connection.name = name;
    connection.type = type;
    if (type == "mcp") connection.url = "https://mcp.example/mcp";
    connection.oauth.redirectUri = "https://switchboard.example:8443/oauth/callback";
    if (name != "auth-mcp-undiscovered") {
      connection.oauth.clientId = "cid";
      connection.oauth.authorizeUrl = "https://auth.example/authorize?prompt=consent";
      connection.oauth.tokenUrl = "https://auth.example/token";
      connection.oauth.scopes = {"repo", "read:org"};
      connection.oauth.extraParams = {{"allow_signup", "false"}};
    }
    configured.push_back(std::move(connection));
  }
  connections_ = std::make_unique<connections::ConnectionDirectory>(std::move(configured));

  ApiContext context;
  context.store = store_.get();
  context.secrets = secretBox_.get();
  context.connectionDirectory = connections_.get();
  context.integrationChanged = [this](const std::string& projectId, const std::string& key) {
    std::lock_guard<std::mutex> lock(changesMutex_);
    integrationChanges_.push_back(projectId + ":" + key);
  };
  context.plugins = [this] { return plugins_; };
  context.pluginsReady = [this] { return pluginsReady_.load(); };
  context.connectionsSynced = [this] { return connectionsSynced_.load(); };
  context.logging.accessLog = accessLogPath_;
  server_ = std::make_unique<ApiServer>(config, context);
  require(server_->start(), "start server");
}

TestServer::~TestServer() {
  server_.reset();
  store_.reset();  // before directory_ removes the database file
}

void TestServer::seedUsers() {
  for (const auto& [name, isAdmin] : kUsers) {
    auto user = store_->users().ensureUser(name, isAdmin);
    require(user.status(), "ensure user " + name);
    const std::string token = generateApiToken();
    require(store_->users().createToken(user->id, sha256Hex(token), "tests").status(), "token " + name);
    tokens_[name] = token;
  }
}

void TestServer::seedCatalog() {
  IntegrationSchema github = schema("github", "github", "source", 2, true);
  github.fields = {field("token", "string", true, true),
                   field("visibility", "select", false, false, {"public", "private"})};
  IntegrationSchema vercel = schema("vercel", "vercel", "hosting", 1, false);
  vercel.fields = {field("teamId", "string", false, false)};
  IntegrationSchema netlify = schema("netlify", "vercel", "hosting", 3, true);
  IntegrationSchema legacy = schema("legacy", "old", "hosting", 0, true);

  // The first sync declares `legacy`; the second no longer does, so it must
  // stay in the database as unavailable.
  require(store_->catalog().syncCatalog({plugin("old", PluginState::Loaded, {legacy})}), "first sync");
  plugins_ = {plugin("github", PluginState::Loaded, {github}),
              plugin("vercel", PluginState::Loaded, {vercel, netlify}),
              plugin("broken", PluginState::Failed, {})};
  require(store_->catalog().syncCatalog(plugins_), "second sync");
}

std::vector<std::string> TestServer::integrationChanges() const {
  std::lock_guard<std::mutex> lock(changesMutex_);
  return integrationChanges_;
}

std::string TestServer::createProject(const std::string& owner,
                                      const std::vector<std::pair<std::string, Role>>& members) {
  auto project = store_->projects().createProject("project " + std::to_string(++projectCounter_), owner);
  require(project.status(), "create project");
  for (const auto& [user, role] : members) {
    require(store_->projects().putMember(project->id, user, role).status(), "put member " + user);
  }
  return project->id;
}

HttpResult TestServer::call(const HttpCall& call) const {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port()));
  session.setTimeout(Poco::Timespan(10, 0));
  session.setKeepAlive(call.keepAlive);  // sendRequest writes the session's choice into Connection
  Poco::Net::HTTPRequest request(call.method, call.path, Poco::Net::HTTPMessage::HTTP_1_1);
  if (call.token) request.set("Authorization", "Bearer " + *call.token);
  for (const auto& [name, value] : call.headers) request.set(name, value);
  if (call.body) {
    request.setContentType(call.contentType);
    if (call.chunked) {
      request.setChunkedTransferEncoding(true);
    } else {
      request.setContentLength64(static_cast<Poco::Int64>(call.body->size()));
    }
  }
  std::ostream& out = session.sendRequest(request);
  if (call.body) out << *call.body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  HttpResult result;
  result.status = static_cast<int>(response.getStatus());
  for (const auto& [name, value] : response) result.headers[Poco::toLower(name)] = value;
  Poco::StreamCopier::copyToString(in, result.body);
  return result;
}

HttpResult TestServer::get(const std::string& path, const std::string& user) const {
  HttpCall c;
  c.path = path;
  c.token = token(user);
  return call(c);
}

HttpResult TestServer::send(const std::string& method, const std::string& path,
                            const std::string& user, const std::string& body) const {
  HttpCall c;
  c.method = method;
  c.path = path;
  c.token = token(user);
  if (!body.empty()) c.body = body;
  return call(c);
}

void expectProblem(const HttpResult& result, int status, const std::string& path,
                   const std::string& field) {
  EXPECT_EQ(result.status, status) << result.body;
  EXPECT_EQ(result.header("Content-Type"), "application/problem+json") << result.body;
  const auto problem = result.json();
  EXPECT_EQ(problem->optValue<std::string>("type", "").rfind("urn:switchboard:problem:", 0), 0u)
      << result.body;
  EXPECT_FALSE(problem->optValue<std::string>("title", "").empty()) << result.body;
  EXPECT_EQ(problem->optValue<int>("status", 0), status) << result.body;
  EXPECT_FALSE(problem->optValue<std::string>("detail", "").empty()) << result.body;
  EXPECT_EQ(problem->optValue<std::string>("instance", ""), path) << result.body;
  EXPECT_FALSE(result.header("X-Request-Id").empty());
  EXPECT_EQ(problem->optValue<std::string>("requestId", ""), result.header("X-Request-Id"));
  if (!field.empty()) {
    EXPECT_EQ(problem->optValue<std::string>("field", ""), field) << result.body;
  }
}

std::vector<std::string> itemValues(const HttpResult& result, const std::string& key) {
  std::vector<std::string> values;
  const auto items = result.json()->getArray("items");
  if (!items) {
    ADD_FAILURE() << "no items array: " << result.body;
    return values;
  }
  for (std::size_t i = 0; i < items->size(); ++i) {
    values.push_back(items->getObject(static_cast<unsigned>(i))->getValue<std::string>(key));
  }
  return values;
}

namespace {

std::unique_ptr<ApiServer> startDedicated(int threads, std::optional<http::Router> router,
                                          const std::function<void(ServerConfig&)>& adjust, Metrics* metrics) {
  ServerConfig config;
  config.host = "127.0.0.1";
  config.port = 0;
  config.threads = threads;
  config.idleTimeoutMs = 30000;  // longer than any test: only a stop closes an idle connection
  if (adjust) adjust(config);
  ApiContext context;
  context.store = &testServer().store();
  context.plugins = [] { return std::vector<PluginInfo>{}; };
  context.pluginsReady = [] { return true; };
  context.logging.accessLog = "";
  context.metrics = metrics;
  auto server = router ? std::make_unique<ApiServer>(config, context, std::move(*router))
                       : std::make_unique<ApiServer>(config, context);
  require(server->start(), "start dedicated server");
  return server;
}

}  // namespace

std::unique_ptr<ApiServer> startDedicatedServer(int threads) {
  return startDedicated(threads, std::nullopt, {}, nullptr);
}

std::unique_ptr<ApiServer> startDedicatedServer(int threads, http::Router router,
                                                const std::function<void(ServerConfig&)>& adjust,
                                                Metrics* metrics) {
  return startDedicated(threads, std::move(router), adjust, metrics);
}

std::unique_ptr<ApiServer> startDedicatedServer(int threads, const std::function<void(ServerConfig&)>& adjust) {
  return startDedicated(threads, std::nullopt, adjust, nullptr);
}

TestServer& testServer() {
  static TestServer server;
  return server;
}

}  // namespace sb::testing
