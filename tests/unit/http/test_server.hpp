// A real ApiServer on 127.0.0.1:0 over a real, migrated SQLite Store in a
// temp dir, seeded with users, API tokens and a small plugin catalog, plus a
// tiny HTTP client. Shared by every test of the binary (created on first
// use); tests that change data create their own project first.
// Thread-safety: used from the test thread only.
#pragma once

#include <Poco/JSON/Object.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "connections/connection_directory.hpp"
#include "core/metrics.hpp"
#include "core/model.hpp"
#include "crypto/secret_box.hpp"
#include "http/api_server.hpp"
#include "http/router.hpp"
#include "scratch_directory.hpp"
#include "store/store.hpp"

namespace sb::testing {

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  std::string header(const std::string& name) const;  // "" when absent
  Poco::JSON::Object::Ptr json() const;  // fails the test (and returns an empty object) if not JSON
};

struct HttpCall {
  std::string method = "GET";
  std::string path;
  std::optional<std::string> token;  // sent as "Bearer <token>"
  std::optional<std::string> body;
  std::string contentType = "application/json";
  bool chunked = false;
  bool keepAlive = false;  // ask to keep the connection, so a close is the server's decision
  std::vector<std::pair<std::string, std::string>> headers;
};

class TestServer {
 public:
  static constexpr std::size_t kMaxBodyBytes = 4096;

  TestServer();
  ~TestServer();

  HttpResult call(const HttpCall& call) const;
  HttpResult get(const std::string& path, const std::string& user) const;
  HttpResult send(const std::string& method, const std::string& path, const std::string& user,
                  const std::string& body) const;

  const std::string& token(const std::string& user) const { return tokens_.at(user); }
  Store& store() { return *store_; }
  const std::string& accessLogPath() const { return accessLogPath_; }
  std::string databasePath() const { return directory_.file("switchboard.db"); }
  void setPluginsReady(bool ready) { pluginsReady_ = ready; }
  void setConnectionsSynced(bool synced) { connectionsSynced_ = synced; }
  const std::vector<PluginInfo>& plugins() const { return plugins_; }
  int port() const { return server_->port(); }
  // What ApiContext::integrationChanged reported, as "projectId:key", in order.
  std::vector<std::string> integrationChanges() const;
  const SecretBox& secretBox() const { return *secretBox_; }

  // A new project owned by `owner`, with the given extra members.
  std::string createProject(const std::string& owner,
                            const std::vector<std::pair<std::string, Role>>& members = {});

 private:
  void seedUsers();
  void seedCatalog();

  ScratchDirectory directory_;
  std::string accessLogPath_;
  std::unique_ptr<Store> store_;
  std::vector<PluginInfo> plugins_;
  std::atomic<bool> pluginsReady_{true};
  std::atomic<bool> connectionsSynced_{true};
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<SecretBox> secretBox_;
  // What the connections tests configure (connections_test.cpp stores the
  // matching rows): authorization reads the configured half, as it does in
  // the server.
  std::unique_ptr<connections::ConnectionDirectory> connections_;
  mutable std::mutex changesMutex_;
  std::vector<std::string> integrationChanges_;
  std::unique_ptr<ApiServer> server_;
  int projectCounter_ = 0;
};

TestServer& testServer();

// A second, started ApiServer over the shared server's store, with `threads`
// workers and no plugins, for tests that stop it or need few workers; with
// `router`, it serves those routes instead of the API's. `adjust` may change
// the configuration first (limits, timeouts).
std::unique_ptr<ApiServer> startDedicatedServer(int threads);
std::unique_ptr<ApiServer> startDedicatedServer(int threads, http::Router router,
                                                const std::function<void(ServerConfig&)>& adjust = {},
                                                Metrics* metrics = nullptr);
std::unique_ptr<ApiServer> startDedicatedServer(int threads, const std::function<void(ServerConfig&)>& adjust);

// Asserts an RFC 9457 problem: content type, status, every required member,
// instance = `path`, requestId = the X-Request-Id header, and (when given)
// the `field` member.
void expectProblem(const HttpResult& result, int status, const std::string& path,
                   const std::string& field = {});

// The string array of "items" entries' member `key`.
std::vector<std::string> itemValues(const HttpResult& result, const std::string& key);

}  // namespace sb::testing
