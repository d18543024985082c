// The Store implementation shared by SQLite and PostgreSQL: the same SQL on
// both (dialect differences live in Database), split by concern across
// sql_store*.cpp. Created only by Store::open. Thread-safety: every method
// takes its own pooled session, so any thread may call any method.
#pragma once

#include <memory>

#include "store/database.hpp"
#include "store/store.hpp"

namespace sb::store {

class SqlStore final : public Store {
 public:
  explicit SqlStore(std::unique_ptr<Database> database);

  std::string backend() const override;

  Result<int> migrate() override;
  Result<std::vector<MigrationInfo>> migrations() override;
  Status ping() override;

  Result<User> ensureUser(const std::string& name, bool isAdmin) override;
  Result<std::optional<User>> findUser(const std::string& name) override;
  Result<std::size_t> countUsers() override;
  Result<ApiToken> createToken(const std::string& userId, const std::string& tokenSha256Hex,
                               const std::string& label) override;
  Result<std::optional<Principal>> findPrincipalByTokenHash(
      const std::string& tokenSha256Hex) override;

  Result<Project> createProject(const std::string& name, const std::string& ownerUserName) override;
  Result<std::optional<Project>> getProject(const std::string& projectId) override;
  Result<std::vector<Project>> listProjects() override;
  Result<std::vector<Project>> listProjectsForUser(const std::string& userName) override;
  Result<std::vector<Membership>> listMembers(const std::string& projectId) override;
  Result<std::optional<Membership>> getMember(const std::string& projectId,
                                              const std::string& userName) override;
  Result<Membership> putMember(const std::string& projectId, const std::string& userName,
                               Role role) override;
  Status deleteMember(const std::string& projectId, const std::string& userName) override;

  Status syncCatalog(const std::vector<PluginInfo>& plugins) override;
  Result<std::vector<IntegrationSchema>> listSchemas(const SchemaFilter& filter) override;
  Result<std::optional<IntegrationSchema>> getSchema(const std::string& id) override;
  Result<std::vector<CategoryCount>> schemaCategories() override;

  Result<IntegrationLink> putIntegration(const IntegrationLink& link) override;
  Result<IntegrationLink> putIntegrationIf(const IntegrationLink& link,
                                           const std::optional<IntegrationLink>& expected) override;
  Result<std::optional<IntegrationLink>> getIntegration(const std::string& projectId,
                                                        const std::string& key) override;
  Result<std::vector<IntegrationLink>> listIntegrations(const std::string& projectId) override;
  Status deleteIntegration(const std::string& projectId, const std::string& key) override;

  Status putStatusSnapshot(const StatusSnapshot& snapshot) override;
  Result<std::optional<StatusSnapshot>> getStatusSnapshot(const std::string& projectId,
                                                          const std::string& provider) override;
  Result<std::vector<StatusSnapshot>> listStatusSnapshots() override;

 private:
  // Applies the first pending migration, if any, under the migration lock.
  // Returns whether one was applied.
  bool applyNextMigration(Poco::Data::Session& session);
  // Inside a write transaction: locks the project row (PostgreSQL) so that
  // membership changes of one project run one at a time (SQLite's BEGIN
  // IMMEDIATE already serialises writers). False if the project is unknown.
  bool lockProject(Poco::Data::Session& session, const std::string& projectId);
  // putIntegration with an optional precondition (null = none).
  Result<IntegrationLink> writeIntegration(const IntegrationLink& link, const std::optional<IntegrationLink>* expected);

  std::unique_ptr<Database> db_;
};

}  // namespace sb::store
