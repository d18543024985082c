// The Vercel status adapter (on_status): reads the linked project's recent
// deployments (deployment_list.hpp) and maps them, or Vercel's refusal, onto
// the status document of docs/plugin-authoring.md, "Status adapter".
// Thread-safety: stateless; safe to run concurrently.
#pragma once

#include <string>
#include <string_view>

#include <switchboard/sdk.hpp>

namespace switchboard::vercel {

// `apiVersion` is the deployments API path segment ("v6"), from the plugin's
// init settings.
Outcome projectStatus(const Host& host, const Call& call, std::string_view requestJson,
                      const std::string& apiVersion);

}  // namespace switchboard::vercel
