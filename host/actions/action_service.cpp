#include "actions/action_service.hpp"

#include <chrono>
#include <sstream>

#include <Poco/Environment.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>

#include "actions/action_permissions.hpp"
#include "core/clock.hpp"
#include "core/task_pool.hpp"
#include "events/event_hub.hpp"
#include "plugins/loaded_plugin.hpp"
#include "plugins/progress_step.hpp"
#include "store/record_ids.hpp"
#include "store/store.hpp"
#include "core/json_text.hpp"

namespace sb::actions {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("switchboard.actions"); }

Poco::Dynamic::Var parsed(const std::string& json) {
  Poco::JSON::Parser parser;
  return parser.parse(json);
}

// The SB_ERR_ name a failed action reports, as a short code for the UI.
std::string failureCode(sb_status status) {
  switch (status) {
    case SB_ERR_INVALID_ARGUMENT: return "invalid_params";
    case SB_ERR_NOT_FOUND: return "not_found";
    case SB_ERR_UNAUTHORIZED: return "oauth_revoked";
    case SB_ERR_RATE_LIMITED: return "rate_limited";
    case SB_ERR_TIMEOUT: return "timeout";
    case SB_ERR_UNAVAILABLE: return "unavailable";
    case SB_ERR_CONFLICT: return "conflict";
    case SB_ERR_NOT_SUPPORTED: return "not_supported";
    default: return "unknown";
  }
}

AcceptReply problem(int status, std::string detail, std::string field = {}) {
  AcceptReply reply;
  reply.httpStatus = status;
  reply.problemDetail = std::move(detail);
  reply.problemField = std::move(field);
  return reply;
}

AcceptReply fromStatus(const Status& status) {
  int code = 500;
  switch (status.code()) {
    case ErrorCode::InvalidArgument: code = 400; break;
    case ErrorCode::NotFound: code = 404; break;
    case ErrorCode::PermissionDenied: code = 403; break;
    case ErrorCode::Conflict:
    case ErrorCode::AlreadyExists: code = 409; break;
    case ErrorCode::Unavailable: code = 503; break;
    case ErrorCode::Timeout: code = 504; break;
    case ErrorCode::BadGateway: code = 502; break;
    default: code = 500;
  }
  return problem(code, status.message(), status.field());
}

// Replaces the step with the same id in the progress array, or appends it.
std::string withStep(const std::string& progressJson, const PluginStep& step) {
  Poco::JSON::Array::Ptr steps = parsed(progressJson.empty() ? "[]" : progressJson).extract<Poco::JSON::Array::Ptr>();
  Poco::JSON::Object::Ptr next = parsed(step.toJson()).extract<Poco::JSON::Object::Ptr>();
  bool replaced = false;
  for (std::size_t i = 0; i < steps->size(); ++i) {
    Poco::JSON::Object::Ptr existing = steps->getObject(static_cast<unsigned>(i));
    if (existing && existing->getValue<std::string>("step") == step.step) {
      steps->set(static_cast<unsigned>(i), next);
      replaced = true;
    }
  }
  if (!replaced) steps->add(next);
  std::ostringstream out;
  steps->stringify(out);
  return out.str();
}

}  // namespace

ActionService::ActionService(ActionsConfig config, Store& store, events::EventHub* hub, ActionPlugins plugins)
    : config_(std::move(config)), store_(store), hub_(hub), plugins_(std::move(plugins)) {
  if (config_.instanceId.empty()) config_.instanceId = Poco::Environment::nodeName();
}

ActionService::~ActionService() { stop(); }

std::int64_t ActionService::now() const { return systemNowMs(); }

Status ActionService::start() {
  auto interrupted = store_.actions().failInterrupted(config_.instanceId, now());
  if (!interrupted) return interrupted.status();
  for (const ActionRecord& record : *interrupted) {
    logger().warning("action %s (%s %s) was interrupted by a restart", record.id, record.provider, record.action);
    publish(record, "action.completed");
  }
  pool_ = std::make_unique<TaskPool>(config_.poolThreads, static_cast<std::size_t>(config_.queueLimit), "sb-actions");
  {
    std::lock_guard<std::mutex> lock(mutex_);
    running_ = true;
  }
  renewer_ = std::thread([this] { renewLoop(); });
  return Status::ok();
}

void ActionService::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!running_) return;
    running_ = false;
  }
  stopping_.notify_all();
  cancelled_->store(true);
  if (pool_) pool_->stop(TaskPool::Queued::Run);
  if (renewer_.joinable()) renewer_.join();
}

void ActionService::renewLoop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (running_) {
    stopping_.wait_for(lock, std::chrono::milliseconds(config_.leaseMs / 3), [this] { return !running_; });
    if (!running_) break;
    lock.unlock();
    const std::int64_t t = now();
    if (Status renewed = store_.actions().renewLeases(config_.instanceId, t + config_.leaseMs); !renewed) {
      logger().warning("cannot renew action leases: %s", renewed.message());
    }
    // Another instance's actions whose lease lapsed (it died) fail here too.
    auto lapsed = store_.actions().failInterrupted("", t);
    if (lapsed) {
      for (const ActionRecord& record : *lapsed) publish(record, "action.completed");
    }
    const std::int64_t dayMs = 24LL * 3600 * 1000;
    if (Status pruned = store_.actions().prune(t - dayMs, t - config_.rateWindowMs); !pruned) {
      logger().warning("cannot prune idempotency keys: %s", pruned.message());
    }
    lock.lock();
  }
}

std::string ActionService::recordJson(const ActionRecord& record, const std::string& stepJson) {
  Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
  out.set("id", record.id);
  out.set("projectId", record.projectId);
  out.set("provider", record.provider);
  out.set("action", record.action);
  out.set("state", std::string(toString(record.state)));
  out.set("progress", parsed(record.progressJson.empty() ? "[]" : record.progressJson));
  if (!record.resultJson.empty()) out.set("result", parsed(record.resultJson));
  if (!record.errorJson.empty()) out.set("error", parsed(record.errorJson));
  out.set("createdAt", record.createdAt);
  out.set("updatedAt", record.updatedAt);
  if (!stepJson.empty()) out.set("step", parsed(stepJson));  // action.progress: the step that just changed
  return jsonText(out);
}

void ActionService::publish(const ActionRecord& record, const char* type, const std::string& stepJson) {
  NewEvent event;
  event.projectId = record.projectId;
  event.type = type;
  event.subject = record.id;
  const std::string payload = recordJson(record, stepJson);
  // Every member may read an action, so every role gets the same payload.
  for (auto& slot : event.payloads) slot = payload;
  auto appended = store_.events().append(event, now());
  if (!appended) {
    logger().warning("action %s: cannot record its %s event: %s", record.id, std::string(type),
                     appended.status().message());
    return;
  }
  if (hub_ != nullptr) hub_->notify();
}

AcceptReply ActionService::accept(const ActionCaller& caller, const ActionRequest& request) {
  const std::int64_t t = now();
  const std::string bucket = "actions:" + caller.user.id + ":" + request.projectId;
  // 1. The key: exactly one request reserves it; a repeat waits for its answer.
  const auto waitUntil = std::chrono::steady_clock::now() + std::chrono::milliseconds(config_.idempotencyWaitMs);
  for (;;) {
    auto reserved = store_.actions().reserveKey(caller.user.id, request.idempotencyKey, request.requestHash, t,
                                                t - 24LL * 3600 * 1000);
    if (!reserved) return fromStatus(reserved.status());
    if (reserved->reserved) break;
    const StoredKey& stored = *reserved->stored;
    if (stored.requestHash != request.requestHash) {
      return problem(422, "this Idempotency-Key was used with a different request; use a new key",
                     "Idempotency-Key");
    }
    if (stored.done) {
      AcceptReply replay;
      replay.httpStatus = stored.responseStatus;
      replay.body = stored.responseBody;
      auto rate = store_.actions().peek(bucket, config_.rateLimit, config_.rateWindowMs, t);
      if (rate) replay.rate = *rate;
      auto parsedBody = parsed(stored.responseBody).extract<Poco::JSON::Object::Ptr>();
      replay.headers.emplace_back("Location", "/api/v1/integrations/actions/" + parsedBody->getValue<std::string>("id"));
      replay.headers.emplace_back("Idempotent-Replayed", "true");
      return replay;
    }
    if (std::chrono::steady_clock::now() >= waitUntil) {
      return problem(409, "the first request with this Idempotency-Key is still being processed; retry shortly",
                     "Idempotency-Key");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // From here a refusal gives the key back, so the client may retry with it.
  auto refuse = [&](AcceptReply reply) {
    if (Status released = store_.actions().releaseKey(caller.user.id, request.idempotencyKey); !released) {
      logger().warning("cannot release an idempotency key: %s", released.message());
    }
    return reply;
  };

  // 2. What the action is, for this link, and whether the caller may run it.
  auto link = store_.integrations().getIntegration(request.projectId, request.provider);
  if (!link) return refuse(fromStatus(link.status()));
  if (!link->has_value()) {
    return refuse(problem(404, "integration '" + request.provider + "' is not linked to this project", "provider"));
  }
  if (!roleAtLeast(caller.role, (*link)->visibleTo)) {
    return refuse(problem(404, "integration '" + request.provider + "' is not linked to this project", "provider"));
  }
  std::shared_ptr<LoadedPlugin> plugin = plugins_.pluginFor ? plugins_.pluginFor(request.provider) : nullptr;
  if (!plugin) return refuse(problem(404, "no loaded plugin runs actions for '" + request.provider + "'", "provider"));
  Poco::JSON::Object context;
  context.set("projectId", request.projectId);
  context.set("key", request.provider);
  context.set("settings", parsed((*link)->settingsJson));
  Poco::JSON::Array names;
  for (const auto& name : (*link)->secretNames) names.add(name);
  context.set("secretNames", names);
  auto listed = plugin->actionsListFor(jsonText(context));
  if (!listed) return refuse(fromStatus(listed.status()));
  const PluginAction* chosen = nullptr;
  for (const auto& candidate : *listed) {
    if (candidate.id == request.action) chosen = &candidate;
  }
  if (chosen == nullptr) {
    return refuse(problem(404, "'" + request.provider + "' has no action '" + request.action + "'", "action"));
  }
  if (!chosen->enabled) {
    return refuse(problem(403, chosen->reason.empty() ? "this action is not available right now" : chosen->reason,
                          "action"));
  }
  if (std::string refusal = refusalFor(caller.role, chosen->kind, chosen->minRole); !refusal.empty()) {
    return refuse(problem(403, refusal, "action"));
  }
  auto credentials = plugins_.credentials ? plugins_.credentials(**link) : Result<LinkCredentials>(LinkCredentials{});
  if (!credentials) return refuse(fromStatus(credentials.status()));

  // 3. The record, the rate-limit hit and the stored response, in one unit of work.
  ActionRecord record;
  record.id = store::newRecordId("act_");
  record.projectId = request.projectId;
  record.userId = caller.user.id;
  record.provider = request.provider;
  record.action = request.action;
  record.paramsJson = request.paramsJson;
  record.state = ActionState::Pending;
  record.leaseOwner = config_.instanceId;
  record.leaseExpiresMs = t + config_.leaseMs;
  record.createdAt = store::utcNow();
  record.updatedAt = record.createdAt;
  const std::string body = recordJson(record);
  std::optional<RateDecision> rate;
  const Status accepted = store_.transaction([&](Tx& tx) -> Status {
    auto decision = tx.actions().hit(bucket, config_.rateLimit, config_.rateWindowMs, t);
    if (!decision) return decision.status();
    rate = *decision;
    if (!decision->allowed) return Status(ErrorCode::Conflict, "rate limited");
    if (Status inserted = tx.actions().insert(record); !inserted) return inserted;
    return tx.actions().completeKey(caller.user.id, request.idempotencyKey, 202, body);
  });
  if (!accepted) {
    if (rate && !rate->allowed) {
      AcceptReply limited = problem(429,
                                    "at most " + std::to_string(config_.rateLimit) + " actions per " +
                                        std::to_string(config_.rateWindowMs / 1000) +
                                        " s per user and project; retry later");
      limited.rate = rate;
      limited.headers.emplace_back("Retry-After", std::to_string(rate->resetSeconds));
      return refuse(limited);
    }
    return refuse(fromStatus(accepted));
  }

  // 4. Run it on the pool; the reply does not wait.
  Poco::JSON::Object call;
  call.set("projectId", request.projectId);
  call.set("key", request.provider);
  call.set("baseUrl", plugins_.baseUrlFor ? plugins_.baseUrlFor(request.provider) : std::string());
  call.set("settings", parsed((*link)->settingsJson));
  call.set("secrets", parsed(credentials->secretsJson));
  if (credentials->token) call.set("accessToken", credentials->token->current());
  call.set("params", parsed(request.paramsJson));
  PreparedRun prepared{record, jsonText(call), plugin, credentials->token, request.idempotencyKey};
  if (request.held) {
    std::lock_guard<std::mutex> lock(mutex_);
    held_.emplace(record.id, std::move(prepared));
  } else {
    const bool queued = pool_ && pool_->submit([this, prepared = std::move(prepared)]() mutable { run(std::move(prepared)); });
    if (!queued) failOverloaded(record);
  }
  AcceptReply reply;
  reply.httpStatus = 202;
  reply.body = body;
  reply.rate = rate;
  reply.headers.emplace_back("Location", "/api/v1/integrations/actions/" + record.id);
  return reply;
}

std::optional<ActionService::PreparedRun> ActionService::takeHeld(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = held_.find(id);
  if (found == held_.end()) return std::nullopt;
  PreparedRun prepared = std::move(found->second);
  held_.erase(found);
  return prepared;
}

void ActionService::finish(ActionRecord& record) {
  record.leaseOwner.clear();
  record.leaseExpiresMs = 0;
  record.updatedAt = store::utcNow();
  if (Status updated = store_.actions().update(record); !updated) {
    logger().error("action %s: cannot record its end: %s", record.id, updated.message());
  }
  publish(record, "action.completed");
}

void ActionService::skip(ActionRecord& record, const std::string& reason) {
  record.state = ActionState::Failed;
  record.errorJson = errorJson("skipped", reason);
  finish(record);
}

void ActionService::failOverloaded(ActionRecord record) {
  record.state = ActionState::Failed;
  record.errorJson = errorJson("overloaded", "too many actions are waiting to run; try again later");
  finish(record);
}

void ActionService::discardHeld(const std::vector<std::string>& ids, const std::string& reason) {
  for (const std::string& id : ids) {
    std::optional<PreparedRun> prepared = takeHeld(id);
    if (!prepared) continue;
    if (Status released = store_.actions().releaseKey(prepared->record.userId, prepared->idempotencyKey, true);
        !released) {
      logger().warning("cannot release an idempotency key: %s", released.message());
    }
    skip(prepared->record, reason);
  }
}

void ActionService::runInOrder(const std::vector<std::string>& ids, StepObserver observer) {
  std::vector<std::pair<std::size_t, PreparedRun>> steps;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (std::optional<PreparedRun> prepared = takeHeld(ids[i])) steps.emplace_back(i, std::move(*prepared));
  }
  if (steps.empty()) return;
  auto chain = std::make_shared<std::vector<std::pair<std::size_t, PreparedRun>>>(std::move(steps));
  const bool queued = pool_ && pool_->submit([this, chain, observer = std::move(observer)] {
    std::string failedStep;
    for (auto& [index, prepared] : *chain) {
      if (!failedStep.empty()) {
        ActionRecord skipped = prepared.record;
        skip(skipped, "step " + failedStep + " did not succeed");
        if (observer) observer(index, skipped);
        continue;
      }
      ActionRecord running = prepared.record;
      running.state = ActionState::Running;
      if (observer) observer(index, running);
      const ActionRecord ended = run(std::move(prepared));
      if (observer) observer(index, ended);
      if (ended.state != ActionState::Succeeded) failedStep = std::to_string(index + 1);
    }
  });
  if (!queued) {
    for (const auto& step : *chain) failOverloaded(step.second.record);
  }
}

ActionRecord ActionService::run(PreparedRun prepared) {
  ActionRecord record = std::move(prepared.record);
  const std::string requestJson = std::move(prepared.requestJson);
  const std::shared_ptr<LoadedPlugin> plugin = std::move(prepared.plugin);
  std::shared_ptr<CallAccessToken> token = std::move(prepared.token);
  record.state = ActionState::Running;
  record.updatedAt = store::utcNow();
  if (Status updated = store_.actions().update(record); !updated) {
    logger().warning("action %s: cannot mark it running: %s", record.id, updated.message());
  }
  publish(record, "action.progress");
  std::mutex progressMutex;
  PluginCall call;
  call.deadlineMs = now() + config_.deadlineMs;
  call.cancelled = cancelled_;
  call.accessToken = std::move(token);
  call.step = [&](const PluginStep& step) {
    std::lock_guard<std::mutex> lock(progressMutex);
    try {
      record.progressJson = withStep(record.progressJson, step);
    } catch (const std::exception& error) {
      logger().warning("action %s: cannot record a step: %s", record.id, std::string(error.what()));
      return;
    }
    record.updatedAt = store::utcNow();
    if (Status updated = store_.actions().update(record); !updated) {
      logger().warning("action %s: cannot record a step: %s", record.id, updated.message());
    }
    publish(record, "action.progress", step.toJson());
  };
  const bool onHost = hostActions_.handles && hostActions_.handles(record.provider, record.action);
  auto outcome = onHost ? Result<ActionRunOutcome>(hostActions_.run(record, call))
                        : plugin->actionsRun(record.action, requestJson, call);
  std::lock_guard<std::mutex> lock(progressMutex);
  if (!outcome) {
    record.state = ActionState::Failed;
    record.errorJson = errorJson(outcome.status().code() == ErrorCode::PermissionDenied ? "egress_refused" : "plugin_error",
                                 "the plugin failed to run the action");
    logger().warning("action %s (%s %s) failed in the host: %s", record.id, record.provider, record.action,
                     outcome.status().message());
  } else if (outcome->ok()) {
    record.state = ActionState::Succeeded;
    record.resultJson = outcome->resultJson.empty() ? "{}" : outcome->resultJson;
  } else {
    record.state = ActionState::Failed;
    Poco::JSON::Object error;
    error.set("code", failureCode(outcome->status));
    error.set("detail", outcome->reason);
    if (outcome->retryAfterSeconds) error.set("retryAfter", *outcome->retryAfterSeconds);
    record.errorJson = jsonText(error);
  }
  finish(record);
  return record;
}

}  // namespace sb::actions
