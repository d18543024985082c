// The Sanity provider plugin: declares the Sanity integration schema and
// claims the status capability (recent content changes and webhook live sync,
// sanity_status.cpp). Thread-safety: stateless; hooks may run concurrently.
#include <switchboard/sdk.hpp>

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
                           .placeholder("2025-02-19"))};
  }

  switchboard::Outcome status(switchboard::Call& call, std::string_view requestJson) override {
    return switchboard::bundled::sanity::reportStatus(host(), call, requestJson);
  }
};

}  // namespace

SWITCHBOARD_PLUGIN(SanityPlugin)
