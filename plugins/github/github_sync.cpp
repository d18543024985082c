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
// x-ratelimit-reset; retry-after for secondary limits.
#include "github_sync.hpp"

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "json_fields.hpp"
#include "status_support.hpp"

namespace switchboard::github {
namespace {

using bundled::asObject;
using bundled::objectAt;
using bundled::stringAt;

constexpr const char* kProvider = "GitHub";
constexpr const char* kDefaultApiRoot = "https://api.github.com";

struct Link {
  std::string apiRoot;
  std::string repository;  // owner/name
  std::string branch;      // empty = the default branch
  std::string token;
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

std::optional<Link> linkOf(const Poco::JSON::Object::Ptr& root, Outcome& failure) {
  const bundled::StatusRequest request = bundled::statusRequestFrom(root);
  Link link{request.apiRoot(kDefaultApiRoot), request.setting("repository"), request.setting("branch"),
            request.secret("token")};
  while (!link.apiRoot.empty() && link.apiRoot.back() == '/') link.apiRoot.pop_back();
  if (!validRepository(link.repository)) {
    failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "settings.repository must be \"owner/name\"");
    return std::nullopt;
  }
  if (link.token.empty()) {
    failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "secrets.token is required");
    return std::nullopt;
  }
  return link;
}

Poco::JSON::Object::Ptr parseRequest(std::string_view json, Outcome& failure) {
  bool ok = false;
  Poco::Dynamic::Var parsed = bundled::parseJsonBody("the host", json, failure, ok);
  Poco::JSON::Object::Ptr root = ok ? asObject(parsed) : nullptr;
  if (root.isNull()) failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "the request must be a JSON object");
  return root;
}

struct Reply {
  int status = 0;
  std::string body;
};

// What a non-2xx GitHub reply means for a sync call.
Outcome failureFor(const HttpResponse& response, const std::string& what) {
  const int status = response.status();
  const std::string remaining(response.header("x-ratelimit-remaining"));
  const std::string retryAfter(response.header("retry-after"));
  if ((status == 403 || status == 429) && (remaining == "0" || !retryAfter.empty() || status == 429)) {
    std::int64_t wait = 60;  // GitHub: without headers, wait at least a minute
    if (!retryAfter.empty()) {
      wait = bundled::parseRetryAfterSeconds(retryAfter, static_cast<std::int64_t>(std::time(nullptr)) * 1000).value_or(60);
    } else if (auto reset = bundled::parseEpochSeconds(std::string(response.header("x-ratelimit-reset")))) {
      wait = std::max<std::int64_t>(0, *reset - std::time(nullptr));
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
  return bundled::unexpectedStatus(kProvider, status);
}

class GithubSession {
 public:
  GithubSession(const Host& host, const Call& call, Link link) : host_(host), call_(call), link_(std::move(link)) {}

  // One request; a non-2xx reply is the failure it means (`failure` set).
  std::optional<std::string> send(const std::string& method, const std::string& url, const std::string& body,
                                  const std::string& what, Outcome& failure, EtagCache* etags = nullptr,
                                  int* statusOut = nullptr) {
    HttpRequest request;
    request.method = method;
    request.url = url;
    request.body = body;
    request.headers = {{"Accept", "application/vnd.github+json"},
                       {"X-GitHub-Api-Version", "2022-11-28"},
                       {"Authorization", "Bearer " + link_.token},
                       {"User-Agent", "switchboard"}};
    if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
    std::optional<CachedReply> cached;
    if (etags != nullptr) cached = etags->find(url, link_.token);
    if (cached) request.headers.emplace_back("If-None-Match", cached->etag);
    HttpResult result = host_.send(request, call_);
    if (!result.ok()) {
      failure = bundled::transportFailure(kProvider, result);
      return std::nullopt;
    }
    const int status = result.response.status();
    if (statusOut != nullptr) *statusOut = status;
    if (status == 304 && cached) return cached->body;
    if (status < 200 || status > 299) {
      failure = failureFor(result.response, what);
      return std::nullopt;
    }
    std::string text(result.response.body());
    const std::string etag(result.response.header("etag"));
    if (etags != nullptr && !etag.empty()) etags->store(url, link_.token, CachedReply{etag, text});
    return text;
  }

  Poco::JSON::Object::Ptr sendJson(const std::string& method, const std::string& url, const std::string& body,
                                   const std::string& what, Outcome& failure, EtagCache* etags = nullptr,
                                   int* statusOut = nullptr) {
    std::optional<std::string> text = send(method, url, body, what, failure, etags, statusOut);
    if (!text) return nullptr;
    bool ok = false;
    Poco::JSON::Object::Ptr object = asObject(bundled::parseJsonBody(kProvider, *text, failure, ok));
    if (ok && object.isNull()) failure = Outcome::failure(SB_ERR_UNAVAILABLE, "GitHub answered " + what + " with no object");
    return ok ? object : nullptr;
  }

  const Link& link() const { return link_; }

  // The linked branch, or the repository's default one.
  std::optional<std::string> branch(Outcome& failure, EtagCache& etags) {
    if (!link_.branch.empty()) return link_.branch;
    Poco::JSON::Object::Ptr repo = sendJson("GET", link_.repoUrl(), "", "reading the repository", failure, &etags);
    if (repo.isNull()) return std::nullopt;
    auto name = stringAt(repo, "default_branch");
    if (!name) failure = Outcome::failure(SB_ERR_UNAVAILABLE, "GitHub's repository reply has no default_branch");
    return name;
  }

 private:
  const Host& host_;
  const Call& call_;
  Link link_;
};

struct Head {
  std::string commit;
  std::string tree;
};

std::optional<Head> branchHead(GithubSession& github, const std::string& branch, Outcome& failure, EtagCache& etags) {
  Poco::JSON::Object::Ptr reply = github.sendJson("GET", github.link().repoUrl() + "/branches/" + bundled::urlEncode(branch), "",
                                                  "reading branch " + branch, failure, &etags);
  if (reply.isNull()) return std::nullopt;
  Poco::JSON::Object::Ptr commit = objectAt(reply, "commit");
  auto sha = stringAt(commit, "sha");
  auto tree = stringAt(objectAt(objectAt(commit, "commit"), "tree"), "sha");
  if (!sha || !tree) {
    failure = Outcome::failure(SB_ERR_UNAVAILABLE, "GitHub's branch reply has no commit.sha / commit.commit.tree.sha");
    return std::nullopt;
  }
  return Head{*sha, *tree};
}

std::string quote(const std::string& text) { return json::quote(text); }

// Appends {"path","hash","size"} for every blob below tree `sha`, walking
// subtrees one at a time when the recursive listing comes back truncated.
bool listBlobs(GithubSession& github, const std::string& sha, const std::string& prefix, bool recursive,
               std::string& entries, std::size_t& count, Outcome& failure) {
  const std::string url = github.link().repoUrl() + "/git/trees/" + sha + (recursive ? "?recursive=1" : "");
  Poco::JSON::Object::Ptr reply = github.sendJson("GET", url, "", "listing the tree", failure);
  if (reply.isNull()) return false;
  Poco::JSON::Array::Ptr tree = reply->getArray("tree");
  if (tree.isNull()) {
    failure = Outcome::failure(SB_ERR_UNAVAILABLE, "GitHub's tree reply has no tree[]");
    return false;
  }
  const bool truncated = bundled::boolAt(reply, "truncated").value_or(false);
  if (recursive && truncated) return listBlobs(github, sha, prefix, false, entries, count, failure);
  for (std::size_t i = 0; i < tree->size(); ++i) {
    Poco::JSON::Object::Ptr entry = tree->getObject(static_cast<unsigned>(i));
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
               ",\"size\":" + std::to_string(bundled::int64At(entry, "size").value_or(0)) + "}";
  }
  return true;
}

std::optional<std::string> bytesOf(const std::string& base64) {
  try {
    std::string compact;
    for (char c : base64) {
      if (c != '\n' && c != '\r') compact.push_back(c);
    }
    std::istringstream in(compact);
    Poco::Base64Decoder decoder(in);
    std::string out((std::istreambuf_iterator<char>(decoder)), std::istreambuf_iterator<char>());
    return out;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

Outcome syncListTree(const Host& host, const Call& call, std::string_view requestJson, EtagCache& etags) {
  Outcome failure;
  Poco::JSON::Object::Ptr root = parseRequest(requestJson, failure);
  if (root.isNull()) return failure;
  std::optional<Link> link = linkOf(root, failure);
  if (!link) return failure;
  GithubSession github(host, call, *link);
  std::optional<std::string> branch = github.branch(failure, etags);
  if (!branch) return failure;
  std::optional<Head> head = branchHead(github, *branch, failure, etags);
  if (!head) return failure;
  if (stringAt(root, "knownHead").value_or("") == head->commit) {
    return Outcome::ok("{\"head\":" + quote(head->commit) + ",\"unchanged\":true,\"entries\":[]}");
  }
  std::string entries;
  std::size_t count = 0;
  if (!listBlobs(github, head->tree, "", true, entries, count, failure)) return failure;
  return Outcome::ok("{\"head\":" + quote(head->commit) + ",\"unchanged\":false,\"entries\":[" + entries + "]}");
}

Outcome syncRead(const Host& host, const Call& call, std::string_view requestJson) {
  Outcome failure;
  Poco::JSON::Object::Ptr root = parseRequest(requestJson, failure);
  if (root.isNull()) return failure;
  std::optional<Link> link = linkOf(root, failure);
  if (!link) return failure;
  const std::string sha = stringAt(root, "sha").value_or("");
  if (sha.size() != 40 || sha.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "read needs the blob \"sha\" (40 hex digits) the tree listed");
  }
  GithubSession github(host, call, *link);
  Poco::JSON::Object::Ptr blob = github.sendJson("GET", link->repoUrl() + "/git/blobs/" + sha, "",
                                                 "reading blob " + sha, failure);
  if (blob.isNull()) return failure;
  auto content = stringAt(blob, "content");
  if (!content || stringAt(blob, "encoding").value_or("") != "base64") {
    return Outcome::failure(SB_ERR_UNAVAILABLE, "GitHub's blob reply has no base64 content");
  }
  std::optional<std::string> bytes = bytesOf(*content);
  if (!bytes) return Outcome::failure(SB_ERR_UNAVAILABLE, "GitHub's blob content is not valid base64");
  return Outcome::ok(std::move(*bytes));
}

Outcome syncWrite(const Host& host, const Call& call, std::string_view requestJson) {
  Outcome failure;
  Poco::JSON::Object::Ptr root = parseRequest(requestJson, failure);
  if (root.isNull()) return failure;
  std::optional<Link> link = linkOf(root, failure);
  if (!link) return failure;
  const std::string expected = stringAt(root, "expectedHead").value_or("");
  Poco::JSON::Array::Ptr changes = root->getArray("changes");
  if (expected.empty() || changes.isNull()) {
    return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "write needs \"expectedHead\" and \"changes\"");
  }
  GithubSession github(host, call, *link);
  EtagCache none(1);
  std::optional<std::string> branch = github.branch(failure, none);
  if (!branch) return failure;

  // 1. The tree of the head we expect: the base of the new tree.
  Poco::JSON::Object::Ptr headCommit =
      github.sendJson("GET", link->repoUrl() + "/git/commits/" + expected, "", "reading the head commit", failure);
  if (headCommit.isNull()) return failure;
  auto baseTree = stringAt(objectAt(headCommit, "tree"), "sha");
  if (!baseTree) return Outcome::failure(SB_ERR_UNAVAILABLE, "GitHub's commit reply has no tree.sha");

  // 2. Tree entries: text inline, binary through a blob, deletions as sha: null.
  Poco::JSON::Array::Ptr entries = new Poco::JSON::Array;
  const std::size_t total = changes->size();
  for (std::size_t i = 0; i < total; ++i) {
    Poco::JSON::Object::Ptr change = changes->getObject(static_cast<unsigned>(i));
    auto path = stringAt(change, "path");
    if (!path) return Outcome::failure(SB_ERR_INVALID_ARGUMENT, "changes[" + std::to_string(i) + "].path is missing");
    call.progress(i + 1, total, "pushing " + std::to_string(i + 1) + "/" + std::to_string(total) + ": " + *path);
    Poco::JSON::Object::Ptr entry = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    entry->set("path", *path);
    entry->set("mode", "100644");
    entry->set("type", "blob");
    if (auto text = stringAt(change, "content")) {
      entry->set("content", *text);
    } else if (auto binary = stringAt(change, "contentBase64")) {
      Poco::JSON::Object blob;
      blob.set("content", *binary);
      blob.set("encoding", "base64");
      std::ostringstream body;
      blob.stringify(body);
      Poco::JSON::Object::Ptr created =
          github.sendJson("POST", link->repoUrl() + "/git/blobs", body.str(), "creating a blob", failure);
      if (created.isNull()) return failure;
      auto sha = stringAt(created, "sha");
      if (!sha) return Outcome::failure(SB_ERR_UNAVAILABLE, "GitHub's blob reply has no sha");
      entry->set("sha", *sha);
    } else {
      entry->set("sha", Poco::Dynamic::Var());  // null: delete the path
    }
    entries->add(entry);
  }
  Poco::JSON::Object treeBody;
  treeBody.set("base_tree", *baseTree);
  treeBody.set("tree", entries);
  std::ostringstream treeText;
  treeBody.stringify(treeText);
  Poco::JSON::Object::Ptr tree =
      github.sendJson("POST", link->repoUrl() + "/git/trees", treeText.str(), "creating the tree", failure);
  if (tree.isNull()) return failure;
  auto treeSha = stringAt(tree, "sha");
  if (!treeSha) return Outcome::failure(SB_ERR_UNAVAILABLE, "GitHub's tree reply has no sha");

  // 3. One commit on top of the expected head.
  Poco::JSON::Object commitBody;
  commitBody.set("message", stringAt(root, "message").value_or("Sync from Switchboard"));
  commitBody.set("tree", *treeSha);
  Poco::JSON::Array::Ptr parents = new Poco::JSON::Array;
  parents->add(expected);
  commitBody.set("parents", parents);
  std::ostringstream commitText;
  commitBody.stringify(commitText);
  Poco::JSON::Object::Ptr commit =
      github.sendJson("POST", link->repoUrl() + "/git/commits", commitText.str(), "creating the commit", failure);
  if (commit.isNull()) return failure;
  auto commitSha = stringAt(commit, "sha");
  if (!commitSha) return Outcome::failure(SB_ERR_UNAVAILABLE, "GitHub's commit reply has no sha");

  // 4. Move the branch only if it is still where we started (fast forward).
  Poco::JSON::Object refBody;
  refBody.set("sha", *commitSha);
  refBody.set("force", false);
  std::ostringstream refText;
  refBody.stringify(refText);
  int status = 0;
  std::optional<std::string> moved = github.send("PATCH", link->repoUrl() + "/git/refs/heads/" + *branch,
                                                 refText.str(), "updating the branch", failure, nullptr, &status);
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
