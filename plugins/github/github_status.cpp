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

#include <switchboard/time.hpp>

#include "github_actions.hpp"
#include "json_fields.hpp"
#include "status_support.hpp"

namespace switchboard::github {

using bundled::asObject;
using bundled::boolAt;
using bundled::int64At;
using bundled::isNullAt;
using bundled::objectAt;
using bundled::stringAt;
namespace {

using bundled::StatusReport;
using bundled::StatusRequest;

constexpr const char* kProvider = "GitHub";
constexpr const char* kDefaultApiRoot = "https://api.github.com";
constexpr std::int64_t kStalePushMs = 7LL * 24 * 60 * 60 * 1000;
// GitHub: "if you receive a 429 without retry-after or x-ratelimit-* headers,
// wait for at least one minute".
constexpr std::int64_t kDefaultRateLimitWaitSeconds = 60;

struct Target {
  std::string apiRoot;
  std::string owner;
  std::string name;
  std::string branch;  // empty = the repository's default branch
  std::string token;
  std::string fullName() const { return owner + "/" + name; }
};

// One GET, with a 304 already replaced by the cached 200 body.
struct Reply {
  int status = 0;
  std::string body;
  std::string retryAfter;
  std::string rateLimitRemaining;
  std::string rateLimitReset;
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

std::optional<Target> parseTarget(std::string_view requestJson, Outcome& failure) {
  std::optional<StatusRequest> request = bundled::parseStatusRequest(requestJson, failure);
  if (!request) return std::nullopt;
  Target target;
  target.apiRoot = request->apiRoot(kDefaultApiRoot);
  target.branch = request->setting("branch");
  target.token = request->secret("token");
  const std::string repository = request->setting("repository");
  const auto slash = repository.find('/');
  if (slash != std::string::npos) {
    target.owner = repository.substr(0, slash);
    target.name = repository.substr(slash + 1);
  }
  if (!validRepositoryPart(target.owner) || !validRepositoryPart(target.name)) {
    failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "settings.repository must be \"owner/name\"");
    return std::nullopt;
  }
  if (target.token.empty()) {
    failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "secrets.token is required");
    return std::nullopt;
  }
  return target;
}

std::optional<Reply> get(const Host& host, const Call& call, const std::string& url, const std::string& token,
                         EtagCache& cache, Outcome& failure) {
  HttpRequest request;
  request.url = url;
  request.headers = {{"Accept", "application/vnd.github+json"},
                     {"X-GitHub-Api-Version", "2022-11-28"},
                     {"Authorization", "Bearer " + token},
                     {"User-Agent", "switchboard"}};
  const std::optional<CachedReply> cached = cache.find(url, token);
  if (cached) request.headers.emplace_back("If-None-Match", cached->etag);
  HttpResult result = host.send(request, call);
  if (!result.ok()) {
    failure = bundled::transportFailure(kProvider, result);
    return std::nullopt;
  }
  const HttpResponse& response = result.response;
  Reply reply;
  reply.status = response.status();
  reply.retryAfter = std::string(response.header("retry-after"));
  reply.rateLimitRemaining = std::string(response.header("x-ratelimit-remaining"));
  reply.rateLimitReset = std::string(response.header("x-ratelimit-reset"));
  if (reply.status == 304 && cached) {
    reply.status = 200;
    reply.body = cached->body;
    return reply;
  }
  reply.body = std::string(response.body());
  if (reply.status == 200) {
    const std::string etag(response.header("etag"));
    if (etag.empty()) {
      cache.forget(url, token);
    } else {
      cache.store(url, token, CachedReply{etag, reply.body});
    }
  }
  return reply;
}

// GitHub's primary limit (403/429 with x-ratelimit-remaining: 0) and its
// secondary limits (retry-after); nullopt when the reply is not a rate limit.
std::optional<std::int64_t> rateLimitWaitSeconds(const Reply& reply, std::int64_t nowMs) {
  if (reply.status != 403 && reply.status != 429) return std::nullopt;
  if (auto seconds = bundled::parseRetryAfterSeconds(reply.retryAfter, nowMs))
    return std::max<std::int64_t>(0, *seconds);
  if (reply.rateLimitRemaining == "0") {
    if (auto reset = bundled::parseEpochSeconds(reply.rateLimitReset)) return std::max<std::int64_t>(0, *reset - nowMs / 1000);
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
  return repoUrl + "/branches/" + bundled::urlEncode(branch);
}

Outcome shapeError(const std::string& what) {
  return Outcome::failure(SB_ERR_UNAVAILABLE, std::string(kProvider) + " sent an unexpected reply: " + what);
}

Poco::JSON::Object::Ptr parseObject(const std::string& body, Outcome& failure) {
  bool ok = false;
  Poco::Dynamic::Var value = bundled::parseJsonBody(kProvider, body, failure, ok);
  if (!ok) return nullptr;
  Poco::JSON::Object::Ptr object = asObject(value);
  if (object.isNull()) failure = shapeError("the body is not a JSON object");
  return object;
}

}  // namespace

Outcome repositoryStatus(const Host& host, const Call& call, std::string_view requestJson, EtagCache& cache) {
  Outcome failure;
  std::optional<Target> target = parseTarget(requestJson, failure);
  if (!target) return failure;
  const std::string repoUrl =
      target->apiRoot + "/repos/" + bundled::urlEncode(target->owner) + "/" + bundled::urlEncode(target->name);

  // With a configured branch both requests go out at once (one round trip);
  // the default branch is only known once the repository has answered.
  std::optional<Reply> branchAhead;
  Outcome branchAheadFailure;
  std::optional<Reply> repoReply;
  if (target->branch.empty()) {
    repoReply = get(host, call, repoUrl, target->token, cache, failure);
  } else {
    std::tie(repoReply, branchAhead) = bundled::bothAtOnce(
        [&] { return get(host, call, repoUrl, target->token, cache, failure); },
        [&] { return get(host, call, branchUrlOf(repoUrl, target->branch), target->token, cache, branchAheadFailure); });
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
  if (repoReply->status != 200) return bundled::unexpectedStatus(kProvider, repoReply->status);

  Poco::JSON::Object::Ptr repo = parseObject(repoReply->body, failure);
  if (repo.isNull()) return failure;
  const std::optional<bool> isPrivate = boolAt(repo, "private");
  const std::optional<std::string> htmlUrl = stringAt(repo, "html_url");
  const std::optional<std::string> defaultBranch = stringAt(repo, "default_branch");
  if (!isPrivate || !htmlUrl) return shapeError("the repository has no private/html_url");
  report.resourcePrivate = *isPrivate;
  report.resourceUrl = *htmlUrl;
  const std::string branch = !target->branch.empty() ? target->branch : defaultBranch.value_or("");
  if (branch.empty()) return shapeError("the repository has no default_branch");

  std::optional<Reply> branchReply = std::move(branchAhead);
  if (target->branch.empty()) {
    branchReply = get(host, call, branchUrlOf(repoUrl, branch), target->token, cache, failure);
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
  if (branchReply->status != 200) return bundled::unexpectedStatus(kProvider, branchReply->status);

  Poco::JSON::Object::Ptr branchObject = parseObject(branchReply->body, failure);
  if (branchObject.isNull()) return failure;
  const std::optional<std::string> committed =
      stringAt(objectAt(objectAt(objectAt(branchObject, "commit"), "commit"), "committer"), "date");
  const std::optional<std::int64_t> pushedMs = committed ? bundled::parseIso8601Ms(*committed) : std::nullopt;
  if (!pushedMs) return shapeError("the branch has no commit.commit.committer.date");
  report.status = nowMs - *pushedMs < kStalePushMs ? "connected" : "warning";
  report.summary = "Linked to " + branch + " \xC2\xB7 Last push " + switchboard::time::relativeAge(nowMs, *pushedMs);
  return Outcome::ok(report.toJson());
}

}  // namespace switchboard::github
