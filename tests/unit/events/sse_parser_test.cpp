// The test parser against the WHATWG examples and edge cases, so tests that
// use it to judge the server can be trusted.
#include <gtest/gtest.h>

#include "sse_parser.hpp"

namespace sb::testing {
namespace {

TEST(SseParser, FollowsTheSpecExamples) {
  SseParser parser;
  // From the spec: two data lines are one event; a line without a colon is a
  // field with an empty value; an event without data is not dispatched.
  parser.feed("data: YHOO\ndata: +2\ndata: 10\n\n");
  parser.feed(": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n");
  parser.feed("data\n\ndata\ndata\n\ndata:\n");
  auto events = parser.take();
  ASSERT_EQ(events.size(), 6u);
  EXPECT_EQ(events[0].data, "YHOO\n+2\n10");
  EXPECT_EQ(events[0].type, "message");
  EXPECT_EQ(events[1].data, "first event");
  EXPECT_EQ(events[1].lastEventId, "1");
  EXPECT_EQ(events[2].data, "second event");
  EXPECT_EQ(events[2].lastEventId, "") << "an empty id field resets the last event id";
  EXPECT_EQ(events[3].data, " third event") << "only one space after the colon is removed";
  EXPECT_EQ(events[4].data, "");
  EXPECT_EQ(events[5].data, "\n");
  EXPECT_EQ(parser.comments(), 1u);
  // The last block, once a blank line follows, fires an empty event too.
  parser.feed("\n");
  auto last = parser.take();
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].data, "");
}

TEST(SseParser, AcceptsCrLfAndCrLfSplitAcrossFeeds) {
  SseParser parser;
  parser.feed("\xEF\xBB\xBF" "event: a\r\ndata: 1\r");
  parser.feed("\n\r\n");
  parser.feed("event: b\rdata: 2\r\r");
  auto events = parser.take();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, "a");
  EXPECT_EQ(events[0].data, "1");
  EXPECT_EQ(events[1].type, "b");
  EXPECT_EQ(events[1].data, "2");
}

TEST(SseParser, RetryOnlyWhenAllDigitsAndIdsWithNulAreIgnored) {
  SseParser parser;
  parser.feed("retry: 15x\n\nretry: 3000\n\n");
  EXPECT_EQ(parser.retryMs(), 3000);
  static const char kStream[] = "id: 7\ndata: a\n\nid: 8\0x\ndata: b\n\n";
  parser.feed(std::string(kStream, sizeof kStream - 1));
  auto events = parser.take();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].lastEventId, "7");
}

}  // namespace
}  // namespace sb::testing
