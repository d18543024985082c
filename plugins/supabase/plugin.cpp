// The Supabase provider plugin: declares the Supabase integration schema and
// claims the status capability (Management API health, supabase_status.cpp)
// and actions (supabase_actions.cpp: test-connection, token page links).
// Thread-safety: hooks may run concurrently; the only state, the latency
// window, locks itself.
#include <switchboard/actions.hpp>
#include <switchboard/sdk.hpp>

#include "latency_window.hpp"
#include "supabase_actions.hpp"
#include "supabase_status.hpp"
#include "supabase_connection.hpp"

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

  switchboard::Outcome status(switchboard::Call& call, std::string_view requestJson) override {
    return switchboard::bundled::supabase::reportStatus(host(), call, requestJson, latencies_);
  }

  switchboard::Outcome listActions() override {
    return switchboard::Outcome::ok(switchboard::actions::actionsJson(switchboard::bundled::supabase::supabaseActions()));
  }
  switchboard::Outcome listActionsFor(switchboard::Call&, std::string_view contextJson) override {
    return switchboard::bundled::supabase::listSupabaseActionsFor(contextJson);
  }
  switchboard::Outcome runAction(switchboard::Call& call, std::string_view actionId,
                                 std::string_view requestJson) override {
    return switchboard::bundled::supabase::runSupabaseAction(host(), call, actionId, requestJson, latencies_);
  }

  // The connection provider: defaults for `provider: supabase` connections.
  switchboard::Outcome describeConnection() override { return switchboard::bundled::supabase::describeSupabaseConnection(); }
  switchboard::Outcome tokenResponse(switchboard::Call&, std::string_view requestJson) override {
    return switchboard::bundled::supabase::readSupabaseTokenReply(requestJson);
  }

 private:
  switchboard::bundled::supabase::LatencyWindow latencies_;
};

}  // namespace

SWITCHBOARD_PLUGIN(SupabasePlugin)
