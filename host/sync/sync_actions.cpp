#include "sync/sync_actions.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "core/clock.hpp"
#include "core/json_text.hpp"
#include "plugins/progress_step.hpp"

namespace sb::sync {
namespace {

constexpr std::size_t kMaxDetail = 500;  // a step's detail, as the ABI bounds it

std::optional<SyncDirection> directionOf(const std::string& action) {
  if (action == "pull") return SyncDirection::PullOnly;
  if (action == "push") return SyncDirection::PushOnly;
  if (action == "sync") return SyncDirection::Both;
  return std::nullopt;
}

ActionRunOutcome failure(sb_status status, std::string reason) {
  ActionRunOutcome out;
  out.status = status;
  out.reason = std::move(reason);
  return out;
}

std::string listed(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// Why execute refused, as the action's failure: what to do next.
ActionRunOutcome refusal(const ExecuteOutcome& outcome, const std::string& projectId) {
  const std::string sync = "/api/v1/projects/" + projectId + "/sync";
  if (!outcome.unresolved.empty()) {
    return failure(SB_ERR_CONFLICT, std::to_string(outcome.unresolved.size()) + " file(s) changed on both sides (" +
                                        listed(outcome.unresolved) + "): pick a side for each in the sync preview "
                                        "(GET " + sync + ") and run it with POST " + sync +
                                        " {conflict_resolutions: {path: keep_local|keep_remote}}");
  }
  if (!outcome.unconfirmedOrphans.empty()) {
    return failure(SB_ERR_CONFLICT, "the pull would orphan active workflows (" + listed(outcome.unconfirmedOrphans) +
                                        "); review them in the sync preview (GET " + sync +
                                        ") and confirm with params {confirm_orphans: true} or POST " + sync +
                                        " {confirm_orphans: true}");
  }
  const ErrorCode code = outcome.refusal.code();
  return failure(code == ErrorCode::Conflict ? SB_ERR_CONFLICT
                 : code == ErrorCode::InvalidArgument ? SB_ERR_INVALID_ARGUMENT
                                                      : SB_ERR_UNAVAILABLE,
                 outcome.refusal.message());
}

// What the sync pool and the waiting action share; the action's step
// callback is dropped once the action stops waiting (it dies with it).
struct Waiter {
  std::mutex mutex;
  std::condition_variable ended;
  std::function<void(const PluginStep&)> step;
  std::optional<SyncJobRecord> job;
};

std::string stepLabel(const std::string& phase) {
  if (phase == "pulling") return "Pulling files";
  if (phase == "pushing") return "Pushing files";
  return "Resolving conflicts";
}

ActionRunOutcome runSync(SyncService& service, const ActionRecord& record, const PluginCall& call) {
  const std::optional<SyncDirection> direction = directionOf(record.action);
  if (!direction) return failure(SB_ERR_NOT_SUPPORTED, "no host-run action '" + record.action + "'");
  ExecuteRequest request;
  request.direction = *direction;
  try {
    Poco::JSON::Object::Ptr params = Poco::JSON::Parser().parse(record.paramsJson).extract<Poco::JSON::Object::Ptr>();
    for (const auto& [name, value] : *params) {
      if (name != "confirm_orphans" || !value.isBoolean()) {
        return failure(SB_ERR_INVALID_ARGUMENT, "the only parameter is confirm_orphans (a boolean)");
      }
      request.confirmOrphans = value.extract<bool>();
    }
  } catch (const std::exception&) {
    return failure(SB_ERR_INVALID_ARGUMENT, "params must be a JSON object");
  }
  auto waiter = std::make_shared<Waiter>();
  waiter->step = call.step;
  request.onProgress = [waiter](const std::string& phase, std::uint64_t done, std::uint64_t total,
                                const std::string& path) {
    std::lock_guard lock(waiter->mutex);
    if (!waiter->step) return;
    waiter->step(PluginStep{phase, stepLabel(phase), done == total ? StepState::Succeeded : StepState::Running, done,
                            total, path.substr(0, kMaxDetail)});
  };
  request.onEnd = [waiter](const SyncJobRecord& job) {
    std::lock_guard lock(waiter->mutex);
    waiter->job = job;
    waiter->ended.notify_all();
  };
  User caller;
  caller.id = record.userId;
  const ExecuteOutcome outcome = service.execute(caller, record.projectId, request);
  if (!outcome.refusal) return refusal(outcome, record.projectId);

  std::unique_lock lock(waiter->mutex);
  const auto waitMs = std::max<std::int64_t>(0, call.deadlineMs - systemNowMs());
  waiter->ended.wait_for(lock, std::chrono::milliseconds(waitMs), [&] { return waiter->job.has_value(); });
  waiter->step = nullptr;  // the action's callback ends with this call
  if (!waiter->job) {
    return failure(SB_ERR_TIMEOUT, "the sync is still running as job " + outcome.job->id + "; read GET /api/v1/projects/" +
                                       record.projectId + "/sync/jobs/" + outcome.job->id);
  }
  const SyncJobRecord& job = *waiter->job;
  if (job.state != SyncJobState::Succeeded) {
    std::string detail = "the sync failed";
    try {
      detail = Poco::JSON::Parser().parse(job.errorJson).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("detail");
    } catch (const std::exception&) {
    }
    return failure(SB_ERR_UNAVAILABLE, "sync job " + job.id + ": " + detail);
  }
  Poco::JSON::Object::Ptr result = Poco::JSON::Parser().parse(job.resultJson.empty() ? "{}" : job.resultJson)
                                       .extract<Poco::JSON::Object::Ptr>();
  result->set("jobId", job.id);
  ActionRunOutcome out;
  out.resultJson = jsonText(*result);
  return out;
}

}  // namespace

actions::HostActions syncQuickActions(SyncService& service) {
  actions::HostActions out;
  SyncService* target = &service;
  out.handles = [target](const std::string& key, const std::string& action) {
    return directionOf(action).has_value() && target->isSource(key);
  };
  out.run = [target](const ActionRecord& record, const PluginCall& call) { return runSync(*target, record, call); };
  return out;
}

}  // namespace sb::sync
