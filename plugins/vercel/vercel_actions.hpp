// The Vercel plugin's actions: deploy / deploy-preview redeploy the latest
// deployment of that target (list, create, then poll until it is READY or
// ERROR, a bounded number of times); link and connect are navigation to the
// Vercel dashboard. One list serves the status document and on_list(_for).
// Thread-safety: stateless apart from the host calls; safe to run concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <switchboard/provider.hpp>
#include <switchboard/sdk.hpp>

namespace switchboard::vercel {

// How a deploy waits for the new deployment (init settings
// "deployPollIntervalMs", 0..60000, default 3000, and "deployMaxPolls",
// 0..100, default 20); it also stops at the call's deadline.
struct DeployPolling {
  std::int64_t intervalMs = 3000;
  int maxPolls = 20;
};
std::optional<DeployPolling> deployPolling(std::string_view settingsJson, Outcome& failure);

std::vector<provider::Action> vercelActions();

Outcome listVercelActionsFor(std::string_view contextJson);
// `apiVersion` is the list endpoint's version ("v6"), from the init settings.
Outcome runVercelAction(const Host& host, const Call& call, std::string_view actionId, std::string_view requestJson,
                        const std::string& apiVersion, const DeployPolling& polling);

}  // namespace switchboard::vercel
