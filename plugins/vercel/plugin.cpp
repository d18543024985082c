// The Vercel provider plugin: declares the Vercel integration schema, the
// status capability (vercel_status.cpp, production and preview deployments)
// and its actions (vercel_actions.cpp: redeploys, dashboard links).
// Init settings (all optional): {"deploymentsApiVersion": "v6"} (Vercel also
// serves newer versions of the list endpoint), "deployPollIntervalMs" and
// "deployMaxPolls" (how a deploy waits for its build).
// Thread-safety: settings are fixed at init; hooks may run concurrently.
#include <optional>
#include <string>

#include <switchboard/actions.hpp>
#include <switchboard/sdk.hpp>

#include "deployments_api_version.hpp"
#include "vercel_actions.hpp"
#include "vercel_status.hpp"
#include "vercel_connection.hpp"

namespace {

class VercelPlugin : public switchboard::Plugin {
 public:
  static constexpr switchboard::Identity identity{
      "vercel", "Vercel", "0.1.0", "Projects hosted on Vercel: production and preview deployment status."};

  static std::vector<switchboard::Schema> schemas() {
    using switchboard::Field;
    return {switchboard::Schema("vercel")
                .name("Vercel")
                .category("hosting")
                .description("Link a project to a Vercel project to follow its production deployments.")
                .docsUrl("https://vercel.com/docs/rest-api")
                .displayOrder(20)
                .featured()
                .field(Field::string("token")
                           .org()
                           .required()
                           .secret()
                           .description("Vercel access token with read access to the team's projects."))
                .field(Field::string("teamId")
                           .org()
                           .description("Team id for team-owned projects; empty for a personal account.")
                           .placeholder("team_..."))
                .field(Field::string("projectId")
                           .project()
                           .required()
                           .description("The Vercel project id.")
                           .placeholder("prj_..."))};
  }

  switchboard::Outcome init(std::string_view settingsJson) override {
    switchboard::Outcome failure;
    std::optional<std::string> version = switchboard::vercel::deploymentsApiVersion(settingsJson, failure);
    if (!version) return failure;
    std::optional<switchboard::vercel::DeployPolling> polling = switchboard::vercel::deployPolling(settingsJson, failure);
    if (!polling) return failure;
    apiVersion_ = *version;
    polling_ = *polling;
    return switchboard::Outcome::ok();
  }

  switchboard::Outcome status(switchboard::Call& call, std::string_view requestJson) override {
    return switchboard::vercel::projectStatus(host(), call, requestJson, apiVersion_);
  }

  switchboard::Outcome listActions() override {
    return switchboard::Outcome::ok(switchboard::actions::actionsJson(switchboard::vercel::vercelActions()));
  }
  switchboard::Outcome listActionsFor(switchboard::Call&, std::string_view contextJson) override {
    return switchboard::vercel::listVercelActionsFor(contextJson);
  }
  switchboard::Outcome runAction(switchboard::Call& call, std::string_view actionId,
                                 std::string_view requestJson) override {
    return switchboard::vercel::runVercelAction(host(), call, actionId, requestJson, apiVersion_, polling_);
  }

  // The connection provider: defaults for `provider: vercel` connections.
  switchboard::Outcome describeConnection() override { return switchboard::vercel::describeVercelConnection(); }
  switchboard::Outcome tokenResponse(switchboard::Call&, std::string_view requestJson) override {
    return switchboard::vercel::readVercelTokenReply(requestJson);
  }

 private:
  std::string apiVersion_ = "v6";
  switchboard::vercel::DeployPolling polling_;
};

}  // namespace

SWITCHBOARD_PLUGIN(VercelPlugin)
