// The GitHub plugin's actions: push, pull and sync stay listed but disabled
// until the sync capability lands ("available with sync"); connect is
// navigation to GitHub's token settings. One list serves the status
// document and on_list / on_list_for.
// Thread-safety: stateless; safe to run concurrently.
#pragma once

#include <string_view>
#include <vector>

#include <switchboard/provider.hpp>
#include <switchboard/sdk.hpp>

namespace switchboard::github {

std::vector<provider::Action> githubActions();

Outcome listGithubActionsFor(std::string_view contextJson);
Outcome runGithubAction(const Call& call, std::string_view actionId, std::string_view requestJson);

}  // namespace switchboard::github
