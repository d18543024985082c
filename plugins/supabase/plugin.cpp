// The Supabase provider plugin: declares the Supabase integration schema.
// Status (Management API health) arrives with its own issue, so no capability
// is claimed yet. Thread-safety: stateless; hooks may run concurrently.
#include <switchboard/sdk.hpp>

namespace {

class SupabasePlugin : public switchboard::Plugin {
 public:
  static constexpr switchboard::Identity identity{
      "supabase", "Supabase", "0.1.0", "Supabase projects: service health through the Management API."};

  static std::vector<switchboard::Schema> schemas() {
    using switchboard::Field;
    return {switchboard::Schema("supabase")
                .name("Supabase")
                .category("database")
                .description("Link a project to a Supabase project to follow the health of its services.")
                .docsUrl("https://supabase.com/docs/reference/api")
                .displayOrder(40)
                .featured()
                .field(Field::string("accessToken")
                           .org()
                           .required()
                           .secret()
                           .description("Management API personal access token.")
                           .placeholder("sbp_..."))
                .field(Field::string("projectRef")
                           .project()
                           .required()
                           .description("The project reference (the subdomain of its API URL).")
                           .placeholder("abcdefghijklmnopqrst"))};
  }
};

}  // namespace

SWITCHBOARD_PLUGIN(SupabasePlugin)
