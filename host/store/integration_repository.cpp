#include "store/integration_repository.hpp"

#include "store/catalog_json.hpp"
#include "store/record_ids.hpp"
#include "store/sql_query.hpp"
#include "store/sql_scope.hpp"

namespace sb {
namespace {

using store::Database;
using store::Row;
using store::SqlQuery;
using store::stringsFromJson;
using store::stringsToJson;
using store::toInt;
using store::toInt64;

constexpr const char* kLinkColumns =
    "SELECT project_id, key, settings_json, secrets_sealed, secret_names, visible_to, created_at,"
    " updated_at, connection_name, oauth_token_id FROM integration_links";

constexpr const char* kSnapshotColumns =
    "SELECT project_id, provider, document_json, fetched_at_ms, breaker_state,"
    " consecutive_failures, breaker_opened_at_ms FROM status_snapshots";

IntegrationLink linkFromRow(const Row& row) {
  IntegrationLink link;
  link.projectId = row[0];
  link.key = row[1];
  link.settingsJson = row[2].empty() ? "{}" : row[2];
  link.secretsSealed = row[3];
  link.secretNames = stringsFromJson(row[4]);
  // The CHECK constraint admits only role names; a stray value reads as the
  // most restrictive visibility rather than exposing the link to everyone.
  link.visibleTo = parseRole(row[5]).value_or(Role::Owner);
  link.createdAt = row[6];
  link.updatedAt = row[7];
  link.connectionName = row[8];
  link.oauthTokenId = row[9];
  return link;
}

StatusSnapshot snapshotFromRow(const Row& row) {
  StatusSnapshot snapshot;
  snapshot.projectId = row[0];
  snapshot.provider = row[1];
  snapshot.documentJson = row[2];
  snapshot.fetchedAtMs = toInt64(row[3]);
  snapshot.breakerState = row[4];
  snapshot.consecutiveFailures = toInt(row[5]);
  snapshot.breakerOpenedAtMs = toInt64(row[6]);
  return snapshot;
}

std::optional<IntegrationLink> selectLink(Poco::Data::Session& session, const Database& db,
                                          const std::string& projectId, const std::string& key) {
  auto rows = SqlQuery(session, db, std::string(kLinkColumns) + " WHERE project_id = ? AND key = ?")
                  .arg(projectId)
                  .arg(key)
                  .rows();
  if (rows.empty()) return std::nullopt;
  return linkFromRow(rows.front());
}

Status checkLink(const IntegrationLink& link) {
  if (link.projectId.empty()) {
    return {ErrorCode::InvalidArgument, "an integration link needs a project id", "projectId"};
  }
  if (link.key.empty()) {
    return {ErrorCode::InvalidArgument, "an integration link needs a key", "key"};
  }
  return Status::ok();
}

Status checkSnapshot(const StatusSnapshot& snapshot) {
  if (snapshot.projectId.empty() || snapshot.provider.empty()) {
    return {ErrorCode::InvalidArgument, "a status snapshot needs a project id and a provider",
            snapshot.projectId.empty() ? "projectId" : "provider"};
  }
  return Status::ok();
}

// Whether two reads of a link hold the same content (timestamps aside). A
// re-sealed secret never compares equal (fresh nonce), so any secret change counts.
bool sameContent(const std::optional<IntegrationLink>& a, const std::optional<IntegrationLink>& b) {
  if (a.has_value() != b.has_value()) return false;
  if (!a) return true;
  return a->settingsJson == b->settingsJson && a->secretsSealed == b->secretsSealed &&
         a->secretNames == b->secretNames && a->visibleTo == b->visibleTo &&
         a->connectionName == b->connectionName && a->oauthTokenId == b->oauthTokenId;
}

}  // namespace

Result<IntegrationLink> IntegrationRepository::putIntegration(const IntegrationLink& link) { return write(link, nullptr); }

Result<IntegrationLink> IntegrationRepository::putIntegrationIf(const IntegrationLink& link,
                                                                const std::optional<IntegrationLink>& expected) {
  return write(link, &expected);
}

Result<IntegrationLink> IntegrationRepository::write(const IntegrationLink& link,
                                                     const std::optional<IntegrationLink>* expected) {
  if (Status bad = checkLink(link); !bad.isOk()) return bad;
  return store::writeIn(
      scope_, "put integration '" + link.key + "' of project '" + link.projectId + "'",
      [&](Poco::Data::Session& session) -> Result<IntegrationLink> {
        const Database& db = *scope_.db;
        if (!store::lockProject(session, db, link.projectId)) {
          return Status{ErrorCode::NotFound, "project '" + link.projectId + "' not found", "projectId"};
        }
        if (expected != nullptr) {
          // Writers of this project are serialised from here on (project row lock
          // or SQLite's write transaction), so the comparison cannot go stale.
          const std::optional<IntegrationLink> current = selectLink(session, db, link.projectId, link.key);
          if (!sameContent(current, *expected)) {
            return Status{ErrorCode::Conflict,
                          "integration '" + link.key + "' of project '" + link.projectId + "' changed meanwhile"};
          }
        }
        const std::string now = store::utcNow();
        // One statement, so two concurrent first PUTs cannot both insert; the
        // update branch leaves created_at alone.
        SqlQuery(session, db,
                 "INSERT INTO integration_links(project_id, key, settings_json, secrets_sealed,"
                 " secret_names, visible_to, created_at, updated_at, connection_name, oauth_token_id)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT (project_id, key) DO UPDATE SET settings_json = excluded.settings_json,"
                 " secrets_sealed = excluded.secrets_sealed, secret_names = excluded.secret_names,"
                 " visible_to = excluded.visible_to, updated_at = excluded.updated_at,"
                 " connection_name = excluded.connection_name, oauth_token_id = excluded.oauth_token_id")
            .arg(link.projectId)
            .arg(link.key)
            .arg(link.settingsJson.empty() ? std::string("{}") : link.settingsJson)
            .arg(link.secretsSealed)
            .arg(stringsToJson(link.secretNames))
            .arg(toString(link.visibleTo))
            .arg(now)
            .arg(now)
            .arg(link.connectionName)
            .arg(link.oauthTokenId)
            .run();
        auto stored = selectLink(session, db, link.projectId, link.key);
        if (!stored) return Status{ErrorCode::Internal, "integration link vanished after writing it"};
        return *stored;
      });
}

Result<std::optional<IntegrationLink>> IntegrationRepository::getIntegration(const std::string& projectId,
                                                                             const std::string& key) {
  return store::readIn(scope_, "get integration '" + key + "' of project '" + projectId + "'",
                       [&](Poco::Data::Session& session) -> Result<std::optional<IntegrationLink>> {
                         return selectLink(session, *scope_.db, projectId, key);
                       });
}

Result<std::vector<IntegrationLink>> IntegrationRepository::listIntegrations(const std::string& projectId) {
  return selectLinks("list integrations of project '" + projectId + "'", "project_id = ? ORDER BY key", projectId);
}

Result<std::vector<IntegrationLink>> IntegrationRepository::listIntegrationsUsingToken(const std::string& tokenId) {
  return selectLinks("list the integrations that use grant '" + tokenId + "'",
                     "oauth_token_id = ? ORDER BY project_id, key", tokenId);
}

Result<std::vector<IntegrationLink>> IntegrationRepository::selectLinks(const std::string& what,
                                                                        const std::string& condition,
                                                                        const std::string& value) {
  return store::readIn(scope_, what, [&](Poco::Data::Session& session) -> Result<std::vector<IntegrationLink>> {
    auto rows = SqlQuery(session, *scope_.db, std::string(kLinkColumns) + " WHERE " + condition).arg(value).rows();
    std::vector<IntegrationLink> out;
    out.reserve(rows.size());
    for (const Row& row : rows) out.push_back(linkFromRow(row));
    return out;
  });
}

Status IntegrationRepository::deleteIntegration(const std::string& projectId, const std::string& key) {
  return store::writeIn(scope_, "delete integration '" + key + "' of project '" + projectId + "'",
                        [&](Poco::Data::Session& session) -> Status {
                          const Database& db = *scope_.db;
                          std::size_t removed =
                              SqlQuery(session, db, "DELETE FROM integration_links WHERE project_id = ? AND key = ?")
                                  .arg(projectId)
                                  .arg(key)
                                  .run();
                          if (removed == 0) {
                            return {ErrorCode::NotFound,
                                    "integration '" + key + "' is not linked to project '" + projectId + "'", "key"};
                          }
                          // The status service keys snapshots by provider, which is the link key.
                          SqlQuery(session, db, "DELETE FROM status_snapshots WHERE project_id = ? AND provider = ?")
                              .arg(projectId)
                              .arg(key)
                              .run();
                          return Status::ok();
                        });
}

Status IntegrationRepository::putStatusSnapshot(const StatusSnapshot& snapshot) {
  if (Status bad = checkSnapshot(snapshot); !bad.isOk()) return bad;
  return store::writeIn(
      scope_, "put status snapshot '" + snapshot.provider + "' of project '" + snapshot.projectId + "'",
      [&](Poco::Data::Session& session) -> Status {
        const Database& db = *scope_.db;
        // Holding the project row keeps a concurrent project deletion from
        // turning the insert into a foreign-key failure; a project already gone
        // means a poll finished after its project was removed: nothing to keep.
        if (!store::lockProject(session, db, snapshot.projectId)) return Status::ok();
        SqlQuery(session, db,
                 "INSERT INTO status_snapshots(project_id, provider, document_json, fetched_at_ms,"
                 " breaker_state, consecutive_failures, breaker_opened_at_ms)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT (project_id, provider) DO UPDATE SET"
                 " document_json = excluded.document_json, fetched_at_ms = excluded.fetched_at_ms,"
                 " breaker_state = excluded.breaker_state,"
                 " consecutive_failures = excluded.consecutive_failures,"
                 " breaker_opened_at_ms = excluded.breaker_opened_at_ms")
            .arg(snapshot.projectId)
            .arg(snapshot.provider)
            .arg(snapshot.documentJson)
            .arg(snapshot.fetchedAtMs)
            .arg(snapshot.breakerState)
            .arg(snapshot.consecutiveFailures)
            .arg(snapshot.breakerOpenedAtMs)
            .run();
        return Status::ok();
      });
}

Result<std::optional<StatusSnapshot>> IntegrationRepository::getStatusSnapshot(const std::string& projectId,
                                                                               const std::string& provider) {
  return store::readIn(scope_, "get status snapshot '" + provider + "' of project '" + projectId + "'",
                       [&](Poco::Data::Session& session) -> Result<std::optional<StatusSnapshot>> {
                         auto rows = SqlQuery(session, *scope_.db,
                                              std::string(kSnapshotColumns) + " WHERE project_id = ? AND provider = ?")
                                         .arg(projectId)
                                         .arg(provider)
                                         .rows();
                         if (rows.empty()) return std::optional<StatusSnapshot>();
                         return std::optional<StatusSnapshot>(snapshotFromRow(rows.front()));
                       });
}

Result<std::vector<StatusSnapshot>> IntegrationRepository::listStatusSnapshots() {
  return store::readIn(scope_, "list status snapshots",
                       [&](Poco::Data::Session& session) -> Result<std::vector<StatusSnapshot>> {
                         auto rows = SqlQuery(session, *scope_.db,
                                              std::string(kSnapshotColumns) + " ORDER BY project_id, provider")
                                         .rows();
                         std::vector<StatusSnapshot> out;
                         out.reserve(rows.size());
                         for (const Row& row : rows) out.push_back(snapshotFromRow(row));
                         return out;
                       });
}

}  // namespace sb
