#include <gtest/gtest.h>

#include "http/problem.hpp"

namespace sb::http {
namespace {

TEST(Problem, EveryErrorCodeMapsToItsHttpStatus) {
  EXPECT_EQ(httpStatusFor(ErrorCode::InvalidArgument), 400);
  EXPECT_EQ(httpStatusFor(ErrorCode::Unauthenticated), 401);
  EXPECT_EQ(httpStatusFor(ErrorCode::PermissionDenied), 403);
  EXPECT_EQ(httpStatusFor(ErrorCode::NotFound), 404);
  EXPECT_EQ(httpStatusFor(ErrorCode::AlreadyExists), 409);
  EXPECT_EQ(httpStatusFor(ErrorCode::Conflict), 409);
  EXPECT_EQ(httpStatusFor(ErrorCode::Internal), 500);
  EXPECT_EQ(httpStatusFor(ErrorCode::Unavailable), 503);
  EXPECT_EQ(httpStatusFor(ErrorCode::Timeout), 504);
}

TEST(Problem, CarriesMessageAndFieldForCallerErrors) {
  const Problem problem = problemFor(Status(ErrorCode::InvalidArgument, "bad role", "role"));
  EXPECT_EQ(problem.status, 400);
  EXPECT_EQ(problem.type, "urn:switchboard:problem:bad-request");
  EXPECT_EQ(problem.title, "Bad Request");
  EXPECT_EQ(problem.detail, "bad role");
  EXPECT_EQ(problem.field, "role");
  EXPECT_EQ(problemFor(Status(ErrorCode::AlreadyExists, "x")).type,
            "urn:switchboard:problem:already-exists");
}

TEST(Problem, HidesInternalAndDependencyMessages) {
  const Problem internal = problemFor(Status(ErrorCode::Internal, "SELECT * FROM secrets failed"));
  EXPECT_EQ(internal.status, 500);
  EXPECT_EQ(internal.detail.find("SELECT"), std::string::npos);
  const Problem down = problemFor(Status(ErrorCode::Unavailable, "host=db password=hunter2"));
  EXPECT_EQ(down.status, 503);
  EXPECT_EQ(down.detail.find("hunter2"), std::string::npos);
}

TEST(Problem, ProviderRefusalsAreNever500) {
  auto refused = [](ProviderRefusalKind kind, std::int64_t retryAfter = -1) {
    return problemForProviderRefusal(ProviderRefusal{kind, "what the plugin said", retryAfter});
  };
  const Problem rejected = refused(ProviderRefusalKind::CredentialsRejected);
  EXPECT_EQ(rejected.status, 422);
  EXPECT_EQ(rejected.type, "urn:switchboard:problem:provider-credentials-rejected");
  EXPECT_EQ(rejected.detail, "what the plugin said");
  EXPECT_EQ(refused(ProviderRefusalKind::NoAccess).type, "urn:switchboard:problem:provider-no-access");
  EXPECT_EQ(refused(ProviderRefusalKind::InvalidLink).status, 422);
  EXPECT_EQ(refused(ProviderRefusalKind::NotSupported).type, "urn:switchboard:problem:not-supported");
  EXPECT_EQ(refused(ProviderRefusalKind::Unavailable).status, 502);
  EXPECT_EQ(refused(ProviderRefusalKind::Timeout).status, 504);
  const Problem limited = refused(ProviderRefusalKind::RateLimited, 30);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.title, "Provider Rate Limit");
  ASSERT_EQ(limited.headers.size(), 1u);
  EXPECT_EQ(limited.headers[0], (std::pair<std::string, std::string>{"Retry-After", "30"}));
  EXPECT_TRUE(refused(ProviderRefusalKind::RateLimited).headers.empty()) << "no Retry-After when unknown";
}

TEST(Problem, JsonListsStandardMembersFirst) {
  Problem problem = problemForHttpStatus(404, "no such thing", "id");
  problem.extensions.emplace_back("store", "ok");
  EXPECT_EQ(problemJson(problem, "/x", "rid"),
            R"({"type":"urn:switchboard:problem:not-found","title":"Not Found","status":404,)"
            R"("detail":"no such thing","instance":"/x","requestId":"rid","field":"id","store":"ok"})");
}

}  // namespace
}  // namespace sb::http
