// The store tests' fixture: a ScratchDatabase (tests/support) with an opened,
// migrated Store. Thread-safety: one per test, used from the test thread.
#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "scratch_database.hpp"
#include "store/store.hpp"

namespace sb::testing {

// Fixture: a ScratchDatabase plus an opened, migrated Store.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  // Opens another Store on the same database (as a second instance would).
  std::unique_ptr<Store> openAnother() const;

  std::unique_ptr<ScratchDatabase> database_;
  std::unique_ptr<Store> store_;
};

// StoreTest plus one user ("olivia") who owns one project ("Website").
class StoreWithProjectTest : public StoreTest {
 protected:
  void SetUp() override;

  std::string userId_;
  std::string projectId_;
};

// 64 lowercase hex chars derived from `seed`, shaped like a SHA-256 hex digest.
std::string fakeTokenHash(const std::string& seed);

}  // namespace sb::testing
