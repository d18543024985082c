// The sync source's `pull`, `push` and `sync` quick actions, run by the host
// (the host owns the workspace; the plugin only declares them): pull applies
// the remote-only changes, push pushes the local-only ones, sync does both;
// each is a SyncService job, one direction or both. Conflicts, and workflows
// a pull would orphan without params {confirm_orphans: true}, fail the action
// with what to do (the sync preview and execute). Every file of every phase
// is an action step. Thread-safety: the returned functions may be called from
// any thread; `service` must outlive them.
#pragma once

#include "actions/action_service.hpp"
#include "sync/sync_service.hpp"

namespace sb::sync {

actions::HostActions syncQuickActions(SyncService& service);

}  // namespace sb::sync
