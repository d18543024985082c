// POST /api/v1/integrations/actions (Idempotency-Key required), GET
// /api/v1/integrations/actions/{id} and GET /api/v1/integrations/actions?projectId=.
// The rules live in actions/action_service; this file reads the request,
// checks the key's form (draft-ietf-httpapi-idempotency-key-header: one
// string; here 1-255 visible ASCII characters) and writes the reply with
// RateLimit-Policy and RateLimit (draft-ietf-httpapi-ratelimit-headers).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "actions/action_service.hpp"
#include "auth/tokens.hpp"
#include "http/api_routes.hpp"
#include "http/json_body.hpp"
#include "http/project_lookup.hpp"
#include "store/store.hpp"
#include "core/json_text.hpp"

namespace sb::http {
namespace {

constexpr std::size_t kListLimit = 50;

std::string policyHeader(const ActionsConfig& config) {
  return "\"actions\";q=" + std::to_string(config.rateLimit) + ";w=" + std::to_string(config.rateWindowMs / 1000);
}

void addRateHeaders(ApiReply& reply, const ActionsConfig& config, const std::optional<RateDecision>& rate) {
  reply.headers.emplace_back("RateLimit-Policy", policyHeader(config));
  if (rate) {
    reply.headers.emplace_back("RateLimit", "\"actions\";r=" + std::to_string(rate->remaining) +
                                                ";t=" + std::to_string(rate->resetSeconds));
  }
}

ApiReply bodyReply(int status, const std::string& body) {
  ApiReply reply;
  reply.status = status;
  reply.contentType = kJsonContentType;
  reply.body = body;
  return reply;
}

ApiReply postAction(Store& store, actions::ActionService& service, ApiRequest& request) {
  const ActionsConfig& config = service.config();
  auto withRate = [&](ApiReply reply, const std::optional<RateDecision>& rate) {
    addRateHeaders(reply, config, rate);
    return reply;
  };
  if (Status bad = checkIdempotencyKey(request.header("idempotency-key")); !bad) {
    return withRate(failureReply(request, bad), std::nullopt);
  }
  const JsonBody body = parseJsonObjectBody(request, {"projectId", "provider", "action", "params"});
  if (body.problem) return withRate(problemReply(request, *body.problem), std::nullopt);
  actions::ActionRequest action;
  for (auto [field, slot] : {std::pair{"projectId", &action.projectId}, std::pair{"provider", &action.provider},
                             std::pair{"action", &action.action}}) {
    auto value = requiredString(*body.object, field);
    if (!value) return withRate(failureReply(request, value.status()), std::nullopt);
    *slot = *value;
  }
  Poco::JSON::Object::Ptr params = new Poco::JSON::Object;
  if (body.object->has("params")) {
    params = body.object->getObject("params");
    if (!params) {
      return withRate(failureReply(request, Status(ErrorCode::InvalidArgument, "field 'params' must be an object", "params")),
                      std::nullopt);
    }
  }
  action.paramsJson = jsonText(*params);  // keys sorted: a canonical form
  action.idempotencyKey = *request.header("idempotency-key");
  action.requestHash =
      sha256Hex(action.projectId + '\n' + action.provider + '\n' + action.action + '\n' + action.paramsJson);

  auto visible = loadVisibleProject(store.projects(), request.principal->user, action.projectId);
  if (!visible) return withRate(failureReply(request, visible.status()), std::nullopt);
  const actions::ActionCaller caller{request.principal->user, visible->callerRole};
  actions::AcceptReply accepted = service.accept(caller, action);
  ApiReply reply;
  if (accepted.httpStatus / 100 == 2) {
    reply = bodyReply(accepted.httpStatus, accepted.body);
  } else {
    Problem problem = problemForHttpStatus(accepted.httpStatus, accepted.problemDetail, accepted.problemField);
    reply = problemReply(request, problem);
  }
  for (auto& header : accepted.headers) reply.headers.push_back(std::move(header));
  return withRate(std::move(reply), accepted.rate);
}

// The action, if it exists and the caller is a member of its project.
Result<ActionRecord> visibleAction(Store& store, const User& caller, const std::string& id) {
  auto record = store.actions().get(id);
  if (!record) return record.status();
  const Status missing(ErrorCode::NotFound, "action '" + id + "' not found", "id");
  if (!record->has_value()) return missing;
  auto visible = loadVisibleProject(store.projects(), caller, (*record)->projectId);
  if (!visible) return visible.status().code() == ErrorCode::NotFound ? missing : visible.status();
  return **record;
}

}  // namespace

Status checkIdempotencyKey(const std::string* key) {
  if (key == nullptr) {
    return {ErrorCode::InvalidArgument, "this endpoint requires an Idempotency-Key header", "Idempotency-Key"};
  }
  constexpr std::size_t kMaxKeyLength = 255;
  bool ok = !key->empty() && key->size() <= kMaxKeyLength;
  for (char c : *key) {
    if (c < 0x21 || c > 0x7e) ok = false;
  }
  if (ok) return Status::ok();
  return {ErrorCode::InvalidArgument, "Idempotency-Key must be 1-255 visible ASCII characters", "Idempotency-Key"};
}

void addActionRoutes(Router& router, const ApiContext& context) {
  Store* store = context.store;
  actions::ActionService* service = context.actions;
  router.add("POST", "/api/v1/integrations/actions", RouteAccess::Bearer, [store, service](ApiRequest& request) {
    if (service == nullptr) return failureReply(request, Status(ErrorCode::Unavailable, "quick actions are not configured"));
    return postAction(*store, *service, request);
  });
  router.add("GET", "/api/v1/integrations/actions/{id}", RouteAccess::Bearer, [store](ApiRequest& request) {
    auto record = visibleAction(*store, request.principal->user, request.param("id"));
    if (!record) return failureReply(request, record.status());
    return bodyReply(200, actions::ActionService::recordJson(*record));
  });
  router.add("GET", "/api/v1/integrations/actions", RouteAccess::Bearer, [store](ApiRequest& request) {
    std::string projectId;
    for (const auto& [name, value] : request.query) {
      if (name != "projectId") {
        return failureReply(request, Status(ErrorCode::InvalidArgument,
                                            "unknown query parameter '" + name + "' (known: projectId)", name));
      }
      projectId = value;
    }
    if (projectId.empty()) {
      return failureReply(request, Status(ErrorCode::InvalidArgument, "query parameter 'projectId' is required", "projectId"));
    }
    auto visible = loadVisibleProject(store->projects(), request.principal->user, projectId);
    if (!visible) return failureReply(request, visible.status());
    auto records = store->actions().listRecent(projectId, kListLimit);
    if (!records) return failureReply(request, records.status());
    std::string body = "{\"items\":[";
    for (std::size_t i = 0; i < records->size(); ++i) {
      if (i > 0) body += ',';
      body += actions::ActionService::recordJson((*records)[i]);
    }
    body += "]}";
    return bodyReply(200, body);
  });
}

}  // namespace sb::http
