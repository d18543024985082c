// Generated request ids: RFC 4122 version-4 text, distinct across threads.
#include <gtest/gtest.h>

#include <mutex>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "http/request_id.hpp"

namespace sb::http {
namespace {

TEST(RequestId, GeneratedIdsAreVersion4UuidsAndDistinctAcrossThreads) {
  const std::regex uuid("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  std::mutex mutex;
  std::set<std::string> seen;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      std::vector<std::string> ids;
      for (int i = 0; i < 5000; ++i) ids.push_back(generateRequestId());
      std::lock_guard lock(mutex);
      seen.insert(ids.begin(), ids.end());
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(seen.size(), 20000u);
  for (const auto& id : seen) ASSERT_TRUE(std::regex_match(id, uuid)) << id;
}

TEST(RequestId, AClientIdIsKeptOnlyWhenSafeToLog) {
  EXPECT_EQ(requestIdFor("trace-1.2_x"), "trace-1.2_x");
  EXPECT_NE(requestIdFor("with space"), "with space");
  EXPECT_NE(requestIdFor(std::string(129, 'a')), std::string(129, 'a'));
  EXPECT_EQ(requestIdFor(std::string(128, 'a')), std::string(128, 'a'));
}

}  // namespace
}  // namespace sb::http
