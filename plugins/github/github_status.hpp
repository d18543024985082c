// The GitHub status adapter (on_status): reads the linked repository and
// branch through the host's HTTP client and maps GitHub's replies onto the
// status document of docs/plugin-authoring.md, "Status adapter".
// Ownership: borrows the host and the plugin instance's ETag cache.
// Thread-safety: safe to run concurrently; the only shared state is the cache.
#pragma once

#include <string_view>

#include <switchboard/sdk.hpp>

#include "etag_cache.hpp"

namespace switchboard::github {

Outcome repositoryStatus(const Host& host, const Call& call, std::string_view requestJson, EtagCache& cache);

}  // namespace switchboard::github
