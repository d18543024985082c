// Persistence for the host: one Database (Poco Data sessions from a pool,
// SQLite as the embedded default or PostgreSQL) and the repositories over it,
// one per aggregate, with forward-only numbered migrations. The only module
// that speaks SQL. Poco exceptions never escape: every call returns
// Status/Result.
//
// Each repository call is atomic on its own. A step across repositories is a
// unit of work: store.transaction([&](Tx& tx) { ... tx.projects() ... })
// commits when the lambda returns success and rolls back otherwise (or when
// any statement in it failed). Inside it use only `tx`'s repositories: the
// store's own ones take another session, which on SQLite waits for the lock
// the unit of work holds.
// Thread-safety: a Store and its repositories are safe to use from many
// threads at once; a Tx belongs to the thread running its unit of work.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "config/config.hpp"
#include "core/result.hpp"
#include "store/action_repository.hpp"
#include "store/catalog_repository.hpp"
#include "store/connection_repository.hpp"
#include "store/event_repository.hpp"
#include "store/integration_repository.hpp"
#include "store/project_repository.hpp"
#include "store/scope.hpp"
#include "store/user_repository.hpp"
#include "store/workflow_repository.hpp"
#include "store/workspace_repository.hpp"

namespace sb {

struct MigrationInfo {
  int version = 0;
  std::string name;
  std::string appliedAt;  // empty when pending
};

// The repositories of one scope: the pooled ones of a Store, or those of a unit of work.
class Repositories {
 public:
  explicit Repositories(store::Scope scope)
      : users_(scope), projects_(scope), catalog_(scope), integrations_(scope), events_(scope), actions_(scope),
        connections_(scope), workspace_(scope), workflows_(scope) {}

  UserRepository& users() { return users_; }
  ProjectRepository& projects() { return projects_; }
  CatalogRepository& catalog() { return catalog_; }
  IntegrationRepository& integrations() { return integrations_; }
  EventRepository& events() { return events_; }
  ActionRepository& actions() { return actions_; }
  ConnectionRepository& connections() { return connections_; }
  WorkspaceRepository& workspace() { return workspace_; }
  WorkflowRepository& workflows() { return workflows_; }

 private:
  UserRepository users_;
  ProjectRepository projects_;
  CatalogRepository catalog_;
  IntegrationRepository integrations_;
  EventRepository events_;
  ActionRepository actions_;
  ConnectionRepository connections_;
  WorkspaceRepository workspace_;
  WorkflowRepository workflows_;
};

// One open unit of work. Created only by Store::transaction.
class Tx : public Repositories {
 public:
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;

 private:
  friend class Store;
  explicit Tx(store::Scope scope) : Repositories(scope) {}
};

class Store : public Repositories {
 public:
  // Opens the pool (creating the SQLite file and its directory if needed).
  // Does not migrate.
  static Result<std::unique_ptr<Store>> open(const DatabaseConfig& config);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  std::string backend() const;  // "sqlite" | "postgresql"

  // Applies every pending migration, each in its own transaction, recording it
  // in schema_migrations. Returns how many were applied. Safe to call
  // concurrently from several instances (PostgreSQL: advisory lock).
  Result<int> migrate();
  Result<std::vector<MigrationInfo>> migrations();  // all known, applied or not
  Status ping();                                    // SELECT 1

  // Runs `work(Tx&)` in one write transaction. `work` returns Status or
  // Result<T>; that is what transaction() returns, unless a statement failed
  // or the commit did, which is then returned instead. Never repeated: a lost
  // COMMIT acknowledgement is ambiguous.
  template <class Work>
  auto transaction(Work&& work) -> decltype(work(std::declval<Tx&>()));

 private:
  explicit Store(std::unique_ptr<store::Database> database);
  Status runTransaction(const std::function<Status(Tx&)>& work);

  std::unique_ptr<store::Database> db_;
};

template <class Work>
auto Store::transaction(Work&& work) -> decltype(work(std::declval<Tx&>())) {
  using Returned = decltype(work(std::declval<Tx&>()));
  if constexpr (std::is_same_v<Returned, Status>) {
    return runTransaction(work);
  } else {
    std::optional<Returned> out;
    Status done = runTransaction([&](Tx& tx) {
      out.emplace(work(tx));
      return out->status();
    });
    if (!done.isOk()) return done;
    return std::move(*out);
  }
}

}  // namespace sb
