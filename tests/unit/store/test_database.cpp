#include "test_database.hpp"

#include "auth/tokens.hpp"

namespace sb::testing {

void StoreTest::SetUp() {
  database_ = std::make_unique<ScratchDatabase>();
  ASSERT_TRUE(database_->ok()) << "test database unavailable";
  auto opened = Store::open(database_->config());
  ASSERT_TRUE(opened.isOk()) << opened.status().message();
  store_ = std::move(opened.value());
  auto migrated = store_->migrate();
  ASSERT_TRUE(migrated.isOk()) << migrated.status().message();
}

void StoreTest::TearDown() {
  store_.reset();  // close pooled connections before the database is dropped
  database_.reset();
}

std::unique_ptr<Store> StoreTest::openAnother() const {
  auto opened = Store::open(database_->config());
  EXPECT_TRUE(opened.isOk()) << opened.status().message();
  return opened.isOk() ? std::move(opened.value()) : nullptr;
}

std::string fakeTokenHash(const std::string& seed) { return sha256Hex(seed); }

}  // namespace sb::testing
