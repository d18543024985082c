// GitHub REST API, as documented at https://docs.github.com/en/rest :
//   GET   /repos/{o}/{r}                          default_branch when none is linked
//   GET   /repos/{o}/{r}/branches/{branch}        head commit and its tree (ETag: a 304 is free)
//         https://docs.github.com/en/rest/branches/branches#get-a-branch
//   GET   /repos/{o}/{r}/git/trees/{sha}?recursive=1
//         https://docs.github.com/en/rest/git/trees#get-a-tree ("If truncated is true ... fetch
//         one sub-tree at a time": the non-recursive listing, then each subtree)
//   GET   /repos/{o}/{r}/git/blobs/{sha}          base64 content
//   POST  /repos/{o}/{r}/git/blobs                binary files
//         https://docs.github.com/en/rest/git/blobs
//   POST  /repos/{o}/{r}/git/trees                base_tree + entries (content | sha | sha: null)
//   POST  /repos/{o}/{r}/git/commits              parents: [head]
//         https://docs.github.com/en/rest/git/commits#create-a-commit
//   PATCH /repos/{o}/{r}/git/refs/heads/{branch}  force: false; 422 when not a fast forward
//         https://docs.github.com/en/rest/git/refs#update-a-reference
// Rate limits: 403/429 with x-ratelimit-remaining: 0 wait until
// x-ratelimit-reset; retry-after for secondary limits. Requests (and the
// connection token's refresh after a 401) go through github_client.hpp.
#include "github_sync.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include <switchboard/encoding.hpp>
#include <switchboard/json.hpp>
#include <switchboard/provider.hpp>
#include <switchboard/time.hpp>

#include "github_client.hpp"

namespace switchboard::github {
namespace {

using provider::arrayAt;
using provider::Json;
using provider::objectAt;
using provider::StatusRequest;
using provider::stringAt;
using Body = nlohmann::ordered_json;

struct Link {
  std::string apiRoot;
  std::string repository;  // owner/name
  std::string branch;      // empty = the default branch
  std::string repoUrl() const { return apiRoot + "/repos/" + repository; }
};

bool validRepository(const std::string& repository) {
  const auto slash = repository.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == repository.size()) return false;
  for (std::size_t i = 0; i < repository.size(); ++i) {
    const char c = repository[i];
    if (i == slash) continue;
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                         c == '_' || c == '.';
    if (!allowed) return false;
  }
  const std::string owner = repository.substr(0, slash);
  const std::string name = repository.substr(slash + 1);
  return owner != "." && owner != ".." && name != "." && name != "..";
}

// The request and its link; nullopt with an SB_ERR_INVALID_ARGUMENT `failure`.
std::optional<StatusRequest> parseRequest(std::string_view json, Outcome& failure) {
  std::optional<StatusRequest> request = provider::parseStatusRequest(json, failure);
  if (!request) failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "the request must be a JSON object");
  return request;
}

std::optional<Link> linkOf(const StatusRequest& request, const GithubClient& github, Outcome& failure) {
  Link link{request.apiRoot(kDefaultApiRoot, "apiBaseUrl"), request.setting("repository"), request.setting("branch")};
  if (!validRepository(link.repository)) {
    failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "settings.repository must be \"owner/name\"");
    return std::nullopt;
  }
  if (github.token().empty()) {
    failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "secrets.token is required");
    return std::nullopt;
  }
  return link;
}

// What a non-2xx GitHub reply means for a sync call.
Outcome failureFor(const GithubReply& reply, const std::string& what, std::int64_t nowMs) {
  const int status = reply.status;
  if ((status == 403 || status == 429) && (reply.rateLimitRemaining == "0" || !reply.retryAfter.empty() || status == 429)) {
    std::int64_t wait = 60;  // GitHub: without headers, wait at least a minute
    if (!reply.retryAfter.empty()) {
      wait = time::parseRetryAfterSeconds(reply.retryAfter, nowMs).value_or(60);
    } else if (auto reset = time::parseEpochSeconds(reply.rateLimitReset)) {
      wait = std::max<std::int64_t>(0, *reset - nowMs / 1000);
    }
    return Outcome::rateLimited("GitHub rate limit reached while " + what, wait);
  }
  if (status == 401) return Outcome::failure(SB_ERR_UNAUTHORIZED, "GitHub rejected the token (401 Bad credentials)");
  if (status == 404) {
    return Outcome::failure(SB_ERR_NOT_FOUND, "GitHub answered 404 while " + what +
                                                  ": the repository, branch or object does not exist or the token "
                                                  "cannot see it");
  }
  if (status == 409) return Outcome::failure(SB_ERR_CONFLICT, "GitHub answered 409 while " + what);
  return Outcome::failure(SB_ERR_UNAVAILABLE, std::string(kProvider) + " answered HTTP " + std::to_string(status));
}

std::string textOf(const Body& body) { return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

class GithubSession {
 public:
  GithubSession(const Host& host, const GithubClient& github, Link link)
      : host_(host), github_(github), link_(std::move(link)) {}

  // One request; a non-2xx reply is the failure it means (`failure` set).
  std::optional<std::string> send(const std::string& method, const std::string& url, const std::string& body,
                                  const std::string& what, Outcome& failure, EtagCache* etags = nullptr,
                                  int* statusOut = nullptr) {
    std::optional<GithubReply> reply = github_.send(method, url, body, etags, failure);
    if (!reply) return std::nullopt;
    if (statusOut != nullptr) *statusOut = reply->fromCache ? 304 : reply->status;
    if (reply->status < 200 || reply->status > 299) {
      failure = failureFor(*reply, what, host_.nowMs());
      return std::nullopt;
    }
    return std::move(reply->body);
  }

  // The reply as a JSON object; nullopt with `failure` set otherwise.
  std::optional<Json> sendJson(const std::string& method, const std::string& url, const std::string& body,
                               const std::string& what, Outcome& failure, EtagCache* etags = nullptr) {
    std::optional<std::string> text = send(method, url, body, what, failure, etags);
    if (!text) return std::nullopt;
    std::optional<Json> value = provider::parseJson(*text);
    if (!value) {
      const auto problem = json::validate(*text);
      failure = Outcome::failure(SB_ERR_UNAVAILABLE, std::string(kProvider) + " sent malformed JSON: " +
                                                         (problem ? problem->describe() : std::string("not JSON")));
      return std::nullopt;
    }
    if (!value->is_object()) {
      failure = Outcome::failure(SB_ERR_UNAVAILABLE, "GitHub answered " + what + " with no object");
      return std::nullopt;
    }
    return value;
  }

  const Link& link() const { return link_; }

  // The linked branch, or the repository's default one.
  std::optional<std::string> branch(Outcome& failure, EtagCache& etags) {
    if (!link_.branch.empty()) return link_.branch;
    std::optional<Json> repo = sendJson("GET", link_.repoUrl(), "", "reading the repository", failure, &etags);
    if (!repo) return std::nullopt;
    auto name = stringAt(*repo, "default_branch");
    if (!name) failure = Outcome::failure(SB_ERR_UNAVAILABLE, "GitHub's repository reply has no default_branch");
    return name;
  }

 private:
  const Host& host_;
  const GithubClient& github_;
  Link link_;
};

struct Head {
  std::string commit;
  std::string tree;
};

std::optional<Head> branchHead(GithubSession& github, const std::string& branch, Outcome& failure, EtagCache& etags) {
  std::optional<Json> reply = github.sendJson("GET", github.link().repoUrl() + "/branches/" + provider::urlEncode(branch),
                                              "", "reading branch " + branch, failure, &etags);
  if (!reply) return std::nullopt;
  const Json* commit = objectAt(*reply, "commit");
  const Json* details = commit != nullptr ? objectAt(*commit, "commit") : nullptr;
  const Json* tree = details != nullptr ? objectAt(*details, "tree") : nullptr;
  auto sha = commit != nullptr ? stringAt(*commit, "sha") : std::nullopt;
  auto treeSha = tree != nullptr ? stringAt(*tree, "sha") : std::nullopt;
  if (!sha || !treeSha) {
    failure = Outcome::failure(SB_ERR_UNAVAILABLE, "GitHub's branch reply has no commit.sha / commit.commit.tree.sha");
    return std::nullopt;
  }
  return Head{*sha, *treeSha};
}

std::string quote(const std::string& text) { return json::quote(text); }

// Appends {"path","hash","size"} for every blob below tree `sha`, walking
// subtrees one at a time when the recursive listing comes back truncated.
bool listBlobs(GithubSession& github, const std::string& sha, const std::string& prefix, bool recursive,
               std::string& entries, std::size_t& count, Outcome& failure) {
  const std::string url = github.link().repoUrl() + "/git/trees/" + sha + (recursive ? "?recursive=1" : "");
  std::optional<Json> reply = github.sendJson("GET", url, "", "listing the tree", failure);
  if (!reply) return false;
  const Json* tree = arrayAt(*reply, "tree");
  if (tree == nullptr) {
    failure = Outcome::failure(SB_ERR_UNAVAILABLE, "GitHub's tree reply has no tree[]");
    return false;
  }
  const bool truncated = provider::boolAt(*reply, "truncated").value_or(false);
  if (recursive && truncated) return listBlobs(github, sha, prefix, false, entries, count, failure);
  for (const Json& entry : *tree) {
    auto path = stringAt(entry, "path");
    auto type = stringAt(entry, "type");
    auto entrySha = stringAt(entry, "sha");
    if (!path || !type || !entrySha) continue;
    const std::string full = prefix.empty() ? *path : prefix + "/" + *path;
    if (*type == "tree") {
      // A recursive listing names subtrees too; only a non-recursive one needs walking into.
      if (!recursive && !listBlobs(github, *entrySha, full, true, entries, count, failure)) return false;
      continue;
    }
    if (*type != "blob") continue;  // submodules ("commit") are not files
    if (count++ > 0) entries += ",";
    entries += "{\"path\":" + quote(full) + ",\"hash\":" + quote(*entrySha) +
               ",\"size\":" + std::to_string(provider::int64At(entry, "size").value_or(0)) + "}";
  }
  return true;
}

}  // namespace

Outcome syncListTree(const Host& host, const Call& call, std::string_view requestJson, EtagCache& etags) {
  Outcome failure;
  std::optional<StatusRequest> request = parseRequest(requestJson, failure);
  if (!request) return failure;
  const GithubClient client(host, call, request->secret("token"));
  std::optional<Link> link = linkOf(*request, client, failure);
  if (!link) return failure;
  GithubSession github(host, client, *link);
  std::optional<std::string> branch = github.branch(failure, etags);
  if (!branch) return failure;
  std::optional<Head> head = branchHead(github, *branch, failure, etags);
  if (!head) return failure;
  if (stringAt(request->raw, "knownHead").value_or("") == head->commit) {
    return Outcome::ok("{\"head\":" + quote(head->commit) + ",\"unchanged\":true,\"entries\":[]}");
  }
  std::string entries;
  std::size_t count = 0;
  if (!listBlobs(github, head->tree, "", true, entries, count, failure)) return failure;
  return Outcome::ok("{\"head\":" + quote(head->commit) + ",\"unchanged\":false,\"entries\":[" + entries + "]}");
}

Outcome syncRead(const Host& host, const Call& call, std::string_view requestJson) {
  Outcome failure;
  std::optional<StatusRequest> request = parseRequest(requestJson, failure);
  if (!request) return failure;
  const GithubClient client(host, call, request->secret("token"));
  std::optional<Link> link = linkOf(*request, client, failure);
  if (!link) return failure;
  const std::string sha = stringAt(request->raw, "sha").value_or("");
  if (sha.size() != 40 || sha.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "read needs the blob \"sha\" (40 hex digits) the tree listed");
  }
  GithubSession github(host, client, *link);
  std::optional<Json> blob =
      github.sendJson("GET", link->repoUrl() + "/git/blobs/" + sha, "", "reading blob " + sha, failure);
  if (!blob) return failure;
  auto content = stringAt(*blob, "content");
  if (!content || stringAt(*blob, "encoding").value_or("") != "base64") {
    return Outcome::failure(SB_ERR_UNAVAILABLE, "GitHub's blob reply has no base64 content");
  }
  std::optional<std::string> bytes = encoding::base64Decode(*content);
  if (!bytes) return Outcome::failure(SB_ERR_UNAVAILABLE, "GitHub's blob content is not valid base64");
  return Outcome::ok(std::move(*bytes));
}

Outcome syncWrite(const Host& host, const Call& call, std::string_view requestJson) {
  Outcome failure;
  std::optional<StatusRequest> request = parseRequest(requestJson, failure);
  if (!request) return failure;
  const GithubClient client(host, call, request->secret("token"));
  std::optional<Link> link = linkOf(*request, client, failure);
  if (!link) return failure;
  const std::string expected = stringAt(request->raw, "expectedHead").value_or("");
  const Json* changes = arrayAt(request->raw, "changes");
  if (expected.empty() || changes == nullptr) {
    return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "write needs \"expectedHead\" and \"changes\"");
  }
  GithubSession github(host, client, *link);
  EtagCache none(1);
  std::optional<std::string> branch = github.branch(failure, none);
  if (!branch) return failure;

  // 1. The tree of the head we expect: the base of the new tree.
  std::optional<Json> headCommit =
      github.sendJson("GET", link->repoUrl() + "/git/commits/" + expected, "", "reading the head commit", failure);
  if (!headCommit) return failure;
  const Json* headTree = objectAt(*headCommit, "tree");
  auto baseTree = headTree != nullptr ? stringAt(*headTree, "sha") : std::nullopt;
  if (!baseTree) return Outcome::failure(SB_ERR_UNAVAILABLE, "GitHub's commit reply has no tree.sha");

  // 2. Tree entries: text inline, binary through a blob, deletions as sha: null.
  Body entries = Body::array();
  const std::size_t total = changes->size();
  for (std::size_t i = 0; i < total; ++i) {
    const Json& change = (*changes)[i];
    auto path = stringAt(change, "path");
    if (!path) return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "changes[" + std::to_string(i) + "].path is missing");
    call.progress(i + 1, total, "pushing " + std::to_string(i + 1) + "/" + std::to_string(total) + ": " + *path);
    Body entry = {{"path", *path}, {"mode", "100644"}, {"type", "blob"}};
    if (auto text = stringAt(change, "content")) {
      entry["content"] = *text;
    } else if (auto binary = stringAt(change, "contentBase64")) {
      const Body blob = {{"content", *binary}, {"encoding", "base64"}};
      std::optional<Json> created =
          github.sendJson("POST", link->repoUrl() + "/git/blobs", textOf(blob), "creating a blob", failure);
      if (!created) return failure;
      auto sha = stringAt(*created, "sha");
      if (!sha) return Outcome::failure(SB_ERR_UNAVAILABLE, "GitHub's blob reply has no sha");
      entry["sha"] = *sha;
    } else {
      entry["sha"] = nullptr;  // delete the path
    }
    entries.push_back(std::move(entry));
  }
  const Body treeBody = {{"base_tree", *baseTree}, {"tree", std::move(entries)}};
  std::optional<Json> tree =
      github.sendJson("POST", link->repoUrl() + "/git/trees", textOf(treeBody), "creating the tree", failure);
  if (!tree) return failure;
  auto treeSha = stringAt(*tree, "sha");
  if (!treeSha) return Outcome::failure(SB_ERR_UNAVAILABLE, "GitHub's tree reply has no sha");

  // 3. One commit on top of the expected head.
  const Body commitBody = {{"message", stringAt(request->raw, "message").value_or("Sync from Switchboard")},
                           {"parents", Body::array({expected})},
                           {"tree", *treeSha}};
  std::optional<Json> commit =
      github.sendJson("POST", link->repoUrl() + "/git/commits", textOf(commitBody), "creating the commit", failure);
  if (!commit) return failure;
  auto commitSha = stringAt(*commit, "sha");
  if (!commitSha) return Outcome::failure(SB_ERR_UNAVAILABLE, "GitHub's commit reply has no sha");

  // 4. Move the branch only if it is still where we started (fast forward).
  const Body refBody = {{"force", false}, {"sha", *commitSha}};
  int status = 0;
  std::optional<std::string> moved = github.send("PATCH", link->repoUrl() + "/git/refs/heads/" + *branch,
                                                 textOf(refBody), "updating the branch", failure, nullptr, &status);
  if (!moved) {
    if (status == 422) {
      return Outcome::failure(SB_ERR_CONFLICT, "the branch " + *branch + " moved since " + expected +
                                                   " (GitHub: not a fast forward); nothing was changed");
    }
    return failure;
  }
  return Outcome::ok("{\"head\":" + quote(*commitSha) + "}");
}

}  // namespace switchboard::github
