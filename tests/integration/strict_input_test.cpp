// Findings 5 and 6 of issue 9, end to end on the real binary (whose bodies
// may be 1 MiB, so the caps themselves are what refuses): oversized values,
// control characters and duplicate keys; and the modes of the files the
// server creates, under the most permissive umask.
#include <gtest/gtest.h>

#include <vector>

#include <Poco/JSON/Object.h>

#include "project_setup.hpp"
#include "scoped_umask.hpp"
#include "server_process.hpp"

using namespace sbtest;

namespace {

class StrictInputTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(db.ok()) << "test database unavailable"; }
  std::string config() { return writeConfig(dir, db, "    - github\n", secretsSection(dir, 'd')); }
  static void expect422(const HttpResponse& reply, const std::string& field, const std::string& detail) {
    EXPECT_EQ(reply.status, 422) << reply.body.substr(0, 400);
    EXPECT_EQ(reply.header("content-type"), "application/problem+json");
    if (reply.status != 422) return;
    auto problem = parseObject(reply.body);
    EXPECT_EQ(problem->getValue<std::string>("field"), field);
    EXPECT_EQ(problem->getValue<std::string>("detail"), detail);
  }

  ScratchDirectory dir;
  ScratchDatabase db;
};

TEST_F(StrictInputTest, OversizedValuesControlCharactersAndDuplicateKeysAreRefused) {
  ServerProcess server(config());
  ASSERT_TRUE(server.ok()) << server.output();
  const std::string token = server.adminToken();
  auto created = server.request("POST", "/api/v1/projects", token, R"({"name":"Strict"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string link = "/api/v1/projects/" + parseObject(created.body)->getValue<std::string>("id") +
                           "/integrations/github";
  const std::string big(900 * 1024, 'a');

  expect422(server.request("PUT", link, token,
                           R"({"settings":{"repository":"acme/web","branch":")" + big + R"("},"secrets":{"token":"t"}})"),
            "settings.branch", "'branch' is longer than 4096 bytes");
  expect422(server.request("PUT", link, token, R"({"settings":{"repository":"acme/web"},"secrets":{"token":")" + big + "\"}}"),
            "secrets.token", "'token' is longer than 16384 bytes");
  // The plugin's own cap: owner (39) + "/" + name (100).
  expect422(server.request("PUT", link, token,
                           R"({"settings":{"repository":")" + std::string(141, 'r') + R"("},"secrets":{"token":"t"}})"),
            "settings.repository", "'repository' is longer than 140 bytes");
  expect422(server.request("PUT", link, token, R"({"settings":{"repository":"acme/web\u0000evil"},"secrets":{"token":"t"}})"),
            "settings.repository", "'repository' must not contain a NUL character");
  expect422(server.request("PUT", link, token, R"({"settings":{"repository":"acme/web\r\nX: y"},"secrets":{"token":"t"}})"),
            "settings.repository", "'repository' must not contain control characters");
  EXPECT_EQ(server.request("GET", link, token).status, 404) << "nothing refused was stored";

  auto duplicate = server.request("POST", "/api/v1/projects", token, R"({"name":"first","name":"second"})");
  EXPECT_EQ(duplicate.status, 400) << duplicate.body;
  EXPECT_EQ(parseObject(duplicate.body)->getValue<std::string>("field"), "name");
  EXPECT_NE(duplicate.body.find("duplicate key 'name'"), std::string::npos);

  ASSERT_EQ(server.request("PUT", link, token, R"({"settings":{"repository":"acme/web"},"secrets":{"token":"t"}})").status,
            201);
  EXPECT_EQ(server.stop(), 0);
  EXPECT_EQ(fileText(dir.file("server.log")).find(big.substr(0, 1024)), std::string::npos) << "no value is echoed";
}

TEST_F(StrictInputTest, FilesTheServerCreatesAre0600WhateverTheUmask) {
  sb::testing::ScopedUmask permissive(0);  // the child inherits it: without care every file would be 0666
  ServerProcess server(config());
  ASSERT_TRUE(server.ok()) << server.output();
  // Writes fill the WAL and the access log.
  auto created = server.request("POST", "/api/v1/projects", server.adminToken(), R"({"name":"Modes"})");
  ASSERT_EQ(created.status, 201) << created.body;
  std::vector<std::string> files{dir.file("server.log"), dir.file("access.log")};
  if (db.isSqlite()) {  // on PostgreSQL the database files are the server's, not ours
    for (const char* suffix : {"", "-wal", "-shm"}) files.push_back(db.sqliteFile() + suffix);
  }
  for (const std::string& file : files) EXPECT_EQ(sb::testing::permissionsOf(file.c_str()), 0600u) << file;
  EXPECT_EQ(server.stop(), 0);
}

}  // namespace
