// Where a repository's statements run: on a pooled session of their own (each
// call its own transaction), or inside a caller's unit of work
// (Store::transaction). A value type of two pointers, so repository headers
// need no Poco; the templates that use it live in store/sql_scope.hpp.
// Thread-safety: a pooled Scope may be used from any thread; a unit-of-work
// Scope only on the thread running that unit of work.
#pragma once

namespace sb::store {

class Database;
struct UnitOfWork;

struct Scope {
  Database* db = nullptr;
  UnitOfWork* work = nullptr;  // null: every call runs on its own session
};

}  // namespace sb::store
