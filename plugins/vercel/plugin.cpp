// The Vercel provider plugin: declares the Vercel integration schema. Status
// (deployments) arrives with its own issue, so no capability is claimed yet.
// Thread-safety: stateless; hooks may run concurrently.
#include <switchboard/sdk.hpp>

namespace {

class VercelPlugin : public switchboard::Plugin {
 public:
  static constexpr switchboard::Identity identity{
      "vercel", "Vercel", "0.1.0", "Projects hosted on Vercel: production deployment status."};

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
};

}  // namespace

SWITCHBOARD_PLUGIN(VercelPlugin)
