// Fake GitHub REST API (https://docs.github.com/en/rest), enough for the
// status adapter:
//   GET /repos/{owner}/{repo}                   https://docs.github.com/en/rest/repos/repos#get-a-repository
//   GET /repos/{owner}/{repo}/branches/{branch} https://docs.github.com/en/rest/branches/branches#get-a-branch
//   GET /user                                   https://docs.github.com/en/rest/users/users#get-the-authenticated-user
//                                               (every accepted token is octocat's)
// Repositories: acme/web (private, default branch main) and acme/site (public,
// default branch main); each has the branches main and develop.
// Every 200 carries an ETag and the x-ratelimit-* headers; a matching
// If-None-Match (weak comparison, lists and "*", RFC 9110 §13.1.2) gets a 304
// without a body that repeats them.
// Authorization must be "Bearer <token>" or "token <token>"; an empty token or
// the token "revoked" gets 401 "Bad credentials", as GitHub answers a revoked one.
// What other tokens may do (the repository reply's `permissions`, which GitHub
// sends to an authenticated caller):
//   "read-only"  pull but not push
//   "no-access"  cannot see the private acme/web: 404 there (GitHub hides a
//                private repository it will not show), absent from /user/repos
//   "forbidden"  403 "Resource not accessible by personal access token" on
//                every /repos path (a fine-grained token without the permission)
//   any other    admin, push and pull
// Provider modes (besides those of fake_server.hpp):
//   ok                      last push 2 minutes before the fake started
//   stale_push              last push 9 days before
//   ancient_push            last push 2011-01-26T19:01:12Z (a repository left alone for years)
//   unauthorized            401 Bad credentials
//   rate_limited            403, x-ratelimit-remaining: 0, x-ratelimit-reset: now+60
//   secondary_rate_limited  429, retry-after: 30
//   not_found               404 for everything
//   server_error            502 with GitHub's body
//   hostile_links           html_url is "javascript:alert(document.cookie)": what a
//                           listener posing as GitHub answers (the host must not
//                           pass it on as a link)
//   many_repositories       /user/repos also lists 250 public acme/archive-NNN
//                           (three pages of 100: pagination by Link header)
// The Git Data API, commits, branch lists and /user/repos are answered by
// the repositories' object store (github_git_data.hpp); the branch reply
// names the real head commit and its tree.
// Times are anchored at construction so a body (and its ETag) stays the same
// between requests of one test.
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <sstream>
#include <string>
#include <vector>

#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Object.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <Poco/Timestamp.h>

#include "fake_server.hpp"
#include "github_git_data.hpp"

namespace sb::fakes {
namespace {

constexpr const char* kDocs = "https://docs.github.com/rest";
constexpr std::int64_t kMinuteMs = 60 * 1000;
constexpr std::int64_t kDayMs = 24 * 60 * kMinuteMs;

std::int64_t wallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string iso8601(std::int64_t epochMs) {
  return Poco::DateTimeFormatter::format(Poco::Timestamp(epochMs * 1000), "%Y-%m-%dT%H:%M:%SZ");
}

std::string stringify(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

std::string errorBody(const std::string& message, const std::string& docs = kDocs) {
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("message", message);
  body.set("documentation_url", docs);
  return stringify(body);
}

// The authenticated user, in the fields of GitHub's example reply the host could read.
std::string userBody() {
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("login", "octocat");
  body.set("id", 1);
  body.set("node_id", "MDQ6VXNlcjE=");
  body.set("html_url", "https://github.com/octocat");
  body.set("type", "User");
  body.set("site_admin", false);
  body.set("name", "monalisa octocat");
  return stringify(body);
}

std::vector<std::string> pathSegments(const std::string& path) {
  std::vector<std::string> segments;
  Poco::StringTokenizer tokens(path, "/", Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  for (const auto& token : tokens) segments.push_back(token);
  return segments;
}

std::string opaqueTag(std::string tag) {
  Poco::trimInPlace(tag);
  if (tag.rfind("W/", 0) == 0) tag.erase(0, 2);
  return tag;
}

// RFC 9110 §13.1.2: weak comparison, a comma-separated list, or "*".
bool ifNoneMatchHits(const std::string& header, const std::string& etag) {
  if (header.empty()) return false;
  Poco::StringTokenizer candidates(header, ",",
                                   Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  for (const auto& candidate : candidates) {
    if (candidate == "*" || opaqueTag(candidate) == opaqueTag(etag)) return true;
  }
  return false;
}

class GithubFake : public FakeProvider {
 public:
  GithubFake() : startedMs_(wallClockMs()), git_({"acme/web", "acme/site"}) {}

  GitDataStore& git() { return git_; }

  std::string name() const override { return "github"; }

  void handle(const FakeRequest& request, FakeResponse& response, const Behaviour& behaviour) override {
    const std::string& mode = behaviour.mode;
    if (mode == "server_error") {
      response.json(502, errorBody("Server Error"));
      return;
    }
    if (mode == "unauthorized" || !authorised(request)) {
      response.json(401, errorBody("Bad credentials"));
      return;
    }
    if (mode == "rate_limited") {
      rateLimitHeaders(response, 0);
      response.json(403, errorBody("API rate limit exceeded for user ID 1. If you reach out to GitHub Support for "
                                   "help, please include the request ID.",
                                   "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"));
      return;
    }
    if (mode == "secondary_rate_limited") {
      response.headers.emplace_back("retry-after", "30");
      response.json(429, errorBody("You have exceeded a secondary rate limit. Please wait a few minutes before you "
                                   "try again.",
                                   "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"));
      return;
    }
    if (mode == "not_found") {
      response.json(404, errorBody("Not Found"));
      return;
    }
    const std::vector<std::string> segments = pathSegments(request.path);
    const std::string token = tokenOf(request);
    if (request.method == "GET" && segments == std::vector<std::string>{"user"}) {
      answer(request, response, userBody());
      return;
    }
    if (request.method == "GET" && segments == std::vector<std::string>{"user", "repos"}) {
      rateLimitHeaders(response, countRequest());
      git_.listRepositories(
          request, response, [&](const std::string& name) { return maySee(token, name); },
          mode == "many_repositories" ? 250 : 0);
      return;
    }
    if (segments.size() < 3 || segments[0] != "repos" || !knownRepository(segments[1], segments[2]) ||
        !maySee(token, segments[1] + "/" + segments[2])) {
      response.json(404, errorBody("Not Found"));
      return;
    }
    if (token == "forbidden") {
      rateLimitHeaders(response, countRequest());
      response.json(403, errorBody("Resource not accessible by personal access token"));
      return;
    }
    const std::vector<std::string> below(segments.begin() + 3, segments.end());
    if (git_.handle(segments[1] + "/" + segments[2], below, request, response)) {
      rateLimitHeaders(response, countRequest());
      return;
    }
    if (request.method != "GET") {
      response.json(404, errorBody("Not Found"));
      return;
    }
    const std::int64_t pushedMs = mode == "ancient_push" ? std::int64_t{1296068472000}
                                  : startedMs_ - (mode == "stale_push" ? 9 * kDayMs : 2 * kMinuteMs);
    if (segments.size() == 3) {
      answer(request, response,
             repositoryBody(segments[1], segments[2], pushedMs, mode == "hostile_links", token != "read-only"));
      return;
    }
    if (segments.size() == 5 && segments[3] == "branches") {
      if (segments[4] != "main" && segments[4] != "develop") {
        response.json(404, errorBody("Branch not found"));
        return;
      }
      const std::string repository = segments[1] + "/" + segments[2];
      answer(request, response, branchBody(segments[4], pushedMs, git_.head(repository, segments[4]),
                                           git_.treeOf(git_.head(repository, segments[4]))));
      return;
    }
    response.json(404, errorBody("Not Found"));
  }

 private:
  static std::string tokenOf(const FakeRequest& request) {
    const std::string header = request.header("authorization");
    if (header.rfind("Bearer ", 0) == 0) return header.substr(7);
    if (header.rfind("token ", 0) == 0) return header.substr(6);
    return {};
  }

  static bool authorised(const FakeRequest& request) {
    const std::string token = tokenOf(request);
    return !token.empty() && token != "revoked";
  }

  static bool maySee(const std::string& token, const std::string& repository) {
    return token != "no-access" || repository != "acme/web";
  }

  static bool knownRepository(const std::string& owner, const std::string& repo) {
    return owner == "acme" && (repo == "web" || repo == "site");
  }

  void rateLimitHeaders(FakeResponse& response, int remaining) {
    response.headers.emplace_back("x-ratelimit-limit", "5000");
    response.headers.emplace_back("x-ratelimit-remaining", std::to_string(remaining));
    response.headers.emplace_back("x-ratelimit-used", std::to_string(5000 - remaining));
    response.headers.emplace_back("x-ratelimit-reset", std::to_string(wallClockMs() / 1000 + 60));
    response.headers.emplace_back("x-ratelimit-resource", "core");
  }

  // A 200 with an ETag, or a 304 when the client already has this body.
  void answer(const FakeRequest& request, FakeResponse& response, const std::string& body) {
    std::ostringstream tag;
    tag << '"' << std::hex << std::hash<std::string>{}(body) << '"';
    const std::string etag = tag.str();
    int remaining = 0;
    const bool notModified = ifNoneMatchHits(request.header("if-none-match"), etag);
    {
      std::lock_guard lock(mutex_);
      if (!notModified && remaining_ > 0) --remaining_;  // a 304 does not count against the limit
      remaining = remaining_;
    }
    response.headers.emplace_back("ETag", etag);
    response.headers.emplace_back("Cache-Control", "private, max-age=60, s-maxage=60");
    response.headers.emplace_back("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP");
    rateLimitHeaders(response, remaining);
    if (notModified) {
      response.status = 304;
      response.body.clear();
      return;
    }
    response.json(200, body);
  }

  std::string repositoryBody(const std::string& owner, const std::string& repo, std::int64_t pushedMs,
                             bool hostileLinks, bool mayPush) const {
    Poco::JSON::Object::Ptr permissions = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    permissions->set("admin", mayPush);
    permissions->set("maintain", mayPush);
    permissions->set("push", mayPush);
    permissions->set("triage", true);
    permissions->set("pull", true);
    Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
    body.set("id", repo == "web" ? 1296269 : 1296270);
    body.set("name", repo);
    body.set("full_name", owner + "/" + repo);
    body.set("private", repo == "web");
    body.set("html_url", hostileLinks ? "javascript:alert(document.cookie)" : "https://github.com/" + owner + "/" + repo);
    body.set("default_branch", "main");
    body.set("pushed_at", iso8601(pushedMs));
    body.set("visibility", repo == "web" ? "private" : "public");
    body.set("permissions", permissions);
    return stringify(body);
  }

  int countRequest() {
    std::lock_guard lock(mutex_);
    if (remaining_ > 0) --remaining_;
    return remaining_;
  }

  std::string branchBody(const std::string& branch, std::int64_t pushedMs, const std::string& head,
                         const std::string& tree) const {
    Poco::JSON::Object::Ptr person = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    person->set("name", "The Octocat");
    person->set("email", "octocat@github.com");
    person->set("date", iso8601(pushedMs));
    Poco::JSON::Object::Ptr gitCommit = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    gitCommit->set("author", person);
    gitCommit->set("committer", person);
    gitCommit->set("message", "Update the landing page");
    Poco::JSON::Object::Ptr treeRef = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    treeRef->set("sha", tree);
    gitCommit->set("tree", treeRef);
    Poco::JSON::Object::Ptr commit = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    commit->set("sha", head);
    commit->set("commit", gitCommit);
    Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
    body.set("name", branch);
    body.set("commit", commit);
    body.set("protected", branch == "main");
    return stringify(body);
  }

  const std::int64_t startedMs_;
  GitDataStore git_;
  std::mutex mutex_;
  int remaining_ = 5000;
};

}  // namespace

std::shared_ptr<FakeProvider> makeGithubFake() { return std::make_shared<GithubFake>(); }

GitDataStore& githubGitData(FakeProvider& fake) {
  auto* github = dynamic_cast<GithubFake*>(&fake);
  if (github == nullptr) throw std::invalid_argument("githubGitData: " + fake.name() + " is not the GitHub fake");
  return github->git();
}

}  // namespace sb::fakes
