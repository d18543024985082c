// What formatEvent writes is what an EventSource reads back, whatever the
// payload holds: line breaks of every kind stay inside the data, and a
// payload cannot add fields or end the event early.
#include <gtest/gtest.h>

#include "events/sse_format.hpp"
#include "sse_parser.hpp"

namespace sb::events {
namespace {

TEST(SseFormat, EventsReadBackExactly) {
  testing::SseParser parser;
  parser.feed(formatRetry(2500));
  parser.feed(formatEvent({"41", "status.changed", R"({"key":"github","status":"connected"})"}));
  parser.feed(formatComment("hb"));
  parser.feed(formatEvent({"42", "", "line one\nline two\r\nline three\rline four"}));
  parser.feed(formatEvent({"43", "x", "\ndata: injected\n\nid: 99\n"}));
  auto events = parser.take();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(parser.retryMs(), 2500);
  EXPECT_EQ(parser.comments(), 1u);
  EXPECT_EQ(events[0].type, "status.changed");
  EXPECT_EQ(events[0].data, R"({"key":"github","status":"connected"})");
  EXPECT_EQ(events[0].lastEventId, "41");
  EXPECT_EQ(events[1].type, "message");
  EXPECT_EQ(events[1].data, "line one\nline two\nline three\nline four");
  EXPECT_EQ(events[2].data, "\ndata: injected\n\nid: 99\n") << "the payload stays data";
  EXPECT_EQ(events[2].lastEventId, "43");
}

TEST(SseFormat, FieldValuesCannotBreakTheirLine) {
  const std::string text = formatEvent({"1\n\nid: 2", "a\rb", "x"});
  EXPECT_EQ(text, "id: 1id: 2\nevent: ab\ndata: x\n\n");
  EXPECT_EQ(formatComment("a\nb"), ":ab\n\n");
  EXPECT_EQ(formatRetry(-5), "retry: 0\n\n");
}

}  // namespace
}  // namespace sb::events
