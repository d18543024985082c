#include <gtest/gtest.h>

#include "core/outbound_url.hpp"

namespace sb {
namespace {

TEST(OutboundUrl, AbsoluteHttpAndHttpsUrlsLeaveTheServer) {
  for (const char* url : {"https://github.com/acme/web", "http://127.0.0.1:8080/x?y=1#z", "HTTPS://Example.COM",
                          "https://web.vercel.app", "https://[2001:db8::1]:8443/path"}) {
    EXPECT_EQ(outboundUrlProblem(url), std::nullopt) << url;
  }
}

TEST(OutboundUrl, ScriptDataAndFileUrlsAreDropped) {
  EXPECT_EQ(outboundUrlProblem("javascript:alert(document.cookie)"),
            "has the scheme \"javascript\", not http or https");
  EXPECT_EQ(outboundUrlProblem("JavaScript:alert(1)"), "has the scheme \"javascript\", not http or https");
  EXPECT_EQ(outboundUrlProblem("data:text/html,<script>alert(1)</script>"),
            "has the scheme \"data\", not http or https");
  EXPECT_EQ(outboundUrlProblem("file:///etc/passwd"), "has the scheme \"file\", not http or https");
  EXPECT_EQ(outboundUrlProblem("vbscript:msgbox"), "has the scheme \"vbscript\", not http or https");
}

TEST(OutboundUrl, CredentialsRelativeAndBrowserRepairedUrlsAreDropped) {
  EXPECT_EQ(outboundUrlProblem("https://user:pass@github.com/acme"), "carries user info (credentials)");
  EXPECT_EQ(outboundUrlProblem("https://token@evil.example"), "carries user info (credentials)");
  EXPECT_EQ(outboundUrlProblem("/relative/path"), "is not an absolute http or https URL");
  EXPECT_EQ(outboundUrlProblem("//evil.example/x"), "is not an absolute http or https URL");
  EXPECT_EQ(outboundUrlProblem("https:evil.example"), "is not an absolute http or https URL");
  EXPECT_EQ(outboundUrlProblem("https:///evil.example"), "has no host");
  EXPECT_EQ(outboundUrlProblem(" javascript:alert(1)"), "contains a space, a control character or a backslash");
  EXPECT_EQ(outboundUrlProblem("java\tscript:alert(1)"), "contains a space, a control character or a backslash");
  EXPECT_EQ(outboundUrlProblem("https:\\\\evil.example"), "contains a space, a control character or a backslash");
  EXPECT_EQ(outboundUrlProblem(std::string("https://a.example/\0x", 19)),
            "contains a space, a control character or a backslash");
  EXPECT_EQ(outboundUrlProblem(""), "is empty");
  EXPECT_EQ(outboundUrlProblem("https://a.example:99999999/"), "is not a well-formed URL");
}

}  // namespace
}  // namespace sb
