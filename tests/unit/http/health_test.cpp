#include <gtest/gtest.h>

#include "test_server.hpp"

namespace sb::testing {
namespace {

TEST(Health, HealthzIsOkWithoutAuth) {
  HttpCall call;
  call.path = "/healthz";
  const HttpResult result = testServer().call(call);
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.header("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(result.json()->getValue<std::string>("status"), "ok");
}

TEST(Health, ReadyzIsReadyWhenStoreAndPluginsAre) {
  HttpCall call;
  call.path = "/readyz";
  const HttpResult result = testServer().call(call);
  ASSERT_EQ(result.status, 200) << result.body;
  const auto body = result.json();
  EXPECT_EQ(body->getValue<std::string>("status"), "ready");
  EXPECT_EQ(body->getValue<std::string>("store"), "ok");
  EXPECT_EQ(body->getValue<std::string>("plugins"), "ok");
  EXPECT_EQ(body->getValue<std::string>("connections"), "ok");
}

TEST(Health, ReadyzIs503NamingPluginsWhenAPluginFailed) {
  testServer().setPluginsReady(false);
  HttpCall call;
  call.path = "/readyz";
  const HttpResult result = testServer().call(call);
  testServer().setPluginsReady(true);
  expectProblem(result, 503, "/readyz");
  const auto body = result.json();
  EXPECT_EQ(body->getValue<std::string>("plugins"), "failed");
  EXPECT_EQ(body->getValue<std::string>("store"), "ok");
  EXPECT_NE(body->getValue<std::string>("detail").find("plugin"), std::string::npos);
}

TEST(Health, ReadyzIs503NamingConnectionsWhenTheirSyncFailed) {
  testServer().setConnectionsSynced(false);
  HttpCall call;
  call.path = "/readyz";
  const HttpResult result = testServer().call(call);
  testServer().setConnectionsSynced(true);
  expectProblem(result, 503, "/readyz");
  const auto body = result.json();
  EXPECT_EQ(body->getValue<std::string>("connections"), "failed");
  EXPECT_EQ(body->getValue<std::string>("plugins"), "ok");
  EXPECT_EQ(body->getValue<std::string>("detail"), "the configured connections could not be synced");
}

}  // namespace
}  // namespace sb::testing
