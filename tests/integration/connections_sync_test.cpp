// The start-up sync of `connections:` across restarts of the real binary, on
// the real database: added, changed and removed connections keep their row
// ids, a removed one is disabled with its tokens kept, an unset secret
// disables only its connection, and the client secret never reaches the
// database or the log.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <Poco/Data/Session.h>
#include <Poco/Environment.h>

#include "server_process.hpp"

using namespace sbtest;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

namespace {

struct Row {
  std::string id;
  int enabled = 0;
  std::string disabledReason;
  std::string displayName;
  std::string settings;
};

std::string connection(const std::string& name, const std::string& displayName, const std::string& secret) {
  return "  - name: " + name + "\n    display_name: " + displayName +
         "\n    oauth:\n      client_id: id-" + name + "\n      client_secret: " + secret +
         "\n      authorize_url: https://auth.example/authorize\n      token_url: https://auth.example/token"
         "\n      redirect_uri: https://switchboard.example/oauth/callback\n";
}

class ConnectionsSyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db.ok()) << "test database unavailable";
    Poco::Environment::set("SB_TEST_CONNECTION_SECRET", kSecret);
  }

  std::map<std::string, Row> rows() {
    std::map<std::string, Row> out;
    auto session = db.rawSession();
    std::vector<std::string> names, ids, reasons, displayNames, settings;
    std::vector<int> enabled;
    session << "SELECT name, id, enabled, disabled_reason, display_name, settings_json FROM connections",
        into(names), into(ids), into(enabled), into(reasons), into(displayNames), into(settings), now;
    for (std::size_t i = 0; i < names.size(); ++i) {
      out[names[i]] = Row{ids[i], enabled[i], reasons[i], displayNames[i], settings[i]};
    }
    return out;
  }

  int run(const std::string& connections) {
    ServerProcess server(writeConfig(dir, db, "", "connections:\n" + connections));
    EXPECT_TRUE(server.ok()) << server.output();
    if (!server.ok()) return 0;
    const int ready = server.request("GET", "/readyz").status;
    server.stop();
    // What the process printed and what it logged (application and access log).
    output += server.output();
    for (const char* name : {"server.log", "access.log"}) output += readFile(dir.file(name));
    return ready;
  }

  static std::string readFile(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  }

  static constexpr const char* kSecret = "client-secret-never-stored-7f3a9";
  ScratchDirectory dir;
  ScratchDatabase db;
  std::string output;
};

TEST_F(ConnectionsSyncTest, AddChangeAndRemoveAcrossRestartsKeepIdsAndTokens) {
  const std::string secret = "${SB_TEST_CONNECTION_SECRET}";
  EXPECT_EQ(run(connection("github", "GitHub", secret) + connection("linear", "Linear", secret)), 200);
  auto first = rows();
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first["github"].enabled, 1);
  EXPECT_NE(first["github"].settings.find("\"client_id\":\"id-github\""), std::string::npos) << first["github"].settings;

  // A user's grant for linear, as the callback would store it.
  {
    auto session = db.rawSession();
    std::string userId;
    session << "SELECT id FROM users WHERE name = 'admin'", into(userId), now;
    ASSERT_FALSE(userId.empty());
    session << "INSERT INTO oauth_tokens(id, user_id, connection_name, state, token_sealed, created_at, updated_at)"
               " VALUES ('otk_test', '" + userId + "', 'linear', 'connected', 'v1.sealed', 'now', 'now')",
        now;
  }

  // github renamed on screen, linear removed, notion added.
  EXPECT_EQ(run(connection("github", "GitHub.com", secret) + connection("notion", "Notion", secret)), 200);
  auto second = rows();
  ASSERT_EQ(second.size(), 3u);
  EXPECT_EQ(second["github"].id, first["github"].id);
  EXPECT_EQ(second["github"].displayName, "GitHub.com");
  EXPECT_EQ(second["linear"].id, first["linear"].id);
  EXPECT_EQ(second["linear"].enabled, 0);
  EXPECT_EQ(second["linear"].disabledReason, "removed from the configuration");
  EXPECT_EQ(second["notion"].enabled, 1);
  {
    auto session = db.rawSession();
    Poco::Int64 tokens = 0;  // COUNT(*) is a bigint on PostgreSQL
    session << "SELECT COUNT(*) FROM oauth_tokens WHERE id = 'otk_test'", into(tokens), now;
    EXPECT_EQ(tokens, 1) << "a removed connection keeps its tokens";
  }

  // linear back: enabled again under its old id.
  EXPECT_EQ(run(connection("github", "GitHub.com", secret) + connection("linear", "Linear", secret)), 200);
  auto third = rows();
  EXPECT_EQ(third["linear"].id, first["linear"].id);
  EXPECT_EQ(third["linear"].enabled, 1);
  EXPECT_EQ(third["notion"].enabled, 0);

  // The client secret is in memory only: not in the database, not in the log.
  for (const auto& [name, row] : third) EXPECT_EQ(row.settings.find(kSecret), std::string::npos) << name;
  EXPECT_EQ(output.find(kSecret), std::string::npos);
  if (db.isSqlite()) {
    const std::string bytes = readFile(db.sqliteFile()) + readFile(db.sqliteFile() + "-wal");
    EXPECT_NE(bytes.find("id-github"), std::string::npos) << "the check reads the rows' bytes";
    EXPECT_EQ(bytes.find(kSecret), std::string::npos);
  }
}

TEST_F(ConnectionsSyncTest, AnUnsetSecretDisablesOnlyThatConnection) {
  EXPECT_EQ(run(connection("github", "GitHub", "${SB_TEST_SECRET_THAT_IS_NOT_SET}") +
                connection("linear", "Linear", "${SB_TEST_CONNECTION_SECRET}")),
            200);
  auto stored = rows();
  EXPECT_EQ(stored["github"].enabled, 0);
  EXPECT_EQ(stored["github"].disabledReason, "environment variable 'SB_TEST_SECRET_THAT_IS_NOT_SET' is not set");
  EXPECT_EQ(stored["linear"].enabled, 1);
  EXPECT_NE(output.find("connection 'github' is disabled: environment variable 'SB_TEST_SECRET_THAT_IS_NOT_SET'"),
            std::string::npos)
      << output;
}

}  // namespace
