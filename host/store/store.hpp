// Persistence for the host: Poco Data sessions from a pool, SQLite (embedded
// default: WAL, foreign keys, busy timeout) or PostgreSQL, with forward-only
// numbered migrations applied in a transaction. The only module that speaks SQL.
// Thread-safety: a Store is safe to use from many threads at once (each call
// takes its own pooled session). Poco exceptions never escape: every method
// returns Status/Result.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "core/model.hpp"
#include "core/result.hpp"

namespace sb {

struct MigrationInfo {
  int version = 0;
  std::string name;
  std::string appliedAt;  // empty when pending
};

struct SchemaFilter {
  std::optional<std::string> category;
  std::optional<bool> featured;
  bool includeUnavailable = false;
};

class Store {
 public:
  virtual ~Store() = default;

  // Opens the pool (creating the SQLite file and its directory if needed).
  // Does not migrate.
  static Result<std::unique_ptr<Store>> open(const DatabaseConfig& config);

  virtual std::string backend() const = 0;  // "sqlite" | "postgresql"

  // ---- schema ------------------------------------------------------------
  // Applies every pending migration, each in its own transaction, recording it
  // in schema_migrations. Returns how many were applied. Safe to call
  // concurrently from several instances (PostgreSQL: advisory lock).
  virtual Result<int> migrate() = 0;
  virtual Result<std::vector<MigrationInfo>> migrations() = 0;  // all known, applied or not
  virtual Status ping() = 0;  // SELECT 1

  // ---- users and API tokens ---------------------------------------------
  // Creates the user if missing; if it exists and isAdmin is true, promotes it.
  virtual Result<User> ensureUser(const std::string& name, bool isAdmin) = 0;
  virtual Result<std::optional<User>> findUser(const std::string& name) = 0;
  virtual Result<std::size_t> countUsers() = 0;
  // Stores only the SHA-256 hex of the token. Returns the token record.
  virtual Result<ApiToken> createToken(const std::string& userId, const std::string& tokenSha256Hex,
                                       const std::string& label) = 0;
  virtual Result<std::optional<Principal>> findPrincipalByTokenHash(
      const std::string& tokenSha256Hex) = 0;

  // ---- projects and memberships -------------------------------------------
  // Creates the project and makes ownerUserName its owner, in one transaction.
  virtual Result<Project> createProject(const std::string& name,
                                        const std::string& ownerUserName) = 0;
  virtual Result<std::optional<Project>> getProject(const std::string& projectId) = 0;
  virtual Result<std::vector<Project>> listProjects() = 0;  // all, by creation
  virtual Result<std::vector<Project>> listProjectsForUser(const std::string& userName) = 0;
  virtual Result<std::vector<Membership>> listMembers(const std::string& projectId) = 0;
  virtual Result<std::optional<Membership>> getMember(const std::string& projectId,
                                                      const std::string& userName) = 0;
  // Inserts or changes the role. NotFound if the project or user does not exist.
  // Conflict if it would leave the project without an owner. Atomic.
  virtual Result<Membership> putMember(const std::string& projectId, const std::string& userName,
                                       Role role) = 0;
  // NotFound if not a member; Conflict if it is the last owner. Atomic.
  virtual Status deleteMember(const std::string& projectId, const std::string& userName) = 0;

  // ---- plugins and the integration catalog --------------------------------
  // Upserts every plugin row by id and every declared schema by id (row ids and
  // anything attached to them survive). Schemas of plugins that are not loaded
  // now, and schemas a loaded plugin no longer declares, are marked
  // unavailable, never deleted. One transaction.
  virtual Status syncCatalog(const std::vector<PluginInfo>& plugins) = 0;
  virtual Result<std::vector<IntegrationSchema>> listSchemas(const SchemaFilter& filter) = 0;  // by display order, then id
  virtual Result<std::optional<IntegrationSchema>> getSchema(const std::string& id) = 0;
  virtual Result<std::vector<CategoryCount>> schemaCategories() = 0;  // available schemas only, by name

  // ---- integration links (migration 2) ---------------------------------
  // Inserts or replaces the link of (projectId, key), keeping createdAt.
  // NotFound if the project does not exist. Returns the stored row.
  virtual Result<IntegrationLink> putIntegration(const IntegrationLink& link) = 0;
  // The same, only if the stored row still is `expected` (what the caller read;
  // nullopt = no row): settings, sealed secrets, secret names and visibility.
  // Conflict otherwise, and nothing is written. A read-modify-write (a PUT
  // that keeps secrets it does not mention) then never loses a concurrent
  // change, on one instance or several.
  virtual Result<IntegrationLink> putIntegrationIf(const IntegrationLink& link,
                                                   const std::optional<IntegrationLink>& expected) = 0;
  virtual Result<std::optional<IntegrationLink>> getIntegration(const std::string& projectId,
                                                                const std::string& key) = 0;
  virtual Result<std::vector<IntegrationLink>> listIntegrations(const std::string& projectId) = 0;  // by key
  // Removes the link and its status snapshot in one transaction. NotFound if absent.
  virtual Status deleteIntegration(const std::string& projectId, const std::string& key) = 0;

  // ---- status snapshots (last good status + breaker, migration 2) -------
  // Upsert by (projectId, provider). A snapshot whose project is gone is ignored.
  virtual Status putStatusSnapshot(const StatusSnapshot& snapshot) = 0;
  virtual Result<std::optional<StatusSnapshot>> getStatusSnapshot(const std::string& projectId,
                                                                  const std::string& provider) = 0;
  virtual Result<std::vector<StatusSnapshot>> listStatusSnapshots() = 0;  // all, for a warm start
};

}  // namespace sb
