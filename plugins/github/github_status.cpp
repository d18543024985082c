// GitHub REST API, as documented at https://docs.github.com/en/rest :
//   GET /repos/{owner}/{repo}                      (private, html_url, default_branch)
//     https://docs.github.com/en/rest/repos/repos#get-a-repository
//   GET /repos/{owner}/{repo}/branches/{branch}    (commit.commit.committer.date)
//     https://docs.github.com/en/rest/branches/branches#get-a-branch
//   Conditional requests and rate limits:
//     https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api
//     https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
// A private repository the token cannot see answers 404, not 403; a revoked
// token answers 401 "Bad credentials".
#include "github_status.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <switchboard/provider.hpp>
#include <switchboard/time.hpp>

#include "github_actions.hpp"
#include "github_client.hpp"

namespace switchboard::github {
namespace {

using provider::boolAt;
using provider::Json;
using provider::objectAt;
using provider::StatusReport;
using provider::StatusRequest;
using provider::stringAt;

constexpr std::int64_t kStalePushMs = 7LL * 24 * 60 * 60 * 1000;
// GitHub: "if you receive a 429 without retry-after or x-ratelimit-* headers,
// wait for at least one minute".
constexpr std::int64_t kDefaultRateLimitWaitSeconds = 60;

struct Target {
  std::string apiRoot;
  std::string owner;
  std::string name;
  std::string branch;  // empty = the repository's default branch
  std::string fullName() const { return owner + "/" + name; }
};

bool validRepositoryPart(const std::string& part) {
  if (part.empty() || part == "." || part == "..") return false;
  for (char c : part) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                         c == '_' || c == '.';
    if (!allowed) return false;
  }
  return true;
}

std::optional<Target> parseTarget(const StatusRequest& request, const GithubClient& github, Outcome& failure) {
  Target target;
  target.apiRoot = request.apiRoot(kDefaultApiRoot, "apiBaseUrl");
  target.branch = request.setting("branch");
  const std::string repository = request.setting("repository");
  const auto slash = repository.find('/');
  if (slash != std::string::npos) {
    target.owner = repository.substr(0, slash);
    target.name = repository.substr(slash + 1);
  }
  if (!validRepositoryPart(target.owner) || !validRepositoryPart(target.name)) {
    failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "settings.repository must be \"owner/name\"");
    return std::nullopt;
  }
  if (github.token().empty()) {
    failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "secrets.token is required");
    return std::nullopt;
  }
  return target;
}

using Reply = GithubReply;

// GitHub's primary limit (403/429 with x-ratelimit-remaining: 0) and its
// secondary limits (retry-after); nullopt when the reply is not a rate limit.
std::optional<std::int64_t> rateLimitWaitSeconds(const Reply& reply, std::int64_t nowMs) {
  if (reply.status != 403 && reply.status != 429) return std::nullopt;
  if (auto seconds = time::parseRetryAfterSeconds(reply.retryAfter, nowMs))
    return std::max<std::int64_t>(0, *seconds);
  if (reply.rateLimitRemaining == "0") {
    if (auto reset = time::parseEpochSeconds(reply.rateLimitReset)) return std::max<std::int64_t>(0, *reset - nowMs / 1000);
    return kDefaultRateLimitWaitSeconds;
  }
  if (reply.status == 429) return kDefaultRateLimitWaitSeconds;
  return std::nullopt;
}

// Before the repository answered we do not know whether it is private, so
// the resource stays hidden from viewers.
StatusReport reportFor(const Target& target) {
  StatusReport report;
  report.resourceLabel = target.fullName();
  report.resourcePrivate = true;
  report.resourceGenericLabel = "Private repo";
  report.actions = githubActions();
  return report;
}

// 401 and rate limits mean the same on every endpoint; nullopt otherwise.
std::optional<Outcome> sharedAnswer(StatusReport report, const Reply& reply, std::int64_t nowMs) {
  if (reply.status == 401) {
    report.markRevoked("GitHub rejected the token", "Reconnect GitHub: the token was revoked or has expired",
                       "GitHub rejected the token; reconnect first");
    return Outcome::ok(report.toJson());
  }
  if (auto wait = rateLimitWaitSeconds(reply, nowMs)) {
    report.markRateLimited("Rate limited by GitHub", "GitHub asked us to wait before the next request", *wait);
    return Outcome::ok(report.toJson());
  }
  return std::nullopt;
}

std::string branchUrlOf(const std::string& repoUrl, const std::string& branch) {
  return repoUrl + "/branches/" + provider::urlEncode(branch);
}

Outcome shapeError(const std::string& what) { return provider::unexpectedShape(kProvider, what); }

Outcome unexpectedStatus(int status) {
  return Outcome::failure(SB_ERR_UNAVAILABLE, std::string(kProvider) + " answered HTTP " + std::to_string(status));
}

// The reply's body as a JSON object; nullopt with `failure` set otherwise.
std::optional<Json> parseObject(const std::string& body, Outcome& failure) {
  std::optional<Json> value = provider::parseJson(body);
  if (!value) {
    const auto problem = json::validate(body);
    failure = Outcome::failure(SB_ERR_UNAVAILABLE, std::string(kProvider) + " sent malformed JSON: " +
                                                       (problem ? problem->describe() : std::string("not JSON")));
    return std::nullopt;
  }
  if (!value->is_object()) {
    failure = shapeError("the body is not a JSON object");
    return std::nullopt;
  }
  return value;
}

}  // namespace

Outcome repositoryStatus(const Host& host, const Call& call, std::string_view requestJson, EtagCache& cache) {
  Outcome failure;
  std::optional<StatusRequest> request = provider::parseStatusRequest(requestJson, failure);
  if (!request) return failure;
  const GithubClient github(host, call, request->secret("token"));
  std::optional<Target> target = parseTarget(*request, github, failure);
  if (!target) return failure;
  const std::string repoUrl =
      target->apiRoot + "/repos/" + provider::urlEncode(target->owner) + "/" + provider::urlEncode(target->name);
  auto get = [&](const std::string& url, Outcome& failed) { return github.send("GET", url, "", &cache, failed); };

  // With a configured branch both requests go out at once (one round trip);
  // the default branch is only known once the repository has answered.
  std::optional<Reply> branchAhead;
  Outcome branchAheadFailure;
  std::optional<Reply> repoReply;
  if (target->branch.empty()) {
    repoReply = get(repoUrl, failure);
  } else {
    std::tie(repoReply, branchAhead) =
        provider::bothAtOnce([&] { return get(repoUrl, failure); },
                             [&] { return get(branchUrlOf(repoUrl, target->branch), branchAheadFailure); });
  }
  if (!repoReply) return failure;
  StatusReport report = reportFor(*target);
  if (auto answer = sharedAnswer(report, *repoReply, host.nowMs())) return *answer;
  if (repoReply->status == 403 || repoReply->status == 404) {
    report.status = "error";
    report.summary = repoReply->status == 404 ? "Repository not found" : "GitHub refused access";
    report.problemCode = "unknown";
    report.problemHint = repoReply->status == 404
                             ? "Repository not found, or the token cannot see it"
                             : "GitHub refused access: check that the token may read this repository";
    return Outcome::ok(report.toJson());
  }
  if (repoReply->status != 200) return unexpectedStatus(repoReply->status);

  std::optional<Json> repo = parseObject(repoReply->body, failure);
  if (!repo) return failure;
  const std::optional<bool> isPrivate = boolAt(*repo, "private");
  const std::optional<std::string> htmlUrl = stringAt(*repo, "html_url");
  const std::optional<std::string> defaultBranch = stringAt(*repo, "default_branch");
  if (!isPrivate || !htmlUrl) return shapeError("the repository has no private/html_url");
  report.resourcePrivate = *isPrivate;
  report.resourceUrl = *htmlUrl;
  const std::string branch = !target->branch.empty() ? target->branch : defaultBranch.value_or("");
  if (branch.empty()) return shapeError("the repository has no default_branch");

  std::optional<Reply> branchReply = std::move(branchAhead);
  if (target->branch.empty()) {
    branchReply = get(branchUrlOf(repoUrl, branch), failure);
  } else if (!branchReply) {
    return branchAheadFailure;
  }
  if (!branchReply) return failure;
  const std::int64_t nowMs = host.nowMs();
  if (auto answer = sharedAnswer(report, *branchReply, nowMs)) return *answer;
  if (branchReply->status == 404) {
    report.status = "warning";
    report.summary = "Branch " + branch + " not found";
    report.problemCode = "unknown";
    report.problemHint = "Pick an existing branch in the link settings";
    return Outcome::ok(report.toJson());
  }
  if (branchReply->status != 200) return unexpectedStatus(branchReply->status);

  std::optional<Json> branchObject = parseObject(branchReply->body, failure);
  if (!branchObject) return failure;
  const Json* commit = objectAt(*branchObject, "commit");
  const Json* commitDetails = commit != nullptr ? objectAt(*commit, "commit") : nullptr;
  const Json* committer = commitDetails != nullptr ? objectAt(*commitDetails, "committer") : nullptr;
  const std::optional<std::int64_t> pushedMs = committer != nullptr ? provider::timeAt(*committer, "date") : std::nullopt;
  if (!pushedMs) return shapeError("the branch has no commit.commit.committer.date");
  report.status = nowMs - *pushedMs < kStalePushMs ? "connected" : "warning";
  report.summary = "Linked to " + branch + " \xC2\xB7 Last push " + time::relativeAge(nowMs, *pushedMs);
  return Outcome::ok(report.toJson());
}

}  // namespace switchboard::github
