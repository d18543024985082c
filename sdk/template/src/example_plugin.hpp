// The "example" plugin: one integration schema and a status adapter for a
// made-up provider API, "Example Cloud", whose
//   GET <root>/v1/projects/{project}/health
// answers {"state":"ok"|"degraded"|"down","name":"...","url":"https://...",
// "checkedAt":"2026-11-23T10:00:00Z"} with a bearer token. Replace the
// request and the reading of the reply with your provider's; keep the shape.
// Kept in a header so the tests can drive the class without the entry symbol.
// Thread-safety: stateless after init; hooks may run concurrently.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <switchboard/provider.hpp>
#include <switchboard/sdk.hpp>

class ExamplePlugin : public switchboard::Plugin {
 public:
  static constexpr switchboard::Identity identity{"example", "Example Cloud", "0.1.0",
                                                  "Status of an Example Cloud project."};
  // The provider's API root, version prefix included. The operator's
  // plugins.enabled[].base_url replaces it (a fake in tests, a proxy).
  static constexpr std::string_view kDefaultRoot = "https://api.example.com";

  static std::vector<switchboard::Schema> schemas() {
    using switchboard::Field;
    return {switchboard::Schema("example")
                .name("Example Cloud")
                .category("hosting")
                .description("Health of an Example Cloud project.")
                .docsUrl("https://example.com/docs/api")
                .displayOrder(100)
                .field(Field::string("project").required().project().maxLength(100).description("Project slug.").placeholder(
                    "my-project"))
                .field(Field::string("token").required().secret().org().description("API token."))};
  }

  switchboard::Outcome status(switchboard::Call& call, std::string_view requestJson) override {
    using namespace switchboard::provider;
    switchboard::Outcome failure;
    auto request = parseStatusRequest(requestJson, failure);
    if (!request) return failure;
    const std::string project = request->setting("project");
    const std::string token = request->credential("token");  // a connection's token when the link has one
    if (project.empty()) return switchboard::Outcome::failure(SB_ERR_INVALID_ARGUMENT, "settings.project is required");
    if (token.empty()) return switchboard::Outcome::failure(SB_ERR_INVALID_ARGUMENT, "secrets.token is required");

    switchboard::HttpRequest http;
    http.url = request->url("/v1/projects/" + urlEncode(project) + "/health", kDefaultRoot);
    http.headers = {{"Authorization", "Bearer " + token}, {"Accept", "application/json"}};
    const Reply reply = classify("Example Cloud", host().send(http, call), host().nowMs());

    StatusReport report;
    report.actions = {{"open", "Open dashboard", "viewer", "open", true, ""}};
    switch (reply.kind) {
      case ReplyKind::Revoked:
        report.markRevoked("Example Cloud rejected the token", "Paste a new API token", "Reconnect first");
        return switchboard::Outcome::ok(report.toJson());
      case ReplyKind::RateLimited:
        report.markRateLimited("Example Cloud asked us to wait", "", reply.retryAfterSeconds);
        return switchboard::Outcome::ok(report.toJson());
      case ReplyKind::NotFound:
        report.status = "error";
        report.summary = "Project not found";
        return switchboard::Outcome::ok(report.toJson());
      case ReplyKind::Failed: return reply.failure;  // the host serves the last good status, stale
      case ReplyKind::Ok: break;
    }
    const auto state = stringAt(reply.body, "state");
    if (!state) return unexpectedShape("Example Cloud", "no \"state\" string");
    report.resourceLabel = stringAt(reply.body, "name").value_or(project);
    report.resourceUrl = stringAt(reply.body, "url").value_or("");
    report.resourceGenericLabel = "Example Cloud project";
    const auto checkedAt = timeAt(reply.body, "checkedAt");
    const std::string when = checkedAt ? ", checked " + switchboard::time::relativeAge(host().nowMs(), *checkedAt) : "";
    if (*state == "ok") {
      report.summary = "Healthy" + when;
    } else if (*state == "degraded") {
      report.status = "warning";
      report.summary = "Degraded" + when;
    } else {
      report.status = "error";
      report.summary = "Down" + when;
    }
    return switchboard::Outcome::ok(report.toJson());
  }
};
