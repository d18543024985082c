// The Sanity provider plugin: declares the Sanity integration schema and
// claims the status capability (recent content changes and webhook live sync,
// sanity_status.cpp) and actions (sanity_actions.cpp: a GROQ re-read, Studio
// and token links). Thread-safety: stateless; hooks may run concurrently.
#include <switchboard/actions.hpp>
#include <switchboard/sdk.hpp>

#include "sanity_actions.hpp"
#include "sanity_status.hpp"

namespace {

class SanityPlugin : public switchboard::Plugin {
 public:
  static constexpr switchboard::Identity identity{
      "sanity", "Sanity", "0.1.0", "Sanity content lake datasets: reachability and recent content changes."};

  static std::vector<switchboard::Schema> schemas() {
    using switchboard::Field;
    return {switchboard::Schema("sanity")
                .name("Sanity")
                .category("cms")
                .description("Link a project to a Sanity project and dataset.")
                .docsUrl("https://www.sanity.io/docs/http-api")
                .displayOrder(30)
                .featured()
                .field(Field::string("token")
                           .org()
                           .required()
                           .secret()
                           .description("Sanity API token with the Viewer role."))
                .field(Field::string("projectId")
                           .project()
                           .required()
                           .destination()  // names the API host: https://<projectId>.api.sanity.io
                           .description("The Sanity project id.")
                           .placeholder("abc123de"))
                .field(Field::string("dataset")
                           .project()
                           .required()
                           .description("The dataset to query.")
                           .placeholder("production"))
                .field(Field::string("apiVersion")
                           .project()
                           .description("Dated API version (YYYY-MM-DD) used in request paths.")
                           .placeholder("2025-02-19"))
                .field(Field::url("studioUrl")
                           .project()
                           .description("Where the project's Studio is deployed; Open Studio goes there. "
                                        "Empty: the project's page on sanity.io/manage.")
                           .placeholder("https://acme.sanity.studio"))};
  }

  switchboard::Outcome status(switchboard::Call& call, std::string_view requestJson) override {
    return switchboard::bundled::sanity::reportStatus(host(), call, requestJson);
  }

  switchboard::Outcome listActions() override {
    return switchboard::Outcome::ok(switchboard::actions::actionsJson(switchboard::bundled::sanity::sanityActions()));
  }
  switchboard::Outcome listActionsFor(switchboard::Call&, std::string_view contextJson) override {
    return switchboard::bundled::sanity::listSanityActionsFor(contextJson);
  }
  switchboard::Outcome runAction(switchboard::Call& call, std::string_view actionId,
                                 std::string_view requestJson) override {
    return switchboard::bundled::sanity::runSanityAction(host(), call, actionId, requestJson);
  }
};

}  // namespace

SWITCHBOARD_PLUGIN(SanityPlugin)
