// A fifth status provider, written as a third party would: out of tree,
// against the installed SDK only (find_package(SwitchboardSDK)), its JSON read
// with the SDK's provider helpers. It reports a Netlify site's latest deploy
// (GET <root>/sites/{site_id}/deploys?per_page=1, Netlify API
// https://docs.netlify.com/api-and-cli-guides/api-guides/get-started-with-api/,
// root https://api.netlify.com/api/v1 including the version prefix).
// The integration tests load it next to the bundled plugins and point its
// base_url at tests/fakes/netlify_fake.cpp.
// Thread-safety: stateless after init; hooks may run concurrently.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <switchboard/provider.hpp>
#include <switchboard/sdk.hpp>

class NetlifyPlugin : public switchboard::Plugin {
 public:
  static constexpr switchboard::Identity identity{"netlify", "Netlify", "0.1.0",
                                                  "Test plugin: a Netlify site's latest deploy, built out of tree."};
  static constexpr std::string_view kDefaultRoot = "https://api.netlify.com/api/v1";

  static std::vector<switchboard::Schema> schemas() {
    using switchboard::Field;
    return {switchboard::Schema("netlify")
                .name("Netlify")
                .category("hosting")
                .description("Deploy status of a Netlify site.")
                .docsUrl("https://docs.netlify.com/api/get-started/")
                .displayOrder(25)
                .field(Field::string("siteId").required().project().description("The site's API ID.").placeholder(
                    "site_demo"))
                .field(Field::string("token").required().secret().org().description("A personal access token."))};
  }

  switchboard::Outcome status(switchboard::Call& call, std::string_view requestJson) override {
    using namespace switchboard::provider;
    switchboard::Outcome failure;
    auto request = parseStatusRequest(requestJson, failure);
    if (!request) return failure;
    const std::string site = request->setting("siteId");
    const std::string token = request->credential("token");
    if (site.empty()) return switchboard::Outcome::failure(SB_ERR_INVALID_ARGUMENT, "settings.siteId is required");
    if (token.empty()) return switchboard::Outcome::failure(SB_ERR_INVALID_ARGUMENT, "secrets.token is required");

    switchboard::HttpRequest http;
    http.url = request->url("/sites/" + urlEncode(site) + "/deploys?per_page=1", kDefaultRoot);
    http.headers = {{"Authorization", "Bearer " + token}, {"Accept", "application/json"},
                    {"User-Agent", "switchboard-netlify-test-plugin"}};
    const Reply reply = classify("Netlify", host().send(http, call), host().nowMs());

    StatusReport report;
    report.actions = {{"open", "Open in Netlify", "viewer", "open", true, ""}};
    switch (reply.kind) {
      case ReplyKind::Revoked:
        report.markRevoked("Netlify rejected the token", "Paste a new personal access token", "Reconnect Netlify first");
        return switchboard::Outcome::ok(report.toJson());
      case ReplyKind::RateLimited:
        report.markRateLimited("Netlify rate limit reached", "", reply.retryAfterSeconds);
        return switchboard::Outcome::ok(report.toJson());
      case ReplyKind::NotFound:
        report.status = "error";
        report.summary = "Site not found";
        return switchboard::Outcome::ok(report.toJson());
      case ReplyKind::Failed: return reply.failure;
      case ReplyKind::Ok: break;
    }
    if (!reply.body.is_array()) return unexpectedShape("Netlify", "the deploy list is not an array");
    if (reply.body.empty()) {
      report.status = "disconnected";
      report.summary = "No deploys yet";
      return switchboard::Outcome::ok(report.toJson());
    }
    const Json& deploy = reply.body.front();
    const std::string state = stringAt(deploy, "state").value_or("");
    if (state.empty()) return unexpectedShape("Netlify", "the deploy has no state");
    const auto createdAt = timeAt(deploy, "created_at");
    const std::string age = createdAt ? " " + switchboard::time::relativeAge(host().nowMs(), *createdAt) : "";
    report.resourceLabel = stringAt(deploy, "name").value_or(site);
    report.resourceUrl = stringAt(deploy, "ssl_url").value_or("");
    report.resourceGenericLabel = "Netlify site";
    if (state == "ready") {
      report.summary = "Deploy ready" + age;
    } else if (state == "error") {
      report.status = "error";
      report.summary = "Deploy failed" + age;
    } else {
      report.status = "warning";
      report.summary = "Deploy " + state + age;
    }
    return switchboard::Outcome::ok(report.toJson());
  }
};
