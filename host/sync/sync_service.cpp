#include "sync/sync_service.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>

#include <chrono>
#include <functional>
#include <set>
#include <sstream>

#include "core/base64_text.hpp"
#include "core/clock.hpp"
#include "core/json_writer.hpp"
#include "core/task_pool.hpp"
#include "events/event_hub.hpp"
#include "plugins/loaded_plugin.hpp"
#include "store/record_ids.hpp"
#include "store/store.hpp"
#include "sync/tree_listing.hpp"
#include "workflows/workflow_derivation.hpp"
#include "workflows/workflow_file.hpp"
#include "workspace/blob_sha.hpp"
#include "core/json_text.hpp"

namespace sb::sync {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("switchboard.sync"); }

Poco::Dynamic::Var parsed(const std::string& json) {
  if (json.empty()) return Poco::Dynamic::Var();
  try {
    Poco::JSON::Parser parser;
    return parser.parse(json);
  } catch (const std::exception&) {
    return Poco::Dynamic::Var();
  }
}

// Text goes into a tree entry as `content` (GitHub makes the blob); anything
// that is not valid UTF-8, or holds a NUL, is binary and goes as base64.
bool isText(const std::string& bytes) {
  const auto at = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  std::size_t i = 0;
  while (i < bytes.size()) {
    const unsigned char c = at(i);
    if (c == 0) return false;
    std::size_t extra = 0;
    unsigned char low = 0x80;  // the range of the first continuation byte (no overlongs, no surrogates)
    unsigned char high = 0xBF;
    if (c < 0x80) {
      extra = 0;
    } else if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      if (c == 0xE0) low = 0xA0;
      if (c == 0xED) high = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      if (c == 0xF0) low = 0x90;
      if (c == 0xF4) high = 0x8F;
    } else {
      return false;
    }
    if (extra > 0 && i + extra >= bytes.size()) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      const unsigned char next = at(i + k);
      if (k == 1 ? (next < low || next > high) : (next & 0xC0) != 0x80) return false;
    }
    i += extra + 1;
  }
  return true;
}

// Standard base64 with padding, as GitHub's blob API takes it.
std::string standardBase64(const std::string& bytes) {
  std::string text = encodeBase64Url(bytes);
  for (char& c : text) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (text.size() % 4 != 0) text.push_back('=');
  return text;
}

// `name`: [{"path","change","localChange"? (conflicts),"baseSha","localSha","remoteSha"}],
// an absent side's SHA null.
void writeItems(JsonWriter& out, const char* name, const std::vector<PlanItem>& items, bool conflict) {
  const auto sha = [&out](const char* key, const std::string& value) {
    out.key(key);
    if (value.empty()) {
      out.null();
    } else {
      out.string(value);
    }
  };
  out.key(name);
  out.open('[');
  for (const PlanItem& item : items) {
    out.open('{');
    out.field("path", item.path);
    out.field("change", toString(item.change));
    if (conflict) out.field("localChange", toString(item.localChange));
    sha("baseSha", item.baseSha);
    sha("localSha", item.localSha);
    sha("remoteSha", item.remoteSha);
    out.close('}');
  }
  out.close(']');
}

std::string failureCode(ErrorCode code) {
  switch (code) {
    case ErrorCode::Conflict: return "head_moved";
    case ErrorCode::Unauthenticated: return "unauthorized";
    case ErrorCode::Timeout: return "timeout";
    case ErrorCode::PermissionDenied: return "egress_refused";
    case ErrorCode::NotFound: return "not_found";
    default: return "sync_failed";
  }
}

}  // namespace

struct SyncService::Source {
  std::string key;
  std::shared_ptr<LoadedPlugin> plugin;
  Poco::JSON::Object context;  // {"projectId","key","baseUrl","settings","secrets","accessToken"?}
  std::shared_ptr<CallAccessToken> token;  // the link's connection token; null: none
  Role visibleTo = Role::Viewer;            // the least role that sees the link

  std::string request(const std::function<void(Poco::JSON::Object&)>& extra = {}) const {
    Poco::JSON::Object copy(context);
    if (extra) extra(copy);
    return jsonText(copy);
  }
};

SyncService::SyncService(SyncConfig config, Store& store, events::EventHub* hub, actions::ActionPlugins plugins,
                         std::string instanceId)
    : config_(config), store_(store), hub_(hub), plugins_(std::move(plugins)), instanceId_(std::move(instanceId)) {}

SyncService::~SyncService() { stop(); }

Status SyncService::start() {
  std::lock_guard lock(mutex_);
  if (running_) return Status::ok();
  pool_ = std::make_unique<TaskPool>(2, 64, "sb-sync");
  running_ = true;
  renewer_ = std::thread([this] { renewLoop(); });
  return Status::ok();
}

void SyncService::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!running_) return;
    running_ = false;
  }
  cancelled_->store(true);
  stopping_.notify_all();
  if (pool_) pool_->stop(TaskPool::Queued::Run);
  if (renewer_.joinable()) renewer_.join();
}

void SyncService::renewLoop() {
  std::unique_lock lock(mutex_);
  while (running_) {
    stopping_.wait_for(lock, std::chrono::milliseconds(config_.leaseMs / 3));
    if (!running_) break;
    lock.unlock();
    if (Status renewed = store_.workspace().renewJobLeases(instanceId_, systemNowMs() + config_.leaseMs); !renewed) {
      logger().warning("cannot renew sync leases: %s", renewed.message());
    }
    lock.lock();
  }
}

Result<SyncService::Source> SyncService::sourceOf(const std::string& projectId) {
  auto links = store_.integrations().listIntegrations(projectId);
  if (!links) return links.status();
  for (const IntegrationLink& link : *links) {
    std::shared_ptr<LoadedPlugin> plugin = plugins_.pluginFor ? plugins_.pluginFor(link.key) : nullptr;
    if (!plugin) continue;
    auto credentials = plugins_.credentials ? plugins_.credentials(link) : Result<LinkCredentials>(LinkCredentials{});
    if (!credentials) return credentials.status();
    Source source;
    source.key = link.key;
    source.plugin = plugin;
    source.context.set("projectId", projectId);
    source.context.set("key", link.key);
    source.context.set("baseUrl", plugins_.baseUrlFor ? plugins_.baseUrlFor(link.key) : std::string());
    source.context.set("settings", parsed(link.settingsJson));
    source.context.set("secrets", parsed(credentials->secretsJson));
    if (credentials->token) source.context.set("accessToken", credentials->token->current());
    source.token = credentials->token;
    source.visibleTo = link.visibleTo;
    return source;
  }
  return Status(ErrorCode::Conflict,
                "this project has no linked sync source; link a repository (e.g. the github integration) first");
}

Result<SetupReply> SyncService::setup(Role callerRole, const std::string& projectId, SetupCall call, int64_t limit) {
  auto source = sourceOf(projectId);
  if (!source) return source.status();
  if (!roleAtLeast(callerRole, source->visibleTo)) {
    return Status(ErrorCode::PermissionDenied, std::string("the project's sync link is visible only to the ") +
                                                   toString(source->visibleTo) + " role and above");
  }
  PluginCall pluginCall;
  pluginCall.deadlineMs = systemNowMs() + config_.deadlineMs;
  pluginCall.cancelled = cancelled_;
  pluginCall.accessToken = source->token;
  const std::string request = source->request([&](Poco::JSON::Object& object) {
    Poco::JSON::Object::Ptr params = new Poco::JSON::Object;
    if (limit > 0) params->set("limit", limit);
    object.set("params", params);
  });
  return runSetupCall(*source->plugin, call, request, pluginCall);
}

// The active workflows the pull would orphan: their file is deleted (a
// remote deletion to pull, or a conflict whose remote side is a deletion:
// keep_remote deletes), or changed so that it declares another id. Only the
// remote blobs of current workflow files are read, and only when changed.
static Status addWillOrphan(Store& store, const std::string& projectId,
                            const std::function<Result<std::string>(const PlanItem&)>& readRemote, SyncPlan& plan) {
  std::map<std::string, const PlanItem*> incoming;
  for (const PlanItem& item : plan.toPull) incoming[item.path] = &item;
  for (const PlanItem& item : plan.conflicts) incoming[item.path] = &item;
  if (incoming.empty()) return Status::ok();
  auto workflows = store.workflows().list(projectId);
  if (!workflows) return workflows.status();
  for (const WorkflowRecord& workflow : *workflows) {
    if (!workflow.active || workflow.orphaned) continue;
    auto found = incoming.find(workflow.path);
    if (found == incoming.end()) continue;
    const PlanItem& item = *found->second;
    bool orphans = item.remoteSha.empty();
    if (!orphans) {
      auto text = readRemote(item);
      if (!text) return text.status();
      const workflows::ParsedWorkflow parsed = workflows::parseWorkflowFile(item.path, *text);
      // An invalid file keeps the workflow's last good definition: no orphan.
      orphans = parsed.definition && parsed.definition->id != workflow.id;
    }
    if (orphans) plan.willOrphan.push_back({workflow.id, workflow.name, workflow.path});
  }
  return Status::ok();
}

Result<SyncPlan> SyncService::plan(const std::string& projectId, const Source& source) {
  auto local = store_.workspace().list(projectId);
  if (!local) return local.status();
  auto knownHead = store_.workspace().remoteHead(projectId);
  if (!knownHead) return knownHead.status();
  PluginCall call;
  call.deadlineMs = systemNowMs() + config_.deadlineMs;
  call.cancelled = cancelled_;
  call.accessToken = source.token;
  auto listed = source.plugin->syncListTree(
      source.request([&](Poco::JSON::Object& request) { request.set("knownHead", *knownHead); }), call);
  if (!listed) return listed.status();
  auto tree = parseTreeListing(*listed);
  std::string().swap(*listed);  // read: its text goes before the plan is made
  if (!tree) return tree.status();
  if (tree->unchanged && tree->head == *knownHead) {
    tree->entries = remoteAtBase(*local);
  } else if (!tree->hasEntries) {
    return Status(ErrorCode::Unavailable, "the sync source's tree listing has no entries");
  }
  SyncPlan out = comparePaths(*local, tree->entries, config_.maxFileBytes);
  out.remoteHead = tree->head;
  const auto readRemote = [&](const PlanItem& item) -> Result<std::string> {
    return source.plugin->syncRead(source.request([&](Poco::JSON::Object& request) {
      request.set("path", item.path);
      request.set("sha", item.remoteSha);
    }), call);
  };
  if (Status orphans = addWillOrphan(store_, projectId, readRemote, out); !orphans) return orphans;
  return out;
}

bool SyncService::isSource(const std::string& key) const {
  return plugins_.pluginFor && plugins_.pluginFor(key) != nullptr;
}

Result<SyncPlan> SyncService::preview(const std::string& projectId) {
  auto source = sourceOf(projectId);
  if (!source) return source.status();
  return plan(projectId, *source);
}

ExecuteOutcome SyncService::execute(const User& caller, const std::string& projectId, const ExecuteRequest& request) {
  ExecuteOutcome outcome;
  auto source = sourceOf(projectId);
  if (!source) {
    outcome.refusal = source.status();
    return outcome;
  }
  auto planned = plan(projectId, *source);
  if (!planned) {
    outcome.refusal = planned.status();
    return outcome;
  }
  if (request.direction == SyncDirection::PushOnly) {
    planned->leftToPull = planned->toPull.size();
    planned->toPull.clear();
    planned->willOrphan.clear();  // only a pull orphans
  } else if (request.direction == SyncDirection::PullOnly) {
    planned->toPush.clear();
  }
  std::set<std::string> conflicting;
  for (const PlanItem& item : planned->conflicts) conflicting.insert(item.path);
  for (const auto& [path, side] : request.resolutions) {
    if (conflicting.count(path) == 0) {
      outcome.refusal = Status(ErrorCode::InvalidArgument, "'" + path + "' is not in conflict; name only the paths "
                                                           "the preview lists under conflicts",
                               "conflict_resolutions." + path);
      return outcome;
    }
    if (side != "keep_local" && side != "keep_remote") {
      outcome.refusal = Status(ErrorCode::InvalidArgument, "a resolution is keep_local or keep_remote, got '" + side + "'",
                               "conflict_resolutions." + path);
      return outcome;
    }
  }
  for (const std::string& path : conflicting) {
    if (request.resolutions.count(path) == 0) outcome.unresolved.push_back(path);
  }
  if (!outcome.unresolved.empty()) {
    std::string list;
    for (const auto& path : outcome.unresolved) list += (list.empty() ? "" : ", ") + path;
    outcome.refusal = Status(ErrorCode::Conflict, "unresolved conflicts: " + list +
                                                      "; send conflict_resolutions {path: keep_local|keep_remote}",
                             "conflict_resolutions");
    return outcome;
  }
  // Orphaning never deactivates (the workflow stays runnable), but the caller
  // says it knows.
  if (!request.confirmOrphans && !planned->willOrphan.empty()) {
    std::string list;
    for (const OrphanItem& orphan : planned->willOrphan) {
      outcome.unconfirmedOrphans.push_back(orphan.workflowId);
      list += (list.empty() ? "" : ", ") + orphan.workflowId + " (" + orphan.path + ")";
    }
    outcome.refusal = Status(ErrorCode::Conflict, "the pull would orphan active workflows: " + list +
                                                      "; send confirm_orphans: true", "confirm_orphans");
    return outcome;
  }

  SyncJobRecord job;
  job.id = store::newRecordId("sync_");
  job.projectId = projectId;
  job.userId = caller.id;
  job.state = SyncJobState::Pending;
  Poco::JSON::Object requestJson;
  Poco::JSON::Object resolutions;
  for (const auto& [path, side] : request.resolutions) resolutions.set(path, side);
  requestJson.set("conflict_resolutions", resolutions);
  requestJson.set("remoteHead", planned->remoteHead);
  requestJson.set("direction", request.direction == SyncDirection::Both       ? "both"
                               : request.direction == SyncDirection::PullOnly ? "pull"
                                                                              : "push");
  job.requestJson = jsonText(requestJson);
  job.progressJson = "{}";
  job.leaseOwner = instanceId_;
  const std::int64_t now = systemNowMs();
  job.leaseExpiresMs = now + config_.leaseMs;
  job.createdAt = store::utcNow();
  job.updatedAt = job.createdAt;
  if (Status inserted = store_.workspace().insertJob(job, now); !inserted) {
    outcome.refusal = inserted;
    return outcome;
  }
  auto shared = std::make_shared<Source>(std::move(*source));
  const bool queued = pool_ && pool_->submit([this, job, plan = std::move(*planned), request, shared]() mutable {
    run(std::move(job), std::move(plan), std::move(request), std::move(shared));
  });
  if (!queued) {
    job.state = SyncJobState::Failed;
    job.errorJson = errorJson("overloaded", "too many syncs are waiting to run; try again later");
    job.leaseOwner.clear();
    if (Status updated = store_.workspace().updateJob(job); !updated) {
      logger().warning("sync %s: cannot record its failure: %s", job.id, updated.message());
    }
    if (request.onEnd) request.onEnd(job);
  }
  outcome.job = job;
  return outcome;
}

Result<std::optional<SyncJobRecord>> SyncService::job(const std::string& projectId, const std::string& jobId) {
  return store_.workspace().getJob(projectId, jobId);
}

void SyncService::publish(const SyncJobRecord& job, const char* type, const std::string& payload) {
  NewEvent event;
  event.projectId = job.projectId;
  event.type = type;
  event.subject = job.id;
  // Every member may read the workspace, so every role gets the same payload.
  for (auto& slot : event.payloads) slot = payload;
  auto appended = store_.events().append(event, systemNowMs());
  if (!appended) {
    logger().warning("sync %s: cannot record its %s event: %s", job.id, std::string(type), appended.status().message());
    return;
  }
  if (hub_ != nullptr) hub_->notify();
}

void SyncService::run(SyncJobRecord job, SyncPlan plan, ExecuteRequest request, std::shared_ptr<Source> source) {
  std::mutex progressMutex;
  auto lastWrite = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  std::string lastPhase;
  // One event per file; the job record at most every 200 ms and at each new phase.
  auto progress = [&](const std::string& phase, std::uint64_t done, std::uint64_t total, const std::string& path) {
    std::lock_guard lock(progressMutex);
    Poco::JSON::Object step(Poco::JSON_PRESERVE_KEY_ORDER);
    step.set("jobId", job.id);
    step.set("phase", phase);
    step.set("done", done);
    step.set("total", total);
    step.set("path", path);
    step.set("message", phase + " " + std::to_string(done) + "/" + std::to_string(total) + ": " + path);
    job.progressJson = jsonText(step);
    publish(job, "sync.progress", job.progressJson);
    if (request.onProgress) request.onProgress(phase, done, total, path);
    const auto now = std::chrono::steady_clock::now();
    if (phase != lastPhase || now - lastWrite > std::chrono::milliseconds(200) || done == total) {
      lastPhase = phase;
      lastWrite = now;
      if (Status updated = store_.workspace().updateJob(job); !updated) {
        logger().warning("sync %s: cannot record progress: %s", job.id, updated.message());
      }
    }
  };
  auto finish = [&](SyncJobState state, const std::string& resultJson, const std::string& errorText) {
    std::lock_guard lock(progressMutex);
    job.state = state;
    job.resultJson = resultJson;
    job.errorJson = errorText;
    job.leaseOwner.clear();
    job.leaseExpiresMs = 0;
    if (Status updated = store_.workspace().updateJob(job); !updated) {
      logger().error("sync %s: cannot record its end: %s", job.id, updated.message());
    }
    Poco::JSON::Object payload(Poco::JSON_PRESERVE_KEY_ORDER);
    payload.set("jobId", job.id);
    payload.set("state", toString(state));
    if (!resultJson.empty()) payload.set("result", parsed(resultJson));
    if (!errorText.empty()) payload.set("error", parsed(errorText));
    publish(job, "sync.completed", jsonText(payload));
    if (request.onEnd) request.onEnd(job);
  };
  auto fail = [&](const Status& status, const std::string& during) {
    logger().warning("sync %s of %s failed while %s: %s", job.id, job.projectId, during, status.message());
    finish(SyncJobState::Failed, "", errorJson(failureCode(status.code()), "while " + during + ": " + status.message() +
                                                                             "; nothing was changed"));
  };

  job.state = SyncJobState::Running;
  if (Status updated = store_.workspace().updateJob(job); !updated) {
    logger().warning("sync %s: cannot mark it running: %s", job.id, updated.message());
  }
  PluginCall call;
  call.deadlineMs = systemNowMs() + config_.deadlineMs;
  call.cancelled = cancelled_;
  call.accessToken = source->token;

  // What comes from the remote: pulls and conflicts resolved keep_remote.
  std::vector<const PlanItem*> fromRemote;
  std::vector<const PlanItem*> toRemote;
  for (const PlanItem& item : plan.toPull) fromRemote.push_back(&item);
  for (const PlanItem& item : plan.toPush) toRemote.push_back(&item);
  for (const PlanItem& item : plan.conflicts) {
    (request.resolutions.at(item.path) == "keep_remote" ? fromRemote : toRemote).push_back(&item);
  }

  // 1. Read every blob the pull needs; nothing is written yet.
  std::map<std::string, std::string> pulled;
  std::uint64_t done = 0;
  for (const PlanItem* item : fromRemote) {
    ++done;
    progress("pulling", done, fromRemote.size(), item->path);
    if (item->remoteSha.empty()) continue;  // a remote delete needs no read
    auto bytes = source->plugin->syncRead(source->request([&](Poco::JSON::Object& request) {
      request.set("path", item->path);
      request.set("sha", item->remoteSha);
    }), call);
    if (!bytes) return fail(bytes.status(), "reading " + item->path);
    if (workspace::gitBlobSha(*bytes) != item->remoteSha) {
      return fail(Status(ErrorCode::Unavailable, "the bytes read do not hash to the listed blob SHA"),
                  "reading " + item->path);
    }
    pulled[item->path] = std::move(*bytes);
  }
  done = 0;
  for (const PlanItem& item : plan.conflicts) {
    ++done;
    progress("resolving", done, plan.conflicts.size(), item.path + " (" + request.resolutions.at(item.path) + ")");
  }

  // 2. The push, as one commit on top of the previewed head.
  std::string newHead = plan.remoteHead;
  if (!toRemote.empty()) {
    Poco::JSON::Array::Ptr changes = new Poco::JSON::Array;
    for (const PlanItem* item : toRemote) {
      Poco::JSON::Object::Ptr change = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      change->set("path", item->path);
      if (item->localSha.empty()) {
        change->set("content", Poco::Dynamic::Var());
      } else {
        auto file = store_.workspace().get(job.projectId, item->path);
        if (!file) return fail(file.status(), "reading " + item->path);
        if (!file->has_value() || (*file)->deleted || (*file)->blobSha != item->localSha) {
          return fail(Status(ErrorCode::Conflict, "the local file changed after the preview; preview again"),
                      "reading " + item->path);
        }
        if (isText((*file)->content)) {
          change->set("content", (*file)->content);
        } else {
          change->set("contentBase64", standardBase64((*file)->content));
        }
      }
      changes->add(change);
    }
    const std::size_t total = toRemote.size();
    PluginCall writeCall = call;
    writeCall.progress = [&](std::uint64_t at, std::uint64_t, const std::string&) {
      if (at >= 1 && at <= total) progress("pushing", at, total, toRemote[at - 1]->path);
    };
    auto written = source->plugin->syncWrite(source->request([&](Poco::JSON::Object& request) {
      request.set("expectedHead", plan.remoteHead);
      request.set("message", "Sync from Switchboard (" + std::to_string(total) + " file" + (total == 1 ? "" : "s") + ")");
      request.set("changes", changes);
    }), writeCall);
    if (!written) return fail(written.status(), "pushing");
    Poco::Dynamic::Var reply = parsed(*written);
    Poco::JSON::Object::Ptr object =
        reply.type() == typeid(Poco::JSON::Object::Ptr) ? reply.extract<Poco::JSON::Object::Ptr>() : nullptr;
    if (object.isNull() || !object->has("head")) {
      return fail(Status(ErrorCode::Unavailable, "the sync source's write reply has no head"), "pushing");
    }
    newHead = object->getValue<std::string>("head");
  }

  // 3. The local side, all at once: pulled bytes, new bases, the new head.
  std::vector<SyncedFile> applied;
  for (const PlanItem* item : fromRemote) {
    SyncedFile file{item->path, std::nullopt, item->remoteSha};
    if (!item->remoteSha.empty()) file.content = pulled.at(item->path);
    applied.push_back(std::move(file));
  }
  for (const PlanItem* item : toRemote) applied.push_back({item->path, std::nullopt, item->localSha});
  for (const PlanItem& item : plan.converged) applied.push_back({item.path, std::nullopt, item.remoteSha});
  const Status committed = store_.transaction([&](Tx& tx) -> Status {
    // A pulled path edited locally since the preview keeps the edit: refuse the whole unit.
    auto local = tx.workspace().list(job.projectId);
    if (!local) return local.status();
    std::map<std::string, std::string> current;
    for (const WorkspaceFile& file : *local) current[file.path] = file.deleted ? std::string() : file.blobSha;
    for (const PlanItem* item : fromRemote) {
      if (current[item->path] != item->localSha) {
        return Status(ErrorCode::Conflict, "'" + item->path + "' changed locally during the sync");
      }
    }
    if (Status done = tx.workspace().applySynced(job.projectId, applied); !done) return done;
    // The workflows derived from pulled files commit with them (orphans included).
    for (const SyncedFile& file : applied) {
      if (!file.content && !file.sha.empty()) continue;  // kept local content: nothing to derive again
      auto derived = workflows::deriveFromFile(tx, job.projectId, file.path, file.content ? &*file.content : nullptr);
      if (!derived) return derived.status();
    }
    if (plan.leftToPull != 0) return Status::ok();  // a push only: the remote changes it left are still to pull
    return tx.workspace().setRemoteHead(job.projectId, newHead);
  });
  if (!committed) {
    const bool pushed = newHead != plan.remoteHead;
    logger().warning("sync %s: the local transaction failed: %s", job.id, committed.message());
    finish(SyncJobState::Failed, "",
           errorJson(failureCode(committed.code()),
                     "applying the pull: " + committed.message() + "; nothing changed locally" +
                         (pushed ? " (the push is on the remote as " + newHead + "; a new preview shows it as in sync)"
                                 : "")));
    return;
  }
  Poco::JSON::Object result(Poco::JSON_PRESERVE_KEY_ORDER);
  result.set("head", newHead);
  result.set("pulled", plan.toPull.size());
  result.set("pushed", plan.toPush.size());
  result.set("resolved", plan.conflicts.size());
  result.set("converged", plan.converged.size());
  result.set("skipped", plan.skipped.size());
  finish(SyncJobState::Succeeded, jsonText(result), "");
}

// Written straight into the reply: a plan of 100,000 paths would cost
// several times its size again as a Poco::JSON document.
std::string SyncService::planJson(const SyncPlan& plan) {
  JsonWriter out;
  const std::size_t items = plan.toPull.size() + plan.toPush.size() + plan.conflicts.size() + plan.converged.size();
  out.reserve(256 + items * 200);  // about an item's size with its three SHAs
  out.open('{');
  out.field("remoteHead", plan.remoteHead);
  writeItems(out, "to_pull", plan.toPull, false);
  writeItems(out, "to_push", plan.toPush, false);
  writeItems(out, "conflicts", plan.conflicts, true);
  writeItems(out, "converged", plan.converged, false);
  out.key("skipped");
  out.open('[');
  for (const SkippedItem& item : plan.skipped) {
    out.open('{');
    out.field("path", item.path);
    out.key("size");
    out.number(item.size);
    out.field("reason", item.reason);
    out.close('}');
  }
  out.close(']');
  out.key("will_orphan");
  out.open('[');
  for (const OrphanItem& item : plan.willOrphan) {
    out.open('{');
    out.field("id", item.workflowId);
    out.field("name", item.name);
    out.field("path", item.path);
    out.close('}');
  }
  out.close(']');
  out.key("is_empty");
  out.boolean(plan.isEmpty());
  out.close('}');
  return out.take();
}

std::string SyncService::jobJson(const SyncJobRecord& job) {
  Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
  out.set("id", job.id);
  out.set("projectId", job.projectId);
  out.set("state", toString(job.state));
  out.set("progress", job.progressJson.empty() || job.progressJson == "[]" ? parsed("{}") : parsed(job.progressJson));
  if (!job.resultJson.empty()) out.set("result", parsed(job.resultJson));
  if (!job.errorJson.empty()) out.set("error", parsed(job.errorJson));
  out.set("createdAt", job.createdAt);
  out.set("updatedAt", job.updatedAt);
  return jsonText(out);
}

}  // namespace sb::sync
