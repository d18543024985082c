// The GitHub provider plugin: declares the GitHub integration schema, the
// status capability (github_status.cpp), its actions (github_actions.cpp:
// push/pull/sync declared here and run by the host's sync, connect as
// navigation), the sync source with its set-up hooks (github_sync.cpp,
// github_sync_setup.cpp) and the OAuth connection defaults
// (github_connection.hpp). Thread-safety: hooks may run concurrently; the only
// instance state is the ETag cache, which locks.
#include <switchboard/actions.hpp>
#include <switchboard/sdk.hpp>

#include "etag_cache.hpp"
#include "github_actions.hpp"
#include "github_connection.hpp"
#include "github_status.hpp"
#include "github_sync.hpp"
#include "github_sync_setup.hpp"

namespace {

class GithubPlugin : public switchboard::Plugin {
 public:
  static constexpr switchboard::Identity identity{
      "github", "GitHub", "0.1.0", "Repositories on GitHub or GitHub Enterprise Server: status, OAuth and sync."};

  static std::vector<switchboard::Schema> schemas() {
    using switchboard::Field;
    return {switchboard::Schema("github")
                .name("GitHub")
                .category("source-control")
                .description("Link a project to a GitHub repository and branch.")
                .docsUrl("https://docs.github.com/en/rest")
                .displayOrder(10)
                .featured()
                .field(Field::string("token")
                           .org()
                           .required()
                           .secret()
                           .description("Fine-grained personal access token with read access to contents and metadata.")
                           .placeholder("github_pat_..."))
                .field(Field::url("apiBaseUrl")
                           .org()
                           .destination()  // the token goes wherever this points
                           .description("REST API base URL; set it for GitHub Enterprise Server.")
                           .placeholder("https://api.github.com"))
                .field(Field::string("repository")
                           .project()
                           .required()
                           .maxLength(140)  // owner (39) + "/" + name (100)
                           .description("The repository as owner/name.")
                           .placeholder("owner/name"))
                .field(Field::string("branch")
                           .project()
                           .description("Branch to track; the repository's default branch when empty.")
                           .placeholder("main"))};
  }

  switchboard::Outcome status(switchboard::Call& call, std::string_view requestJson) override {
    return switchboard::github::repositoryStatus(host(), call, requestJson, etags_);
  }

  switchboard::Outcome listTree(switchboard::Call& call, std::string_view requestJson) override {
    return switchboard::github::syncListTree(host(), call, requestJson, etags_);
  }
  switchboard::Outcome read(switchboard::Call& call, std::string_view requestJson) override {
    return switchboard::github::syncRead(host(), call, requestJson);
  }
  switchboard::Outcome write(switchboard::Call& call, std::string_view requestJson) override {
    return switchboard::github::syncWrite(host(), call, requestJson);
  }
  switchboard::Outcome validateSource(switchboard::Call& call, std::string_view requestJson) override {
    return switchboard::github::validateSyncLink(host(), call, requestJson);
  }
  switchboard::Outcome listRepositories(switchboard::Call& call, std::string_view requestJson) override {
    return switchboard::github::listSyncRepositories(host(), call, requestJson);
  }
  switchboard::Outcome listBranches(switchboard::Call& call, std::string_view requestJson) override {
    return switchboard::github::listSyncBranches(host(), call, requestJson);
  }
  switchboard::Outcome listCommits(switchboard::Call& call, std::string_view requestJson) override {
    return switchboard::github::listSyncCommits(host(), call, requestJson);
  }

  switchboard::Outcome listActions() override {
    return switchboard::Outcome::ok(switchboard::actions::actionsJson(switchboard::github::githubActions()));
  }
  switchboard::Outcome listActionsFor(switchboard::Call&, std::string_view contextJson) override {
    return switchboard::github::listGithubActionsFor(contextJson);
  }
  switchboard::Outcome runAction(switchboard::Call& call, std::string_view actionId,
                                 std::string_view requestJson) override {
    return switchboard::github::runGithubAction(call, actionId, requestJson);
  }

  // The connection provider: defaults for `provider: github` connections.
  switchboard::Outcome describeConnection() override { return switchboard::github::describeGithubConnection(); }
  switchboard::Outcome tokenResponse(switchboard::Call& call, std::string_view requestJson) override {
    return switchboard::github::githubTokenResponse(host(), call, requestJson);
  }

 private:
  switchboard::github::EtagCache etags_;
};

}  // namespace

SWITCHBOARD_PLUGIN(GithubPlugin)
