// Integration links and their status snapshots (last good status + breaker).
// Links hold secrets only as the sealed blob the HTTP layer produced; the
// store never sees plaintext. Thread-safety: as its Scope (store/scope.hpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"
#include "store/scope.hpp"

namespace sb {

class IntegrationRepository {
 public:
  explicit IntegrationRepository(store::Scope scope) : scope_(scope) {}

  // Inserts or replaces the link of (projectId, key), keeping createdAt.
  // NotFound if the project does not exist. Returns the stored row.
  Result<IntegrationLink> putIntegration(const IntegrationLink& link);
  // The same, only if the stored row still is `expected` (what the caller read;
  // nullopt = no row): settings, sealed secrets, secret names and visibility.
  // Conflict otherwise, and nothing is written. A read-modify-write (a PUT
  // that keeps secrets it does not mention) then never loses a concurrent
  // change, on one instance or several.
  Result<IntegrationLink> putIntegrationIf(const IntegrationLink& link,
                                           const std::optional<IntegrationLink>& expected);
  Result<std::optional<IntegrationLink>> getIntegration(const std::string& projectId,
                                                        const std::string& key);
  Result<std::vector<IntegrationLink>> listIntegrations(const std::string& projectId);  // by key
  // The links, in every project, that use the grant `tokenId` (oauth_tokens.id).
  Result<std::vector<IntegrationLink>> listIntegrationsUsingToken(const std::string& tokenId);
  // Removes the link and its status snapshot atomically. NotFound if absent.
  Status deleteIntegration(const std::string& projectId, const std::string& key);

  // Upsert by (projectId, provider). A snapshot whose project is gone is ignored.
  Status putStatusSnapshot(const StatusSnapshot& snapshot);
  Result<std::optional<StatusSnapshot>> getStatusSnapshot(const std::string& projectId,
                                                          const std::string& provider);
  Result<std::vector<StatusSnapshot>> listStatusSnapshots();  // all, for a warm start

 private:
  // putIntegration with an optional precondition (null = none).
  Result<IntegrationLink> write(const IntegrationLink& link, const std::optional<IntegrationLink>* expected);
  // The links WHERE `condition` (one placeholder, bound to `value`).
  Result<std::vector<IntegrationLink>> selectLinks(const std::string& what, const std::string& condition,
                                                   const std::string& value);

  store::Scope scope_;
};

}  // namespace sb
