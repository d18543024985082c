// The Sanity status adapter behind the plugin's on_status hook: how many
// documents changed in the last 24 h (GROQ over the HTTP query API) and whether
// a webhook keeps the link in live sync (webhooks API), mapped onto the status
// document of docs/plugin-authoring.md. Owned by the sanity plugin.
// Thread-safety: stateless; any number of threads may call it at once.
#pragma once

#include <string_view>

#include <switchboard/sdk.hpp>

namespace switchboard::bundled::sanity {

// The API version used for data queries when the link names none.
inline constexpr std::string_view kDefaultApiVersion = "v2025-02-19";

Outcome reportStatus(const Host& host, const Call& call, std::string_view requestJson);

}  // namespace switchboard::bundled::sanity
