// The Supabase plugin's actions: test-connection runs the Management API
// health check and measures it; reconnect and connect are navigation to the
// access-token page. One list serves the status document and on_list(_for).
// Thread-safety: safe to run concurrently; the latency window locks itself.
#pragma once

#include <string_view>
#include <vector>

#include <switchboard/provider.hpp>
#include <switchboard/sdk.hpp>

#include "latency_window.hpp"

namespace switchboard::bundled::supabase {

using provider::Action;

std::vector<Action> supabaseActions();

Outcome listSupabaseActionsFor(std::string_view contextJson);
Outcome runSupabaseAction(const Host& host, const Call& call, std::string_view actionId, std::string_view requestJson,
                          LatencyWindow& latencies);

}  // namespace switchboard::bundled::supabase
