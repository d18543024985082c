// The integration-link tests' server and fixture: the shared TestServer's
// catalog plus a "kitchen" schema with one field of every type, two secrets,
// a destination field (`endpoint`) and a field with its own max_length
// (`code`, 8 bytes), so the tests need no real plugin. The server is created
// on first use and shared by every file of the unit_http binary that uses it.
// Thread-safety: test thread only (tests that race PUTs start their own threads).
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "test_server.hpp"

namespace sb::testing {

TestServer& kitchenServer();

// olivia owns, adam admins, ed edits, vic views; nora is not a member.
class Integrations : public ::testing::Test {
 protected:
  void SetUp() override;
  std::string path(const std::string& key = "kitchen") const;
  HttpResult put(const std::string& body, const std::string& caller = "adam",
                 const std::string& key = "kitchen") const;
  HttpResult get(const std::string& caller = "vic", const std::string& key = "kitchen") const;
  // A valid first PUT: the required select and the required secret token.
  HttpResult link(const std::string& caller = "adam") const;
  void expectInvalid(const std::string& body, const std::string& field) const;
  // The link's secret values as stored, opened with the server's key ("" when none).
  std::string storedSecrets() const;

  std::string project_;
};

}  // namespace sb::testing
