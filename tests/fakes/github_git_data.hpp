// The Git Data part of the fake GitHub REST API: an in-memory object store
// (blobs, trees, commits, branch refs) per repository, answering the
// documented endpoints the sync source uses, and a seeding interface for
// tests and the bench. Object ids are real git ids: a blob is SHA-1 over
// "blob <len>\0<bytes>", a tree over git's tree encoding, so a client's own
// blob SHA of a file equals the one the fake lists.
//   GET   /repos/{o}/{r}/git/trees/{tree_sha}[?recursive=1]
//         https://docs.github.com/en/rest/git/trees#get-a-tree
//         (recursive listings above truncateAbove entries answer
//         `truncated: true` with the first ones; GitHub's limit is 100,000
//         entries or 7 MB; any value of `recursive` enables recursion)
//   POST  /repos/{o}/{r}/git/trees   {base_tree?, tree:[{path,mode,type,sha|null|content}]}
//         https://docs.github.com/en/rest/git/trees#create-a-tree (sha: null deletes)
//   GET   /repos/{o}/{r}/git/blobs/{sha}   content base64, 60-column lines
//   POST  /repos/{o}/{r}/git/blobs  {content, encoding: utf-8|base64}
//         https://docs.github.com/en/rest/git/blobs
//   GET   /repos/{o}/{r}/git/commits/{sha}, POST /repos/{o}/{r}/git/commits {message, tree, parents}
//         https://docs.github.com/en/rest/git/commits
//   GET   /repos/{o}/{r}/git/ref/heads/{branch}, PATCH /repos/{o}/{r}/git/refs/heads/{branch} {sha, force}
//         https://docs.github.com/en/rest/git/refs (422 "Update is not a fast forward"
//         when force is false and the new commit does not descend from the head)
//   GET   /repos/{o}/{r}/commits?sha=<branch>&per_page=<n>&page=<p>   (Link header)
//         https://docs.github.com/en/rest/commits/commits#list-commits
//   GET   /repos/{o}/{r}/branches?per_page=<n>&page=<p>
//         https://docs.github.com/en/rest/branches/branches#list-branches
//   GET   /user/repos?per_page=<n>&page=<p>
//         https://docs.github.com/en/rest/repos/repos#list-repositories-for-the-authenticated-user
// Lists are paged as GitHub pages them (per_page default 30, at most 100):
// a Link header with absolute rel="next"/"last" (and "first"/"prev" past
// page 1) URLs that keep the other query parameters
// (https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api).
// Thread-safety: every method locks; the fake's worker threads and the test
// thread may call them at once.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace sb::fakes {

struct FakeRequest;
struct FakeResponse;
class FakeProvider;

class GitDataStore {
 public:
  // Each repository starts with branches main and develop at one commit
  // with an empty tree.
  explicit GitDataStore(std::vector<std::string> repositories);

  // Commits `changes` (path -> bytes, nullopt deletes) on top of `branch`
  // and moves the branch; returns the new head. What a push by someone
  // else looks like.
  std::string commit(const std::string& repository, const std::string& branch,
                     const std::map<std::string, std::optional<std::string>>& changes,
                     const std::string& message = "seeded by the test");
  std::string head(const std::string& repository, const std::string& branch) const;
  std::string treeOf(const std::string& commit) const;  // the commit's root tree
  // The files at the head of `branch`: path -> bytes.
  std::map<std::string, std::string> files(const std::string& repository, const std::string& branch) const;
  // Recursive tree listings longer than this are truncated (default 100,000).
  void setTruncateAbove(std::size_t entries);
  // Runs once, just before the next ref update is applied (outside the lock):
  // a test moves the head there to play a concurrent push.
  void beforeNextRefUpdate(std::function<void()> hook);

  // Handles `segments` (the path below /repos/{o}/{r}, e.g. {"git","trees","abc"}).
  // False when this is not a Git Data path (the caller answers it).
  bool handle(const std::string& repository, const std::vector<std::string>& segments, const FakeRequest& request,
              FakeResponse& response);
  // GET /user/repos: the store's repositories that `visible` lets the token
  // see, then `extra` generated public ones (acme/archive-001, ...), paged.
  void listRepositories(const FakeRequest& request, FakeResponse& response,
                        const std::function<bool(const std::string&)>& visible, std::size_t extra) const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

// Answers `items` (JSON values) as one page of a GitHub list: per_page and
// page from the query (422 when they are not numbers), the Link header.
void answerGithubPage(const FakeRequest& request, FakeResponse& response, const std::vector<std::string>& items);

// The Git Data store of the GitHub fake (makeGithubFake()); throws
// std::invalid_argument for any other provider.
GitDataStore& githubGitData(FakeProvider& fake);

}  // namespace sb::fakes
