// GitHub REST API, as documented at https://docs.github.com/en/rest :
//   GET /repos/{owner}/{repo}                     full_name, private, default_branch and, for an
//       https://docs.github.com/en/rest/repos/repos#get-a-repository
//                                                 authenticated caller, permissions {admin, push, pull}
//   GET /repos/{owner}/{repo}/branches/{branch}   does the linked branch exist
//       https://docs.github.com/en/rest/branches/branches#get-a-branch
//   GET /user/repos?per_page=100&sort=full_name   the repositories the token can see, paged
//       https://docs.github.com/en/rest/repos/repos#list-repositories-for-the-authenticated-user
//   GET /repos/{owner}/{repo}/branches?per_page=100
//       https://docs.github.com/en/rest/branches/branches#list-branches
//   GET /repos/{owner}/{repo}/commits?sha={branch}&per_page={n}   newest first
//       https://docs.github.com/en/rest/commits/commits#list-commits
// Pagination: the Link header's rel="next" URL, followed as given
// (https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api),
// but only below the link's API root: the token never goes anywhere else.
// Failures: 401 -> the token is invalid, expired or revoked (after one
// refresh of a connection's token); 403 and 404 -> no access to the
// repository (GitHub answers 404 for a private repository the token cannot
// see); 403/429 with x-ratelimit-remaining: 0 wait until x-ratelimit-reset,
// retry-after for secondary limits, else one minute
// (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api).
#include "github_sync_setup.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <switchboard/provider.hpp>

namespace switchboard::github {
namespace {

using provider::Json;

constexpr std::string_view kProvider = "GitHub";
constexpr std::string_view kDefaultApiRoot = "https://api.github.com";
// Repository objects are large (about 6 KB each): a page of 100 fits easily.
constexpr std::size_t kMaxPageBytes = 8u << 20;
constexpr std::int64_t kMaxPerPage = 100;  // GitHub's own cap on per_page
// "wait for at least one minute" when a limit names no time.
constexpr std::int64_t kDefaultRateLimitWaitSeconds = 60;

// How many items a listing returns by default and at most.
struct Limits {
  std::int64_t byDefault;
  std::int64_t most;
};
constexpr Limits kRepositoryLimits{300, 1000};
constexpr Limits kBranchLimits{300, 1000};
constexpr Limits kCommitLimits{20, kMaxPerPage};

// The parts of a set-up request every call needs.
struct SetupRequest {
  std::string apiRoot;
  std::string repository;  // owner/name; checked only by the calls that use it
  std::string branch;      // empty = the default branch
  std::string token;
  std::int64_t limit = 0;
};

bool isRepositoryPart(std::string_view part) {
  if (part.empty() || part == "." || part == "..") return false;
  for (char c : part) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  }
  return true;
}

bool isRepository(const std::string& repository) {
  const auto slash = repository.find('/');
  return slash != std::string::npos && isRepositoryPart(std::string_view(repository).substr(0, slash)) &&
         isRepositoryPart(std::string_view(repository).substr(slash + 1));
}

std::optional<SetupRequest> parseSetupRequest(const Call& call, std::string_view text, bool needsRepository,
                                              Limits limits, Outcome& failure) {
  std::optional<provider::StatusRequest> request = provider::parseStatusRequest(text, failure);
  if (!request) return std::nullopt;
  SetupRequest out;
  out.apiRoot = request->apiRoot(kDefaultApiRoot, "apiBaseUrl");
  out.repository = request->setting("repository");
  out.branch = request->setting("branch");
  // A 1.3 host keeps the connection's token current; the request's copy is the fallback.
  const std::string connectionToken = call.accessToken();
  out.token = connectionToken.empty() ? request->credential("token") : connectionToken;
  out.limit = limits.byDefault;
  if (const Json* params = provider::objectAt(request->raw, "params")) {
    if (provider::memberAt(*params, "limit") != nullptr) {
      const auto limit = provider::int64At(*params, "limit");
      if (!limit || *limit < 1 || *limit > limits.most) {
        failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT,
                                   "params.limit must be a whole number from 1 to " + std::to_string(limits.most));
        return std::nullopt;
      }
      out.limit = *limit;
    }
  }
  if (needsRepository && !isRepository(out.repository)) {
    failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "settings.repository must be \"owner/name\"");
    return std::nullopt;
  }
  if (out.token.empty()) {
    failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT,
                               "the link has no token: set secrets.token or link it with a connection");
    return std::nullopt;
  }
  return out;
}

HttpResult send(const Host& host, const Call& call, const std::string& url, const std::string& token) {
  HttpRequest request;
  request.url = url;
  request.headers = {{"Accept", "application/vnd.github+json"},
                     {"X-GitHub-Api-Version", "2022-11-28"},
                     {"Authorization", "Bearer " + token},
                     {"User-Agent", "switchboard"}};
  return host.send(request, call);
}

// One GET; a 401 to a connection's token is retried once after the host
// refreshed it (ABI 1.3).
HttpResult get(const Host& host, const Call& call, const std::string& url, std::string& token) {
  HttpResult result = send(host, call, url, token);
  if (!result.ok() || result.response.status() != 401 || call.accessToken().empty()) return result;
  if (call.refreshAccessToken() != SB_OK) return result;
  token = call.accessToken();
  return send(host, call, url, token);
}

// GitHub's primary limit (403/429 with x-ratelimit-remaining: 0) and its
// secondary limits (retry-after); nullopt when the reply is no rate limit.
std::optional<std::int64_t> rateLimitWait(const HttpResponse& response, std::int64_t nowMs) {
  const int status = response.status();
  if (status != 403 && status != 429) return std::nullopt;
  if (auto seconds = time::parseRetryAfterSeconds(response.header("retry-after"), nowMs)) return seconds;
  if (time::detail::trimmed(response.header("x-ratelimit-remaining")) == "0") {
    if (auto reset = time::parseEpochSeconds(response.header("x-ratelimit-reset"))) {
      return *reset * 1000 <= nowMs ? 0 : (*reset * 1000 - nowMs + 999) / 1000;
    }
    return kDefaultRateLimitWaitSeconds;
  }
  if (status == 429) return kDefaultRateLimitWaitSeconds;
  return std::nullopt;
}

// The JSON of a 2xx reply, or the failure it means. `what` names the
// resource for the messages ("repository acme/web").
std::optional<Json> replyJson(const Host& host, const HttpResult& result, const std::string& what, Outcome& failure) {
  if (result.ok()) {
    if (auto wait = rateLimitWait(result.response, host.nowMs())) {
      failure = Outcome::rateLimited("GitHub's rate limit is exhausted; retry in " + std::to_string(*wait) + " s",
                                     *wait);
      return std::nullopt;
    }
    if (result.response.status() == 403) {
      failure = Outcome::failure(SB_ERR_NOT_FOUND, "the token may not read " + what +
                                                       " (GitHub answered 403: a missing permission or an "
                                                       "organization policy)");
      return std::nullopt;
    }
  }
  provider::Reply reply = provider::classify(kProvider, result, host.nowMs(), kMaxPageBytes);
  switch (reply.kind) {
    case provider::ReplyKind::Ok: return std::move(reply.body);
    case provider::ReplyKind::Revoked:
      failure = Outcome::failure(SB_ERR_UNAUTHORIZED, "GitHub rejected the token: it is invalid, expired or revoked");
      return std::nullopt;
    case provider::ReplyKind::NotFound:
      failure = Outcome::failure(SB_ERR_NOT_FOUND, what + " was not found, or the token has no access to it");
      return std::nullopt;
    case provider::ReplyKind::RateLimited: {
      const std::int64_t wait = reply.retryAfterSeconds >= 0 ? reply.retryAfterSeconds : kDefaultRateLimitWaitSeconds;
      failure = Outcome::rateLimited("GitHub asked to slow down; retry in " + std::to_string(wait) + " s", wait);
      return std::nullopt;
    }
    case provider::ReplyKind::Failed: break;
  }
  failure = std::move(reply.failure);
  return std::nullopt;
}

// The rel="next" target of a Link header (RFC 8288), or "".
std::string nextPage(std::string_view header) {
  std::size_t at = 0;
  while ((at = header.find('<', at)) != std::string_view::npos) {
    const std::size_t close = header.find('>', at);
    if (close == std::string_view::npos) return {};
    const std::size_t end = std::min(header.find(',', close), header.size());
    const std::string_view params = header.substr(close + 1, end - close - 1);
    if (params.find("rel=\"next\"") != std::string_view::npos || params.find("rel=next") != std::string_view::npos) {
      return std::string(header.substr(at + 1, close - at - 1));
    }
    at = end;
  }
  return {};
}

// The items of a paged listing, up to `limit`, following rel="next" below
// the API root. `truncated`: more exist than were taken.
struct Page {
  std::vector<Json> items;
  bool truncated = false;
};

std::optional<Page> getPages(const Host& host, const Call& call, SetupRequest& link, std::string url,
                             const std::string& what, Outcome& failure) {
  Page page;
  while (!url.empty()) {
    if (call.cancelled()) {
      failure = Outcome::failure(SB_ERR_TIMEOUT, "the host gave up on listing " + what);
      return std::nullopt;
    }
    HttpResult result = get(host, call, url, link.token);
    std::optional<Json> body = replyJson(host, result, what, failure);
    if (!body) return std::nullopt;
    if (!body->is_array()) {
      failure = provider::unexpectedShape(kProvider, what + " is not a list");
      return std::nullopt;
    }
    for (Json& item : *body) {
      if (static_cast<std::int64_t>(page.items.size()) == link.limit) {
        page.truncated = true;
        return page;
      }
      page.items.push_back(std::move(item));
    }
    url = nextPage(result.response.header("link"));
    if (!url.empty() && url.rfind(link.apiRoot + "/", 0) != 0) {
      failure = Outcome::failure(SB_ERR_UNAVAILABLE, "GitHub's next page of " + what + " is not below " + link.apiRoot);
      return std::nullopt;
    }
    if (!url.empty() && static_cast<std::int64_t>(page.items.size()) == link.limit) {
      page.truncated = true;
      return page;
    }
  }
  return page;
}

std::string repositoryUrl(const SetupRequest& link) { return link.apiRoot + "/repos/" + link.repository; }

std::int64_t perPage(const SetupRequest& link) { return std::min(link.limit, kMaxPerPage); }

// The first line of a commit message: what a listing shows.
std::string subject(const std::string& message) { return message.substr(0, message.find('\n')); }

}  // namespace

Outcome validateSyncLink(const Host& host, const Call& call, std::string_view requestJson) {
  Outcome failure;
  std::optional<SetupRequest> link = parseSetupRequest(call, requestJson, true, kCommitLimits, failure);
  if (!link) return failure;
  const std::string what = "repository " + link->repository;
  std::optional<Json> repository = replyJson(host, get(host, call, repositoryUrl(*link), link->token), what, failure);
  if (!repository) return failure;
  const auto fullName = provider::stringAt(*repository, "full_name");
  if (!repository->is_object() || !fullName) return provider::unexpectedShape(kProvider, what + " has no full_name");
  const Json* permissions = provider::objectAt(*repository, "permissions");
  // Without a permissions object (an anonymous view) GitHub showed it, so it reads.
  const bool canRead = permissions == nullptr || provider::boolAt(*permissions, "pull").value_or(false);
  const bool canWrite = permissions != nullptr && provider::boolAt(*permissions, "push").value_or(false);
  Json out = {{"resource", *fullName}, {"canRead", canRead}, {"canWrite", canWrite}};
  if (auto defaultBranch = provider::stringAt(*repository, "default_branch")) out["defaultBranch"] = *defaultBranch;
  if (auto isPrivate = provider::boolAt(*repository, "private")) out["private"] = *isPrivate;
  if (!link->branch.empty()) {
    const std::string branchWhat = "branch " + link->branch + " of " + link->repository;
    const std::string url = repositoryUrl(*link) + "/branches/" + provider::urlEncode(link->branch);
    if (!replyJson(host, get(host, call, url, link->token), branchWhat, failure)) return failure;
    out["branch"] = link->branch;
  }
  return Outcome::ok(out.dump());
}

Outcome listSyncRepositories(const Host& host, const Call& call, std::string_view requestJson) {
  Outcome failure;
  std::optional<SetupRequest> link = parseSetupRequest(call, requestJson, false, kRepositoryLimits, failure);
  if (!link) return failure;
  const std::string url = link->apiRoot + "/user/repos?per_page=" + std::to_string(perPage(*link)) + "&sort=full_name";
  std::optional<Page> page = getPages(host, call, *link, url, "the token's repositories", failure);
  if (!page) return failure;
  Json repositories = Json::array();
  for (const Json& item : page->items) {
    const auto name = provider::stringAt(item, "full_name");
    if (!name) return provider::unexpectedShape(kProvider, "a repository without full_name");
    Json entry = {{"name", *name}};
    if (auto isPrivate = provider::boolAt(item, "private")) entry["private"] = *isPrivate;
    if (auto defaultBranch = provider::stringAt(item, "default_branch")) entry["defaultBranch"] = *defaultBranch;
    repositories.push_back(std::move(entry));
  }
  return Outcome::ok(Json{{"repositories", std::move(repositories)}, {"truncated", page->truncated}}.dump());
}

Outcome listSyncBranches(const Host& host, const Call& call, std::string_view requestJson) {
  Outcome failure;
  std::optional<SetupRequest> link = parseSetupRequest(call, requestJson, true, kBranchLimits, failure);
  if (!link) return failure;
  const std::string url = repositoryUrl(*link) + "/branches?per_page=" + std::to_string(perPage(*link));
  std::optional<Page> page = getPages(host, call, *link, url, "the branches of " + link->repository, failure);
  if (!page) return failure;
  Json branches = Json::array();
  for (const Json& item : page->items) {
    const auto name = provider::stringAt(item, "name");
    const Json* commit = provider::objectAt(item, "commit");
    const auto head = commit != nullptr ? provider::stringAt(*commit, "sha") : std::nullopt;
    if (!name || !head) return provider::unexpectedShape(kProvider, "a branch without name or commit.sha");
    Json entry = {{"name", *name}, {"head", *head}};
    if (auto isProtected = provider::boolAt(item, "protected")) entry["protected"] = *isProtected;
    branches.push_back(std::move(entry));
  }
  return Outcome::ok(Json{{"branches", std::move(branches)}, {"truncated", page->truncated}}.dump());
}

Outcome listSyncCommits(const Host& host, const Call& call, std::string_view requestJson) {
  Outcome failure;
  std::optional<SetupRequest> link = parseSetupRequest(call, requestJson, true, kCommitLimits, failure);
  if (!link) return failure;
  // Without sha GitHub lists the default branch.
  std::string url = repositoryUrl(*link) + "/commits?per_page=" + std::to_string(link->limit);
  if (!link->branch.empty()) url += "&sha=" + provider::urlEncode(link->branch);
  const std::string what =
      (link->branch.empty() ? std::string("the default branch") : "branch " + link->branch) + " of " + link->repository;
  std::optional<Json> listed = replyJson(host, get(host, call, url, link->token), what, failure);
  if (!listed) return failure;
  if (!listed->is_array()) return provider::unexpectedShape(kProvider, "the commits of " + what + " are not a list");
  Json commits = Json::array();
  for (const Json& item : *listed) {
    const auto sha = provider::stringAt(item, "sha");
    const Json* commit = provider::objectAt(item, "commit");
    const auto message = commit != nullptr ? provider::stringAt(*commit, "message") : std::nullopt;
    if (!sha || !message) return provider::unexpectedShape(kProvider, "a commit without sha or commit.message");
    Json entry = {{"sha", *sha}, {"message", subject(*message)}};
    if (const Json* author = provider::objectAt(*commit, "author")) {
      if (auto name = provider::stringAt(*author, "name")) entry["author"] = *name;
      if (auto date = provider::stringAt(*author, "date")) entry["date"] = *date;
    }
    commits.push_back(std::move(entry));
  }
  Json out = {{"commits", std::move(commits)}};
  if (!link->branch.empty()) out["branch"] = link->branch;
  return Outcome::ok(out.dump());
}

}  // namespace switchboard::github
