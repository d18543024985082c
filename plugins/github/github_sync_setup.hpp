// The GitHub sync link's set-up calls (ABI 1.4 sync set-up hooks): check the
// token and its access to the linked repository, list the repositories the
// token can see, the repository's branches and the linked branch's newest
// commits. Built on the public SDK helpers only (provider.hpp); shapes:
// abi.h, sb_sync_source.on_validate and after.
// Thread-safety: free functions without state; hooks may run them at once.
#pragma once

#include <string_view>

#include <switchboard/sdk.hpp>

namespace switchboard::github {

Outcome validateSyncLink(const Host& host, const Call& call, std::string_view requestJson);
Outcome listSyncRepositories(const Host& host, const Call& call, std::string_view requestJson);
Outcome listSyncBranches(const Host& host, const Call& call, std::string_view requestJson);
Outcome listSyncCommits(const Host& host, const Call& call, std::string_view requestJson);

}  // namespace switchboard::github
