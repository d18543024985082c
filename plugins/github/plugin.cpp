// The GitHub provider plugin: declares the GitHub integration schema. Status,
// connection and sync capabilities arrive with their own issues, so none is
// claimed yet. Thread-safety: stateless; hooks may run concurrently.
#include <switchboard/sdk.hpp>

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
                           .description("REST API base URL; set it for GitHub Enterprise Server.")
                           .placeholder("https://api.github.com"))
                .field(Field::string("repository")
                           .project()
                           .required()
                           .description("The repository as owner/name.")
                           .placeholder("owner/name"))
                .field(Field::string("branch")
                           .project()
                           .description("Branch to track; main when empty.")
                           .placeholder("main"))};
  }
};

}  // namespace

SWITCHBOARD_PLUGIN(GithubPlugin)
