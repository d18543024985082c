// /api/v1/projects/{id}/files[/{path}]: the project's workspace files as raw
// bytes. Members read; editors and above write. The ETag of a file is its git
// blob SHA (a strong validator: equal SHA, equal bytes), so If-Match takes the
// SHA a client last saw and a write over someone else's change is 412. The
// path is the rest of the request path (Router::addSpanning), checked by
// workspace::checkWorkspacePath before anything else happens. A write or
// delete of workflows/*.yaml derives the workflows table in the same unit of
// work (workflows/workflow_derivation.hpp); the PUT reply carries the file's
// `workflowProblem` when it is not a valid workflow.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "http/api_routes.hpp"
#include "http/conditional_get.hpp"
#include "http/project_lookup.hpp"
#include "store/store.hpp"
#include "workspace/blob_sha.hpp"
#include "workflows/workflow_derivation.hpp"
#include "workspace/workspace_path.hpp"

namespace sb::http {
namespace {

// What the listing says of a file relative to its last sync.
const char* syncState(const WorkspaceFile& file) {
  if (file.deleted) return "deleted";
  if (file.baseSha.empty()) return "added";
  return file.blobSha == file.baseSha ? "synced" : "modified";
}

Poco::JSON::Object::Ptr fileJson(const WorkspaceFile& file) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  out->set("path", file.path);
  out->set("sha", file.blobSha.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(file.blobSha));
  out->set("size", file.size);
  out->set("baseSha", file.baseSha.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(file.baseSha));
  out->set("state", syncState(file));
  out->set("updatedAt", file.updatedAt);
  return out;
}

std::string strongEtag(const std::string& sha) { return "\"" + sha + "\""; }

// The project and the caller's role, or the refusal; `write` needs editor.
Result<VisibleProject> projectFor(Store& store, const ApiRequest& request, bool write) {
  auto visible = loadVisibleProject(store.projects(), request.principal->user, request.param("id"));
  if (!visible) return visible.status();
  if (write && !roleAtLeast(visible->callerRole, Role::Editor)) {
    return Status(ErrorCode::PermissionDenied, "changing workspace files " + roleRequirement(Role::Editor));
  }
  return visible;
}

// If-Match / If-None-Match of a write, or the 400 naming the header.
Result<FileCondition> conditionOf(const ApiRequest& request) {
  FileCondition condition;
  if (const std::string* ifMatch = request.header("if-match")) {
    condition.ifMatch = ifMatchTags(*ifMatch);
    if (!condition.ifMatch) {
      return Status(ErrorCode::InvalidArgument, "If-Match must be \"*\" or a list of entity tags, e.g. \"<blob sha>\"",
                    "If-Match");
    }
  }
  if (request.ifNoneMatch) {
    const auto tags = ifMatchTags(*request.ifNoneMatch);
    if (!tags || *tags != std::vector<std::string>{"*"}) {
      return Status(ErrorCode::InvalidArgument, "a write takes only If-None-Match: * (create, never replace)",
                    "If-None-Match");
    }
    condition.mustNotExist = true;
  }
  return condition;
}

ApiReply preconditionFailed(const ApiRequest& request, const std::string& path) {
  return problemReply(request, problemForHttpStatus(412, "file '" + path + "' is not in the state the request's "
                                                         "If-Match / If-None-Match expects; read it again",
                                                    "If-Match"));
}

ApiReply listFiles(Store& store, ApiRequest& request) {
  auto visible = projectFor(store, request, false);
  if (!visible) return failureReply(request, visible.status());
  auto files = store.workspace().list(visible->project.id);
  if (!files) return failureReply(request, files.status());
  Poco::JSON::Array items;
  for (const WorkspaceFile& file : *files) items.add(fileJson(file));
  return itemsReply(items);
}

ApiReply getFile(Store& store, ApiRequest& request) {
  const std::string& path = request.param("path");
  if (Status valid = workspace::checkWorkspacePath(path); !valid) return failureReply(request, valid);
  auto visible = projectFor(store, request, false);
  if (!visible) return failureReply(request, visible.status());
  auto file = store.workspace().get(visible->project.id, path);
  if (!file) return failureReply(request, file.status());
  if (!file->has_value() || (*file)->deleted) {
    return failureReply(request, Status(ErrorCode::NotFound, "no file '" + path + "' in this workspace", "path"));
  }
  const std::string etag = strongEtag((*file)->blobSha);
  ApiReply reply;
  reply.headers.emplace_back("ETag", etag);
  reply.headers.emplace_back("Cache-Control", "private, no-cache");
  if (request.ifNoneMatch && ifNoneMatchMatches(*request.ifNoneMatch, etag)) {
    reply.status = 304;
    return reply;
  }
  reply.status = 200;
  reply.contentType = "application/octet-stream";
  reply.body = std::move((*file)->content);
  return reply;
}

// What PUT and DELETE check first, in this order: the path, the caller's
// right to write, then the preconditions.
struct FileWriteTarget {
  VisibleProject visible;
  FileCondition condition;
};

Result<FileWriteTarget> writeTargetOf(Store& store, const ApiRequest& request) {
  if (Status valid = workspace::checkWorkspacePath(request.param("path")); !valid) return valid;
  auto visible = projectFor(store, request, true);
  if (!visible) return visible.status();
  auto condition = conditionOf(request);
  if (!condition) return condition.status();
  return FileWriteTarget{std::move(*visible), std::move(*condition)};
}

ApiReply putFile(Store& store, const SyncConfig& sync, ApiRequest& request) {
  const std::string& path = request.param("path");
  auto target = writeTargetOf(store, request);
  if (!target) return failureReply(request, target.status());
  const VisibleProject& visible = target->visible;
  const FileCondition& condition = target->condition;
  if (request.body.size() > sync.maxFileBytes) {
    return problemReply(request, problemForHttpStatus(413, "a workspace file may have at most " +
                                                               std::to_string(sync.maxFileBytes) +
                                                               " bytes (sync.max_file_bytes)"));
  }
  const std::string sha = workspace::gitBlobSha(request.body);
  std::optional<workflows::WorkflowProblem> problem;
  auto written = store.transaction([&](Tx& tx) {
    return workflows::putAndDerive(tx, visible.project.id, path, request.body, condition, &problem);
  });
  if (!written) return failureReply(request, written.status());
  if (*written == FileWrite::PreconditionFailed) return preconditionFailed(request, path);
  auto stored = store.workspace().get(visible.project.id, path);
  if (!stored) return failureReply(request, stored.status());
  Poco::JSON::Object::Ptr body =
      stored->has_value() ? fileJson(**stored) : Poco::JSON::Object::Ptr(new Poco::JSON::Object);
  if (problem) body->set("workflowProblem", workflows::problemJson(*problem));
  ApiReply reply = jsonReply(*written == FileWrite::Created ? 201 : 200, *body);
  reply.headers.emplace_back("ETag", strongEtag(sha));
  return reply;
}

ApiReply deleteFile(Store& store, ApiRequest& request) {
  const std::string& path = request.param("path");
  auto target = writeTargetOf(store, request);
  if (!target) return failureReply(request, target.status());
  const VisibleProject& visible = target->visible;
  const FileCondition& condition = target->condition;
  auto removed = store.transaction([&](Tx& tx) -> Result<FileWrite> {
    auto outcome = tx.workspace().remove(visible.project.id, path, condition);
    if (!outcome || *outcome != FileWrite::Removed) return outcome;
    auto derived = workflows::deriveFromFile(tx, visible.project.id, path, nullptr);
    if (!derived) return derived.status();
    return outcome;
  });
  if (!removed) return failureReply(request, removed.status());
  if (*removed == FileWrite::PreconditionFailed) return preconditionFailed(request, path);
  if (*removed == FileWrite::Missing) {
    return failureReply(request, Status(ErrorCode::NotFound, "no file '" + path + "' in this workspace", "path"));
  }
  return noContentReply();
}

}  // namespace

void addFileRoutes(Router& router, const ApiContext& context) {
  Store* store = context.store;
  const SyncConfig sync = context.sync;
  router.add("GET", "/api/v1/projects/{id}/files", RouteAccess::Bearer,
             [store](ApiRequest& request) { return listFiles(*store, request); });
  router.addSpanning("GET", "/api/v1/projects/{id}/files/{path}", RouteAccess::Bearer,
                     [store](ApiRequest& request) { return getFile(*store, request); });
  router.addSpanning("PUT", "/api/v1/projects/{id}/files/{path}", RouteAccess::Bearer,
                     [store, sync](ApiRequest& request) { return putFile(*store, sync, request); });
  router.addSpanning("DELETE", "/api/v1/projects/{id}/files/{path}", RouteAccess::Bearer,
                     [store](ApiRequest& request) { return deleteFile(*store, request); });
}

}  // namespace sb::http
