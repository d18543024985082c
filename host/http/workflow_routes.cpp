// /api/v1/projects/{id}/workflows[...]: the workflows derived from
// workflows/*.yaml (workflows/workflow_derivation.hpp) and orphan handling.
// Members read; editors and above recreate and replace; owners and admins
// deactivate (it stops something other people may rely on, like removing a
// member). Every refusal goes through failureReply (problem+json).
// A run (POST …/runs) plans the whole run first (parameters, nested calls,
// cycles: workflows/run_plan.hpp), then starts each quick action through
// ActionService::accept in step order, held, so each step meets the caller's
// permission, the rate limit and the Idempotency-Key (the run's key plus the
// step's path) before any runs; then ActionService::runInOrder runs them one
// after another (a failure skips the rest), each reporting `workflow.progress`.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "actions/action_service.hpp"
#include "auth/tokens.hpp"
#include "core/clock.hpp"
#include "core/json_text.hpp"
#include "events/event_hub.hpp"
#include "http/api_routes.hpp"
#include "http/json_body.hpp"
#include "http/json_views.hpp"
#include "http/project_lookup.hpp"
#include "store/store.hpp"
#include "workflows/compatibility.hpp"
#include "workflows/run_plan.hpp"
#include "workflows/workflow_derivation.hpp"
#include "workflows/workflow_file.hpp"

namespace sb::http {
namespace {

Result<VisibleProject> projectFor(Store& store, const ApiRequest& request, Role needed, const char* what) {
  auto visible = loadVisibleProject(store.projects(), request.principal->user, request.param("id"));
  if (!visible) return visible.status();
  if (!roleAtLeast(visible->callerRole, needed)) {
    return Status(ErrorCode::PermissionDenied, std::string(what) + " " + roleRequirement(needed));
  }
  return visible;
}

Result<WorkflowRecord> workflowOf(Store& store, const std::string& projectId, const std::string& id) {
  auto found = store.workflows().get(projectId, id);
  if (!found) return found.status();
  if (!found->has_value()) return Status(ErrorCode::NotFound, "no workflow '" + id + "' in this project", "wid");
  return **found;
}

// The project, the caller's right and the workflow, in that order.
struct WorkflowTarget {
  VisibleProject visible;
  WorkflowRecord workflow;
};

Result<WorkflowTarget> targetOf(Store& store, const ApiRequest& request, Role needed, const char* what) {
  auto visible = projectFor(store, request, needed, what);
  if (!visible) return visible.status();
  auto workflow = workflowOf(store, visible->project.id, request.param("wid"));
  if (!workflow) return workflow.status();
  return WorkflowTarget{std::move(*visible), std::move(*workflow)};
}

ApiReply listWorkflows(Store& store, ApiRequest& request) {
  std::optional<bool> orphaned;
  for (const auto& [name, value] : request.query) {
    if (name != "orphaned" || (value != "true" && value != "false")) {
      return failureReply(request, Status(ErrorCode::InvalidArgument,
                                          "the only query parameter is orphaned=true|false", name));
    }
    orphaned = value == "true";
  }
  auto visible = projectFor(store, request, Role::Viewer, "reading workflows");
  if (!visible) return failureReply(request, visible.status());
  auto all = store.workflows().list(visible->project.id);
  if (!all) return failureReply(request, all.status());
  Poco::JSON::Array items;
  for (const WorkflowRecord& workflow : *all) {
    if (!orphaned || workflow.orphaned == *orphaned) items.add(workflowJson(workflow, false));
  }
  return itemsReply(items);
}

ApiReply getWorkflow(Store& store, ApiRequest& request) {
  auto target = targetOf(store, request, Role::Viewer, "reading workflows");
  if (!target) return failureReply(request, target.status());
  Poco::JSON::Object out = workflowJson(target->workflow, true);
  auto runs = store.workflows().runCount(target->visible.project.id, target->workflow.id);
  if (!runs) return failureReply(request, runs.status());
  out.set("runs", *runs);
  return jsonReply(200, out);
}

// The workflows of the project other than `orphan` that can stand in for it.
Result<std::vector<WorkflowRecord>> replacementsFor(Store& store, const WorkflowRecord& orphan) {
  auto all = store.workflows().list(orphan.projectId);
  if (!all) return all.status();
  const auto needed = workflows::parametersFromJson(orphan.parametersJson);
  std::vector<WorkflowRecord> out;
  for (WorkflowRecord& candidate : *all) {
    if (candidate.id == orphan.id || candidate.orphaned || !candidate.active) continue;
    if (workflows::incompatibility(needed, workflows::parametersFromJson(candidate.parametersJson)).empty()) {
      out.push_back(std::move(candidate));
    }
  }
  return out;
}

ApiReply compatibleReplacements(Store& store, ApiRequest& request) {
  auto target = targetOf(store, request, Role::Viewer, "reading workflows");
  if (!target) return failureReply(request, target.status());
  auto found = replacementsFor(store, target->workflow);
  if (!found) return failureReply(request, found.status());
  Poco::JSON::Array items;
  for (const WorkflowRecord& workflow : *found) items.add(workflowJson(workflow, false));
  return itemsReply(items);
}

ApiReply deactivateWorkflow(Store& store, ApiRequest& request) {
  auto target = targetOf(store, request, Role::Admin, "deactivating a workflow");
  if (!target) return failureReply(request, target.status());
  if (Status done = store.workflows().deactivate(target->visible.project.id, target->workflow.id); !done) {
    return failureReply(request, done);
  }
  auto updated = workflowOf(store, target->visible.project.id, target->workflow.id);
  if (!updated) return failureReply(request, updated.status());
  return jsonReply(200, workflowJson(*updated, false));
}

// Writes the stored source back to its path, as a local change; refuses (409)
// when another live file now sits there, which recreating would overwrite.
ApiReply recreateWorkflow(Store& store, ApiRequest& request) {
  auto target = targetOf(store, request, Role::Editor, "recreating a workflow");
  if (!target) return failureReply(request, target.status());
  const WorkflowRecord& workflow = target->workflow;
  if (!workflow.orphaned) {
    return failureReply(request, Status(ErrorCode::Conflict, "workflow '" + workflow.id + "' is not orphaned; its file "
                                                             "'" + workflow.path + "' is current"));
  }
  const std::string projectId = target->visible.project.id;
  FileCondition absent;
  absent.mustNotExist = true;
  auto written = store.transaction(
      [&](Tx& tx) { return workflows::putAndDerive(tx, projectId, workflow.path, workflow.source, absent); });
  if (!written) return failureReply(request, written.status());
  if (*written == FileWrite::PreconditionFailed) {
    return failureReply(request, Status(ErrorCode::Conflict, "another file now lives at '" + workflow.path +
                                                             "'; move or delete it first", "path"));
  }
  auto updated = workflowOf(store, projectId, workflow.id);
  if (!updated) return failureReply(request, updated.status());
  return jsonReply(200, workflowJson(*updated, false));
}

// Every occurrence of `from` in `text` as `to` (workflow ids are UUIDs, so
// an occurrence is a reference).
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

bool callsWorkflow(const WorkflowRecord& caller, const std::string& id) {
  for (const workflows::WorkflowStep& step : workflows::stepsFromJson(caller.stepsJson)) {
    if (step.workflow == id) return true;
  }
  return false;
}

// Repoints every live workflow file whose steps call the orphan, as local
// changes (ready to push), moves the orphan's runs to the replacement and
// removes the orphan: one unit of work.
ApiReply replaceWorkflow(Store& store, ApiRequest& request) {
  const JsonBody body = parseJsonObjectBody(request, {"replacementId"});
  if (body.problem) return problemReply(request, *body.problem);
  auto replacementId = requiredString(*body.object, "replacementId");
  if (!replacementId) return failureReply(request, replacementId.status());
  auto target = targetOf(store, request, Role::Editor, "replacing a workflow");
  if (!target) return failureReply(request, target.status());
  const WorkflowRecord& orphan = target->workflow;
  const std::string projectId = target->visible.project.id;
  if (!orphan.orphaned) {
    return failureReply(request, Status(ErrorCode::Conflict, "workflow '" + orphan.id + "' is not orphaned; only an "
                                                             "orphan is replaced"));
  }
  auto replacement = store.workflows().get(projectId, *replacementId);
  if (!replacement) return failureReply(request, replacement.status());
  if (!replacement->has_value() || *replacementId == orphan.id) {
    return problemReply(request, problemForInvalidField("replacementId", "no other workflow '" + *replacementId +
                                                                             "' in this project"));
  }
  const std::string why = workflows::incompatibility(workflows::parametersFromJson(orphan.parametersJson),
                                                     workflows::parametersFromJson((*replacement)->parametersJson));
  if (!why.empty()) {
    return problemReply(request, problemForInvalidField("replacementId", "workflow '" + *replacementId +
                                                                             "' cannot replace the orphan: " + why));
  }
  Poco::JSON::Array rewritten;
  const Status done = store.transaction([&](Tx& tx) -> Status {
    auto all = tx.workflows().list(projectId);
    if (!all) return all.status();
    for (const WorkflowRecord& caller : *all) {
      if (caller.orphaned || !callsWorkflow(caller, orphan.id)) continue;
      auto file = tx.workspace().get(projectId, caller.path);
      if (!file) return file.status();
      if (!file->has_value() || (*file)->deleted) continue;
      const std::string text = replaced((*file)->content, orphan.id, *replacementId);
      auto written = workflows::putAndDerive(tx, projectId, caller.path, text, FileCondition{});
      if (!written) return written.status();
      rewritten.add(caller.path);
    }
    return tx.workflows().mergeInto(projectId, orphan.id, *replacementId);
  });
  if (!done) return failureReply(request, done);
  auto updated = workflowOf(store, projectId, *replacementId);
  if (!updated) return failureReply(request, updated.status());
  Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
  out.set("replacement", workflowJson(*updated, false));
  out.set("rewritten", rewritten);
  return jsonReply(200, out);
}

workflows::RunnableWorkflow runnableOf(const WorkflowRecord& record) {
  return {record.id, record.active, workflows::parametersFromJson(record.parametersJson),
          workflows::stepsFromJson(record.stepsJson)};
}

ApiReply planProblem(const ApiRequest& request, const Status& status) {
  if (status.code() == ErrorCode::InvalidArgument) {
    return problemReply(request, problemForInvalidField(status.field(), status.message()));
  }
  return failureReply(request, status);
}

void publishProgress(Store& store, events::EventHub* hub, const std::string& projectId, const std::string& runId,
                     const Poco::JSON::Object& payload) {
  NewEvent event;
  event.projectId = projectId;
  event.type = "workflow.progress";
  event.subject = runId;
  for (auto& slot : event.payloads) slot = jsonText(payload);  // every member may read workflows
  if (store.events().append(event, systemNowMs()) && hub != nullptr) hub->notify();
}

// How a run shows an action: its state, or "skipped" for a step that never
// started (failed with error code "skipped").
std::string stepState(const ActionRecord& record) {
  if (record.state == ActionState::Failed && record.errorJson.find("\"code\":\"skipped\"") != std::string::npos) {
    return "skipped";
  }
  return toString(record.state);
}

// A `workflow.progress` event per step as it starts and as it ends:
// {runId, workflowId, step, of, path, provider, action, actionId, state}.
actions::ActionService::StepObserver progressObserver(Store& store, events::EventHub* hub, const std::string& runId,
                                                      const std::string& workflowId,
                                                      const std::vector<workflows::PlannedAction>& planned) {
  return [&store, hub, runId, workflowId, planned](std::size_t index, const ActionRecord& record) {
    const workflows::PlannedAction& step = planned[index];
    Poco::JSON::Object progress(Poco::JSON_PRESERVE_KEY_ORDER);
    progress.set("runId", runId);
    progress.set("workflowId", workflowId);
    progress.set("step", static_cast<int>(index + 1));
    progress.set("of", static_cast<int>(planned.size()));
    progress.set("path", step.path);
    progress.set("provider", step.provider);
    progress.set("action", step.action);
    progress.set("actionId", record.id);
    progress.set("state", stepState(record));
    publishProgress(store, hub, record.projectId, runId, progress);
  };
}

// {id, workflowId, state, actions, steps: [{step, actionId, provider, action, state}], createdAt}:
// the run's state follows its steps (failed once one failed, succeeded when all did).
Result<Poco::JSON::Object> runJson(Store& store, const WorkflowRun& run) {
  Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
  Poco::JSON::Array::Ptr ids = Poco::JSON::Parser().parse(run.actionIdsJson).extract<Poco::JSON::Array::Ptr>();
  Poco::JSON::Array steps;
  std::size_t succeeded = 0;
  bool failed = false;
  for (std::size_t i = 0; i < ids->size(); ++i) {
    const std::string actionId = ids->getElement<std::string>(static_cast<unsigned>(i));
    auto action = store.actions().get(actionId);
    if (!action) return action.status();
    Poco::JSON::Object step(Poco::JSON_PRESERVE_KEY_ORDER);
    step.set("step", static_cast<int>(i + 1));
    step.set("actionId", actionId);
    if (action->has_value()) {
      const ActionRecord& record = **action;
      step.set("provider", record.provider);
      step.set("action", record.action);
      step.set("state", stepState(record));
      succeeded += record.state == ActionState::Succeeded ? 1 : 0;
      failed = failed || record.state == ActionState::Failed;
    }
    steps.add(step);
  }
  out.set("id", run.id);
  out.set("workflowId", run.workflowId);
  out.set("state", failed ? "failed" : succeeded == ids->size() ? "succeeded" : "running");
  out.set("actions", ids);
  out.set("steps", steps);
  out.set("createdAt", run.createdAt);
  return out;
}

ApiReply runWorkflow(Store& store, actions::ActionService& service, events::EventHub* hub, ApiRequest& request) {
  const std::string* key = request.header("idempotency-key");
  if (Status bad = checkIdempotencyKey(key); !bad) return failureReply(request, bad);
  std::string paramsJson = "{}";
  if (!request.body.empty()) {
    const JsonBody body = parseJsonObjectBody(request, {"params"});
    if (body.problem) return problemReply(request, *body.problem);
    if (body.object->has("params")) {
      Poco::JSON::Object::Ptr params = body.object->getObject("params");
      if (params.isNull()) return planProblem(request, Status(ErrorCode::InvalidArgument, "params must be an object", "params"));
      paramsJson = jsonText(*params);
    }
  }
  auto target = targetOf(store, request, Role::Editor, "running a workflow");
  if (!target) return failureReply(request, target.status());
  const std::string projectId = target->visible.project.id;
  const workflows::WorkflowLookup lookup = [&](const std::string& id) -> std::optional<workflows::RunnableWorkflow> {
    auto found = store.workflows().get(projectId, id);
    if (!found || !found->has_value()) return std::nullopt;
    return runnableOf(**found);
  };
  auto planned = workflows::planRun(lookup, runnableOf(target->workflow), paramsJson);
  if (!planned) return planProblem(request, planned.status());

  const std::string runId = "wfrun_" + sha256Hex(projectId + '\n' + target->workflow.id + '\n' + *key).substr(0, 32);
  const actions::ActionCaller caller{request.principal->user, target->visible.callerRole};
  Poco::JSON::Array actionIds;
  std::vector<std::string> accepted;
  for (std::size_t i = 0; i < planned->size(); ++i) {
    const workflows::PlannedAction& step = (*planned)[i];
    actions::ActionRequest action;
    action.projectId = projectId;
    action.provider = step.provider;
    action.action = step.action;
    action.paramsJson = jsonText(*Poco::JSON::Parser().parse(step.paramsJson).extract<Poco::JSON::Object::Ptr>());
    action.idempotencyKey = *key + "/" + step.path;
    action.requestHash = sha256Hex(projectId + '\n' + action.provider + '\n' + action.action + '\n' + action.paramsJson);
    action.held = true;  // every step is accepted first; then they run one after another
    const actions::AcceptReply reply = service.accept(caller, action);
    if (reply.httpStatus / 100 != 2) {
      service.discardHeld(accepted, "step " + std::to_string(i + 1) + " of the run was refused");
      ApiReply refused = problemReply(request, problemForHttpStatus(reply.httpStatus,
                                                                    "step " + std::to_string(i + 1) + " (" + step.path +
                                                                        "): " + reply.problemDetail,
                                                                    reply.problemField));
      for (const auto& header : reply.headers) refused.headers.push_back(header);
      return refused;
    }
    accepted.push_back(
        Poco::JSON::Parser().parse(reply.body).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("id"));
    actionIds.add(accepted.back());
  }
  std::ostringstream ids;
  actionIds.stringify(ids);
  WorkflowRun run{runId, projectId, target->workflow.id, ids.str(), request.principal->user.id, ""};
  if (Status recorded = store.workflows().recordRun(run); !recorded) {
    service.discardHeld(accepted, "the run could not be recorded");
    return failureReply(request, recorded);
  }
  service.runInOrder(accepted, progressObserver(store, hub, runId, target->workflow.id, *planned));
  auto stored = store.workflows().getRun(projectId, runId);
  if (!stored) return failureReply(request, stored.status());
  auto shown = runJson(store, stored->has_value() ? **stored : run);
  if (!shown) return failureReply(request, shown.status());
  ApiReply reply = jsonReply(202, *shown);
  reply.headers.emplace_back("Location",
                             "/api/v1/projects/" + projectId + "/workflows/" + target->workflow.id + "/runs/" + runId);
  return reply;
}

ApiReply getRun(Store& store, ApiRequest& request) {
  auto target = targetOf(store, request, Role::Viewer, "reading workflows");
  if (!target) return failureReply(request, target.status());
  auto run = store.workflows().getRun(target->visible.project.id, request.param("rid"));
  if (!run) return failureReply(request, run.status());
  if (!run->has_value() || (*run)->workflowId != target->workflow.id) {
    return failureReply(request, Status(ErrorCode::NotFound, "no run '" + request.param("rid") + "' of this workflow", "rid"));
  }
  auto shown = runJson(store, **run);
  if (!shown) return failureReply(request, shown.status());
  return jsonReply(200, *shown);
}

}  // namespace

void addWorkflowRoutes(Router& router, const ApiContext& context) {
  Store* store = context.store;
  const std::string base = "/api/v1/projects/{id}/workflows";
  router.add("GET", base, RouteAccess::Bearer, [store](ApiRequest& request) { return listWorkflows(*store, request); });
  router.add("GET", base + "/{wid}", RouteAccess::Bearer,
             [store](ApiRequest& request) { return getWorkflow(*store, request); });
  router.add("GET", base + "/{wid}/compatible-replacements", RouteAccess::Bearer,
             [store](ApiRequest& request) { return compatibleReplacements(*store, request); });
  router.add("POST", base + "/{wid}/deactivate", RouteAccess::Bearer,
             [store](ApiRequest& request) { return deactivateWorkflow(*store, request); });
  actions::ActionService* service = context.actions;
  events::EventHub* hub = context.events;
  router.add("POST", base + "/{wid}/runs", RouteAccess::Bearer, [store, service, hub](ApiRequest& request) {
    if (service == nullptr) return failureReply(request, Status(ErrorCode::Unavailable, "quick actions are not configured"));
    return runWorkflow(*store, *service, hub, request);
  });
  router.add("POST", base + "/{wid}/replace", RouteAccess::Bearer,
             [store](ApiRequest& request) { return replaceWorkflow(*store, request); });
  router.add("GET", base + "/{wid}/runs/{rid}", RouteAccess::Bearer,
             [store](ApiRequest& request) { return getRun(*store, request); });
  router.add("POST", base + "/{wid}/recreate", RouteAccess::Bearer,
             [store](ApiRequest& request) { return recreateWorkflow(*store, request); });
}

}  // namespace sb::http
