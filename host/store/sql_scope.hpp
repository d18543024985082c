// The one read helper and the one write helper every repository method goes
// through: they pick the session (pooled, or the unit of work's), open and
// commit the transaction of a pooled write, and turn any exception into a
// Status with Database::failure. Inside a unit of work a failed statement
// poisons it: PostgreSQL has aborted the transaction, so nothing after it may
// run and Store::transaction rolls back and reports that failure.
// Internal to the store module. Thread-safety: as the Scope used.
#pragma once

#include <exception>
#include <string>
#include <utility>

#include <Poco/Data/Session.h>

#include "core/result.hpp"
#include "store/database.hpp"
#include "store/scope.hpp"

namespace sb::store {

struct UnitOfWork {
  explicit UnitOfWork(Database& database)
      : session(database.session()), transaction(session, database.isSqlite()) {}
  Poco::Data::Session session;
  WriteTransaction transaction;
  Status failure;  // the first statement that failed; set = rolled back at the end
};

namespace detail {

template <class Work>
auto inUnitOfWork(Scope scope, const std::string& action, Work& work)
    -> decltype(work(std::declval<Poco::Data::Session&>())) {
  if (!scope.work->failure.isOk()) return scope.work->failure;
  try {
    return work(scope.work->session);
  } catch (const std::exception& error) {
    scope.work->failure = scope.db->failure(error, action);
    return scope.work->failure;
  }
}

}  // namespace detail

// `work(session)` returns Status or Result<T>. `action` names what is being
// done for the error message ("create project").
template <class Work>
auto readIn(Scope scope, const std::string& action, Work&& work)
    -> decltype(work(std::declval<Poco::Data::Session&>())) {
  if (scope.work != nullptr) return detail::inUnitOfWork(scope, action, work);
  try {
    return scope.db->read(work);
  } catch (const std::exception& error) {
    return scope.db->failure(error, action);
  }
}

// A pooled write commits only when `work` succeeded; an error result or an
// exception rolls it back.
template <class Work>
auto writeIn(Scope scope, const std::string& action, Work&& work)
    -> decltype(work(std::declval<Poco::Data::Session&>())) {
  if (scope.work != nullptr) return detail::inUnitOfWork(scope, action, work);
  try {
    Poco::Data::Session session = scope.db->session();
    WriteTransaction transaction(session, scope.db->isSqlite());
    auto result = work(session);
    if (result.isOk()) transaction.commit();
    return result;
  } catch (const std::exception& error) {
    return scope.db->failure(error, action);
  }
}

// Inside a write: locks the project row (PostgreSQL) so that writers of one
// project run one at a time (SQLite's BEGIN IMMEDIATE already serialises
// writers). False if the project is unknown.
bool lockProject(Poco::Data::Session& session, const Database& db, const std::string& projectId);

}  // namespace sb::store
