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

void StoreWithProjectTest::SetUp() {
  StoreTest::SetUp();
  if (HasFatalFailure()) return;
  auto user = store_->users().ensureUser("olivia", false);
  ASSERT_TRUE(user.isOk()) << user.status().message();
  userId_ = user->id;
  auto created = store_->projects().createProject("Website", "olivia");
  ASSERT_TRUE(created.isOk()) << created.status().message();
  projectId_ = created->id;
}

std::string fakeTokenHash(const std::string& seed) { return sha256Hex(seed); }

}  // namespace sb::testing
