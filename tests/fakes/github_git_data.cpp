// See github_git_data.hpp for the endpoints and the docs they follow.
#include "github_git_data.hpp"

#include <algorithm>
#include <cstdint>
#include <set>
#include <sstream>
#include <stdexcept>

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/DigestEngine.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA1Engine.h>

#include "fake_server.hpp"
#include "switchboard/json.hpp"

namespace sb::fakes {

namespace {

constexpr const char* kDocs = "https://docs.github.com/rest/git";

struct TreeEntry {
  std::string name;
  std::string mode;  // 100644, 100755, 040000, 120000, 160000
  std::string type;  // blob | tree | commit
  std::string sha;
};

struct Commit {
  std::string tree;
  std::vector<std::string> parents;
  std::string message;
  std::int64_t sequence = 0;
};

struct Repository {
  std::map<std::string, std::string> branches;  // name -> commit sha
};

std::string hexSha1(const std::string& bytes) {
  Poco::SHA1Engine engine;
  engine.update(bytes.data(), bytes.size());
  return Poco::DigestEngine::digestToHex(engine.digest());
}

std::string objectId(const std::string& kind, const std::string& body) {
  std::string object = kind + " " + std::to_string(body.size());
  object.push_back('\0');
  object += body;
  return hexSha1(object);
}

std::string rawSha(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

std::string jsonEscape(const std::string& text) { return switchboard::json::quote(text); }

std::string errorBody(const std::string& message) {
  return "{\"message\":" + jsonEscape(message) + ",\"documentation_url\":\"" + kDocs + "\"}";
}

std::string base64(const std::string& bytes) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(60);  // GitHub's blob content comes in 60-column lines
  encoder << bytes;
  encoder.close();
  std::string text = out.str();
  // Poco ends lines with "\r\n"; GitHub uses "\n".
  text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
  return text + "\n";
}

std::optional<std::string> unbase64(const std::string& text) {
  try {
    std::istringstream in(text);
    Poco::Base64Decoder decoder(in);
    std::string out((std::istreambuf_iterator<char>(decoder)), std::istreambuf_iterator<char>());
    if (decoder.bad()) return std::nullopt;
    return out;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

Poco::JSON::Object::Ptr parseObject(const std::string& body) {
  try {
    Poco::JSON::Parser parser;
    return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace

struct GitDataStore::Impl {
  mutable std::mutex mutex;
  std::map<std::string, std::string> blobs;             // sha -> bytes
  std::map<std::string, std::vector<TreeEntry>> trees;  // sha -> entries (sorted)
  std::map<std::string, Commit> commits;                // sha -> commit
  std::map<std::string, Repository> repositories;       // "owner/name"
  std::size_t truncateAbove = 100000;
  std::int64_t sequence = 0;
  std::function<void()> beforeRefUpdate;

  std::string putBlob(const std::string& bytes) {
    const std::string sha = objectId("blob", bytes);
    blobs.emplace(sha, bytes);
    return sha;
  }

  std::string putTree(std::vector<TreeEntry> entries) {
    // git orders entries by name, a tree's name compared as if it ended in '/'.
    std::sort(entries.begin(), entries.end(), [](const TreeEntry& a, const TreeEntry& b) {
      return (a.type == "tree" ? a.name + "/" : a.name) < (b.type == "tree" ? b.name + "/" : b.name);
    });
    std::string body;
    for (const TreeEntry& entry : entries) {
      body += (entry.mode == "040000" ? std::string("40000") : entry.mode) + " " + entry.name;
      body.push_back('\0');
      body += rawSha(entry.sha);
    }
    const std::string sha = objectId("tree", body);
    trees.emplace(sha, std::move(entries));
    return sha;
  }

  std::string putCommit(const std::string& tree, std::vector<std::string> parents, const std::string& message) {
    std::string body = "tree " + tree + "\n";
    for (const auto& parent : parents) body += "parent " + parent + "\n";
    const std::int64_t at = ++sequence;
    body += "author Fake <fake@example.com> " + std::to_string(1700000000 + at) + " +0000\n";
    body += "committer Fake <fake@example.com> " + std::to_string(1700000000 + at) + " +0000\n\n" + message;
    const std::string sha = objectId("commit", body);
    commits[sha] = Commit{tree, std::move(parents), message, at};
    return sha;
  }

  // path -> (mode, blob sha) of every file below tree `sha`.
  void flatten(const std::string& sha, const std::string& prefix,
               std::map<std::string, std::pair<std::string, std::string>>& out) const {
    auto it = trees.find(sha);
    if (it == trees.end()) return;
    for (const TreeEntry& entry : it->second) {
      const std::string path = prefix.empty() ? entry.name : prefix + "/" + entry.name;
      if (entry.type == "tree") {
        flatten(entry.sha, path, out);
      } else {
        out[path] = {entry.mode, entry.sha};
      }
    }
  }

  // Builds the nested trees for a flat path -> (mode, sha) map; returns the root.
  std::string build(const std::map<std::string, std::pair<std::string, std::string>>& files) {
    std::map<std::string, std::map<std::string, std::pair<std::string, std::string>>> children;
    std::vector<TreeEntry> entries;
    for (const auto& [path, entry] : files) {
      const auto slash = path.find('/');
      if (slash == std::string::npos) {
        entries.push_back({path, entry.first, entry.first == "160000" ? "commit" : "blob", entry.second});
      } else {
        children[path.substr(0, slash)][path.substr(slash + 1)] = entry;
      }
    }
    for (const auto& [name, below] : children) entries.push_back({name, "040000", "tree", build(below)});
    return putTree(std::move(entries));
  }

  // A tree sha, a commit sha (its tree) or a branch name (its head's tree).
  std::optional<std::string> resolveTree(const Repository& repo, const std::string& ref) const {
    if (trees.count(ref) != 0) return ref;
    if (auto commit = commits.find(ref); commit != commits.end()) return commit->second.tree;
    if (auto branch = repo.branches.find(ref); branch != repo.branches.end()) {
      return commits.at(branch->second).tree;
    }
    return std::nullopt;
  }

  bool descendsFrom(const std::string& commit, const std::string& ancestor) const {
    std::vector<std::string> pending = {commit};
    std::set<std::string> seen;
    while (!pending.empty()) {
      const std::string sha = pending.back();
      pending.pop_back();
      if (sha == ancestor) return true;
      if (!seen.insert(sha).second) continue;
      auto it = commits.find(sha);
      if (it != commits.end()) pending.insert(pending.end(), it->second.parents.begin(), it->second.parents.end());
    }
    return false;
  }

  std::string commitJson(const std::string& sha) const {
    const Commit& commit = commits.at(sha);
    const std::string date = "2023-11-14T22:13:" + std::to_string(10 + commit.sequence % 50) + "Z";
    std::string parents;
    for (const auto& parent : commit.parents) {
      parents += (parents.empty() ? "" : ",") + std::string("{\"sha\":\"") + parent + "\"}";
    }
    const std::string person = "{\"name\":\"Fake\",\"email\":\"fake@example.com\",\"date\":\"" + date + "\"}";
    return "{\"sha\":\"" + sha + "\",\"tree\":{\"sha\":\"" + commit.tree + "\"},\"message\":" +
           jsonEscape(commit.message) + ",\"author\":" + person + ",\"committer\":" + person + ",\"parents\":[" +
           parents + "]}";
  }
};

GitDataStore::GitDataStore(std::vector<std::string> repositories) : impl_(std::make_shared<Impl>()) {
  const std::string empty = impl_->putTree({});
  for (const auto& name : repositories) {
    const std::string root = impl_->putCommit(empty, {}, "Initial commit of " + name);
    impl_->repositories[name].branches = {{"main", root}, {"develop", root}};
  }
}

std::string GitDataStore::commit(const std::string& repository, const std::string& branch,
                                 const std::map<std::string, std::optional<std::string>>& changes,
                                 const std::string& message) {
  std::lock_guard lock(impl_->mutex);
  Repository& repo = impl_->repositories.at(repository);
  const std::string head = repo.branches.at(branch);
  std::map<std::string, std::pair<std::string, std::string>> files;
  impl_->flatten(impl_->commits.at(head).tree, "", files);
  for (const auto& [path, bytes] : changes) {
    if (bytes) {
      files[path] = {"100644", impl_->putBlob(*bytes)};
    } else {
      files.erase(path);
    }
  }
  const std::string next = impl_->putCommit(impl_->build(files), {head}, message);
  repo.branches[branch] = next;
  return next;
}

std::string GitDataStore::head(const std::string& repository, const std::string& branch) const {
  std::lock_guard lock(impl_->mutex);
  return impl_->repositories.at(repository).branches.at(branch);
}

std::string GitDataStore::treeOf(const std::string& commit) const {
  std::lock_guard lock(impl_->mutex);
  return impl_->commits.at(commit).tree;
}

std::map<std::string, std::string> GitDataStore::files(const std::string& repository, const std::string& branch) const {
  std::lock_guard lock(impl_->mutex);
  std::map<std::string, std::pair<std::string, std::string>> flat;
  impl_->flatten(impl_->commits.at(impl_->repositories.at(repository).branches.at(branch)).tree, "", flat);
  std::map<std::string, std::string> out;
  for (const auto& [path, entry] : flat) out[path] = impl_->blobs.at(entry.second);
  return out;
}

void GitDataStore::setTruncateAbove(std::size_t entries) {
  std::lock_guard lock(impl_->mutex);
  impl_->truncateAbove = entries;
}

void GitDataStore::beforeNextRefUpdate(std::function<void()> hook) {
  std::lock_guard lock(impl_->mutex);
  impl_->beforeRefUpdate = std::move(hook);
}

void answerGithubPage(const FakeRequest& request, FakeResponse& response, const std::vector<std::string>& items) {
  auto query = [&](const std::string& name, const std::string& fallback) {
    auto it = request.query.find(name);
    return it == request.query.end() ? fallback : it->second;
  };
  int perPage = 30;
  int page = 1;
  try {
    perPage = std::clamp(std::stoi(query("per_page", "30")), 1, 100);
    page = std::max(1, std::stoi(query("page", "1")));
  } catch (const std::exception&) {
    response.json(422, errorBody("Invalid request: per_page and page must be numbers"));
    return;
  }
  const int last = std::max(1, static_cast<int>((items.size() + static_cast<std::size_t>(perPage) - 1) /
                                                static_cast<std::size_t>(perPage)));
  std::string body = "[";
  for (std::size_t i = static_cast<std::size_t>(page - 1) * static_cast<std::size_t>(perPage);
       i < items.size() && i < static_cast<std::size_t>(page) * static_cast<std::size_t>(perPage); ++i) {
    if (body.size() > 1) body += ",";
    body += items[i];
  }
  // GitHub's links are absolute and keep the other parameters (sort, sha, ...).
  std::string others;
  for (const auto& [name, value] : request.query) {
    if (name != "page" && name != "per_page") others += "&" + name + "=" + value;
  }
  auto link = [&](int target, const char* rel) {
    return "<http://" + request.header("host") + request.path + "?per_page=" + std::to_string(perPage) + others +
           "&page=" + std::to_string(target) + ">; rel=\"" + rel + "\"";
  };
  std::vector<std::string> links;
  if (page > 1) links.push_back(link(page - 1, "prev"));
  if (page < last) links.push_back(link(page + 1, "next"));
  if (page < last) links.push_back(link(last, "last"));
  if (page > 1) links.push_back(link(1, "first"));
  std::string header;
  for (const std::string& one : links) header += (header.empty() ? "" : ", ") + one;
  if (!header.empty()) response.headers.emplace_back("Link", header);
  response.json(200, body + "]");
}

void GitDataStore::listRepositories(const FakeRequest& request, FakeResponse& response,
                                    const std::function<bool(const std::string&)>& visible, std::size_t extra) const {
  std::vector<std::string> items;
  auto item = [](const std::string& name, bool isPrivate) {
    return "{\"full_name\":" + jsonEscape(name) + ",\"name\":" + jsonEscape(name.substr(name.find('/') + 1)) +
           ",\"private\":" + (isPrivate ? "true" : "false") + ",\"default_branch\":\"main\"}";
  };
  {
    std::lock_guard lock(impl_->mutex);
    for (const auto& [name, repo] : impl_->repositories) {
      if (visible(name)) items.push_back(item(name, name == "acme/web"));
    }
  }
  for (std::size_t i = 1; i <= extra; ++i) {
    std::string number = std::to_string(i);
    items.push_back(item("acme/archive-" + std::string(3 - std::min<std::size_t>(3, number.size()), '0') + number, false));
  }
  answerGithubPage(request, response, items);
}

bool GitDataStore::handle(const std::string& repository, const std::vector<std::string>& segments,
                          const FakeRequest& request, FakeResponse& response) {
  Impl& d = *impl_;
  const std::string& method = request.method;
  const bool git = !segments.empty() && segments[0] == "git";
  const bool listCommits = segments.size() == 1 && segments[0] == "commits" && method == "GET";
  const bool listBranches = segments.size() == 1 && segments[0] == "branches" && method == "GET";
  if (!git && !listCommits && !listBranches) return false;

  if (method == "PATCH" && segments.size() == 4 && segments[1] == "refs" && segments[2] == "heads") {
    std::function<void()> hook;
    {
      std::lock_guard lock(d.mutex);
      hook = std::move(d.beforeRefUpdate);
      d.beforeRefUpdate = nullptr;
    }
    if (hook) hook();
  }

  std::lock_guard lock(d.mutex);
  Repository& repo = d.repositories.at(repository);
  auto fail = [&](int status, const std::string& message) {
    response.json(status, errorBody(message));
    return true;
  };

  if (listBranches) {
    std::vector<std::string> items;
    for (const auto& [name, sha] : repo.branches) {
      items.push_back("{\"name\":" + jsonEscape(name) + ",\"commit\":{\"sha\":\"" + sha + "\",\"url\":\"\"}," +
                      "\"protected\":" + (name == "main" ? "true" : "false") + "}");
    }
    answerGithubPage(request, response, items);
    return true;
  }

  if (listCommits) {
    auto query = [&](const std::string& name, const std::string& fallback) {
      auto it = request.query.find(name);
      return it == request.query.end() ? fallback : it->second;
    };
    const std::string ref = query("sha", "main");
    std::string sha;
    if (auto branch = repo.branches.find(ref); branch != repo.branches.end()) sha = branch->second;
    if (d.commits.count(ref) != 0) sha = ref;
    if (sha.empty()) return fail(404, "No commit found for SHA: " + ref);
    std::vector<std::string> items;
    for (std::string at = sha; !at.empty();) {
      items.push_back("{\"sha\":\"" + at + "\",\"commit\":" + d.commitJson(at) + "}");
      const Commit& commit = d.commits.at(at);
      at = commit.parents.empty() ? std::string() : commit.parents.front();
    }
    answerGithubPage(request, response, items);
    return true;
  }

  const std::string kind = segments.size() > 1 ? segments[1] : std::string();
  if (method == "GET" && kind == "trees" && segments.size() == 3) {
    const std::optional<std::string> root = d.resolveTree(repo, segments[2]);
    if (!root) return fail(404, "Not Found");
    const bool recursive = request.query.count("recursive") != 0;  // any value enables recursion
    std::string entries;
    std::size_t count = 0;
    bool truncated = false;
    std::function<void(const std::string&, const std::string&)> walk = [&](const std::string& sha,
                                                                           const std::string& prefix) {
      for (const TreeEntry& entry : d.trees.at(sha)) {
        if (recursive && count >= d.truncateAbove) {
          truncated = true;
          return;
        }
        const std::string path = prefix.empty() ? entry.name : prefix + "/" + entry.name;
        if (count++ > 0) entries += ",";
        entries += "{\"path\":" + jsonEscape(path) + ",\"mode\":\"" + entry.mode + "\",\"type\":\"" + entry.type +
                   "\",\"sha\":\"" + entry.sha + "\"";
        if (entry.type == "blob") entries += ",\"size\":" + std::to_string(d.blobs.at(entry.sha).size());
        entries += "}";
        if (recursive && entry.type == "tree") walk(entry.sha, path);
        if (truncated) return;
      }
    };
    walk(*root, "");
    response.json(200, "{\"sha\":\"" + *root + "\",\"tree\":[" + entries + "],\"truncated\":" +
                           (truncated ? "true" : "false") + "}");
    return true;
  }

  if (method == "GET" && kind == "blobs" && segments.size() == 3) {
    auto blob = d.blobs.find(segments[2]);
    if (blob == d.blobs.end()) return fail(404, "Not Found");
    response.json(200, "{\"sha\":\"" + blob->first + "\",\"size\":" + std::to_string(blob->second.size()) +
                           ",\"content\":" + jsonEscape(base64(blob->second)) + ",\"encoding\":\"base64\"}");
    return true;
  }

  if (method == "GET" && kind == "commits" && segments.size() == 3) {
    if (d.commits.count(segments[2]) == 0) return fail(404, "Not Found");
    response.json(200, d.commitJson(segments[2]));
    return true;
  }

  if (method == "GET" && kind == "ref" && segments.size() == 4 && segments[2] == "heads") {
    auto branch = repo.branches.find(segments[3]);
    if (branch == repo.branches.end()) return fail(404, "Not Found");
    response.json(200, "{\"ref\":\"refs/heads/" + branch->first + "\",\"object\":{\"sha\":\"" + branch->second +
                           "\",\"type\":\"commit\"}}");
    return true;
  }

  const Poco::JSON::Object::Ptr body = method == "GET" ? nullptr : parseObject(request.body);
  if (method != "GET" && body.isNull()) return fail(400, "Problems parsing JSON");

  if (method == "POST" && kind == "blobs" && segments.size() == 2) {
    if (!body->has("content") || !body->get("content").isString()) return fail(422, "Invalid request: content is missing");
    const std::string encoding = body->optValue<std::string>("encoding", "utf-8");
    std::optional<std::string> bytes = body->getValue<std::string>("content");
    if (encoding == "base64") bytes = unbase64(*bytes);
    else if (encoding != "utf-8") return fail(422, "Invalid request: encoding must be utf-8 or base64");
    if (!bytes) return fail(422, "Invalid request: content is not valid base64");
    const std::string sha = d.putBlob(*bytes);
    response.json(201, "{\"sha\":\"" + sha + "\",\"url\":\"/repos/" + repository + "/git/blobs/" + sha + "\"}");
    return true;
  }

  if (method == "POST" && kind == "trees" && segments.size() == 2) {
    std::map<std::string, std::pair<std::string, std::string>> files;
    if (body->has("base_tree") && !body->get("base_tree").isEmpty()) {
      const std::string base = body->getValue<std::string>("base_tree");
      const std::optional<std::string> tree = d.resolveTree(repo, base);
      if (!tree) return fail(422, "Invalid tree info: base_tree " + base + " does not exist");
      d.flatten(*tree, "", files);
    }
    Poco::JSON::Array::Ptr entries = body->getArray("tree");
    if (entries.isNull()) return fail(422, "Invalid request: tree is missing");
    for (std::size_t i = 0; i < entries->size(); ++i) {
      Poco::JSON::Object::Ptr entry = entries->getObject(static_cast<unsigned>(i));
      if (entry.isNull() || !entry->has("path")) return fail(422, "Invalid tree info: tree." + std::to_string(i));
      const std::string path = entry->getValue<std::string>("path");
      const std::string mode = entry->optValue<std::string>("mode", "100644");
      if (mode != "100644" && mode != "100755" && mode != "120000") {
        return fail(422, "Invalid tree info: mode " + mode + " of " + path);
      }
      if (entry->has("content")) {
        files[path] = {mode, d.putBlob(entry->getValue<std::string>("content"))};
      } else if (entry->has("sha") && entry->get("sha").isEmpty()) {
        files.erase(path);  // sha: null deletes
      } else if (entry->has("sha")) {
        const std::string sha = entry->getValue<std::string>("sha");
        if (d.blobs.count(sha) == 0) return fail(422, "Invalid tree info: sha " + sha + " of " + path + " is no blob");
        files[path] = {mode, sha};
      } else {
        return fail(422, "Invalid tree info: " + path + " has neither sha nor content");
      }
    }
    const std::string root = d.build(files);
    response.json(201, "{\"sha\":\"" + root + "\",\"truncated\":false}");
    return true;
  }

  if (method == "POST" && kind == "commits" && segments.size() == 2) {
    const std::string tree = body->optValue<std::string>("tree", "");
    if (d.trees.count(tree) == 0) return fail(422, "Invalid request: tree " + tree + " does not exist");
    std::vector<std::string> parents;
    if (Poco::JSON::Array::Ptr list = body->getArray("parents"); !list.isNull()) {
      for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string parent = list->getElement<std::string>(static_cast<unsigned>(i));
        if (d.commits.count(parent) == 0) return fail(422, "Invalid request: parent " + parent + " does not exist");
        parents.push_back(parent);
      }
    }
    const std::string sha = d.putCommit(tree, parents, body->optValue<std::string>("message", ""));
    response.json(201, d.commitJson(sha));
    return true;
  }

  if (method == "PATCH" && kind == "refs" && segments.size() == 4 && segments[2] == "heads") {
    auto branch = repo.branches.find(segments[3]);
    if (branch == repo.branches.end()) return fail(422, "Reference does not exist");
    const std::string sha = body->optValue<std::string>("sha", "");
    const bool force = body->optValue<bool>("force", false);
    if (d.commits.count(sha) == 0) return fail(422, "Object does not exist");
    if (!force && !d.descendsFrom(sha, branch->second)) return fail(422, "Update is not a fast forward");
    branch->second = sha;
    response.json(200, "{\"ref\":\"refs/heads/" + branch->first + "\",\"object\":{\"sha\":\"" + sha +
                           "\",\"type\":\"commit\"}}");
    return true;
  }
  return fail(404, "Not Found");
}

}  // namespace sb::fakes
