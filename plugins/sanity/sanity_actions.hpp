// The Sanity plugin's actions: sync re-reads the dataset through the query
// API (Sanity's HTTP API has no call that fires a webhook: the webhooks API
// creates, lists and deletes hooks and reads delivery attempts, so a GROQ
// re-read is what "sync" can honestly do); open-studio and connect are
// navigation. One list serves the status document and on_list(_for).
// Thread-safety: stateless; safe to run concurrently.
#pragma once

#include <string_view>
#include <vector>

#include <switchboard/provider.hpp>
#include <switchboard/sdk.hpp>

namespace switchboard::bundled::sanity {

using provider::Action;

std::vector<Action> sanityActions();

Outcome listSanityActionsFor(std::string_view contextJson);
Outcome runSanityAction(const Host& host, const Call& call, std::string_view actionId, std::string_view requestJson);

}  // namespace switchboard::bundled::sanity
