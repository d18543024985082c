// See github_actions.hpp. connect opens the token settings the schema's
// token field asks for (fine-grained personal access tokens,
// https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/managing-your-personal-access-tokens);
// on GitHub Enterprise Server (apiBaseUrl https://HOST/api/v3) the same page
// lives on that host (https://docs.github.com/en/enterprise-server@latest/rest/quickstart).
#include "github_actions.hpp"

#include <string>

#include <switchboard/actions.hpp>

namespace switchboard::github {
namespace {

// push, pull and sync are declared here (roles, kinds) but run by the host's
// SyncService (host/sync/sync_actions.hpp), which owns the workspace; on_run
// only sees them when no host routes them.
constexpr const char* kRunByHost = "runs in the host's workspace sync, not in the plugin";
constexpr std::string_view kEnterpriseApiSuffix = "/api/v3";

// The link's own apiBaseUrl decides which GitHub; the operator's base_url
// only reroutes API requests (a proxy, a fake), never the user's browser.
std::string tokenSettingsUrl(const provider::StatusRequest& link) {
  std::string root = link.setting("apiBaseUrl");
  while (!root.empty() && root.back() == '/') root.pop_back();
  if (root.empty() || root == "https://api.github.com") return "https://github.com/settings/personal-access-tokens";
  if (root.size() > kEnterpriseApiSuffix.size() &&
      root.compare(root.size() - kEnterpriseApiSuffix.size(), kEnterpriseApiSuffix.size(), kEnterpriseApiSuffix) == 0) {
    root.resize(root.size() - kEnterpriseApiSuffix.size());
  }
  return root + "/settings/tokens";
}

}  // namespace

std::vector<provider::Action> githubActions() {
  // push and sync write to the repository; pull only reads it.
  return {{"push", "Push", "editor", "push", true, ""},
          {"pull", "Pull", "editor", "content-sync", true, ""},
          {"sync", "Sync", "editor", "push", true, ""},
          {"connect", "Reconnect", "admin", "connect", true, ""}};
}

Outcome listGithubActionsFor(std::string_view contextJson) {
  return actions::listForContext(githubActions(), contextJson, "token", "Add a GitHub token first", {"connect"});
}

Outcome runGithubAction(const Call& call, std::string_view actionId, std::string_view requestJson) {
  Outcome failure;
  std::optional<actions::ActionRequest> request = actions::parseActionRequest(requestJson, {}, failure);
  if (!request) return failure;
  if (actionId == "connect") {
    return actions::navigate(call, "Opening GitHub token settings", tokenSettingsUrl(request->link));
  }
  if (actionId == "push" || actionId == "pull" || actionId == "sync") {
    // A skipped step says so where the caller looks; the status says it too.
    call.step(ProgressStep{std::string(actionId), "Run by the host", StepState::Skipped, 0, 0, kRunByHost});
    return Outcome::failure(SB_ERR_NOT_SUPPORTED, std::string(actionId) + " " + kRunByHost);
  }
  return actions::unknownAction(actionId);
}

}  // namespace switchboard::github
