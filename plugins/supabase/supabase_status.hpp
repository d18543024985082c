// The Supabase status adapter behind the plugin's on_status hook: service
// health from the Management API, with the call's measured latency averaged
// per project, mapped onto the status document of docs/plugin-authoring.md.
// Owned by the supabase plugin. Thread-safety: any number of threads may call
// it at once; the shared LatencyWindow serialises its own state.
#pragma once

#include <string_view>

#include <switchboard/sdk.hpp>

#include "latency_window.hpp"

namespace switchboard::bundled::supabase {

Outcome reportStatus(const Host& host, const Call& call, std::string_view requestJson, LatencyWindow& latencies);

}  // namespace switchboard::bundled::supabase
