#include <gtest/gtest.h>

#include "store/store.hpp"

namespace sb {
namespace {

void expectUnavailableWithoutPassword(const std::string& url) {
  DatabaseConfig config;
  config.url = url;
  auto opened = Store::open(config);
  ASSERT_FALSE(opened.isOk()) << url;
  EXPECT_EQ(opened.status().code(), ErrorCode::Unavailable) << opened.status().message();
  EXPECT_NE(opened.status().message().find("PostgreSQL"), std::string::npos)
      << opened.status().message();
  EXPECT_EQ(opened.status().message().find("hunter2-secret"), std::string::npos)
      << opened.status().message();
}

TEST(StoreOpen, UnreachablePostgresIsUnavailableAndRedacted) {
  expectUnavailableWithoutPassword(
      "host=127.0.0.1 port=1 user=postgres password=hunter2-secret dbname=nothing connect_timeout=2");
  expectUnavailableWithoutPassword("postgresql://postgres:hunter2-secret@127.0.0.1:1/nothing");
}

TEST(StoreOpen, MalformedConnectionStringIsInvalidArgument) {
  DatabaseConfig config;
  config.url = "just-a-hostname";
  auto opened = Store::open(config);
  EXPECT_EQ(opened.status().code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(opened.status().field(), "database.url");
}

TEST(StoreOpen, UnopenableSqliteFileIsUnavailable) {
  DatabaseConfig config;
  config.url = "sqlite:/proc/switchboard-cannot-exist/store.db";
  auto opened = Store::open(config);
  ASSERT_FALSE(opened.isOk());
  EXPECT_EQ(opened.status().code(), ErrorCode::Unavailable);
  EXPECT_NE(opened.status().message().find("/proc/switchboard-cannot-exist"), std::string::npos)
      << opened.status().message();
}

TEST(StoreOpen, BadPoolSizesAreInvalid) {
  DatabaseConfig config;
  config.url = "sqlite:/tmp/never-created.db";
  config.poolMin = 5;
  config.poolMax = 2;
  EXPECT_EQ(Store::open(config).status().code(), ErrorCode::InvalidArgument);
  config.url = "sqlite::memory:";
  config.poolMin = 1;
  EXPECT_EQ(Store::open(config).status().code(), ErrorCode::InvalidArgument);
}

}  // namespace
}  // namespace sb
