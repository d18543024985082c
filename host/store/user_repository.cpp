#include "store/user_repository.hpp"

#include <cctype>

#include "store/record_ids.hpp"
#include "store/sql_query.hpp"
#include "store/sql_scope.hpp"

namespace sb {
namespace {

using store::Database;
using store::Row;
using store::SqlQuery;
using store::toFlag;
using store::toInt;

constexpr std::size_t kMaxLabelLength = 200;

Status checkUserName(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 64;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) ok = false;
  }
  if (ok) return Status::ok();
  return {ErrorCode::InvalidArgument,
          "user name must be 1-64 characters of letters, digits, '.', '_' or '-'", "name"};
}

bool isSha256Hex(const std::string& text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c)) || std::isupper(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

User userFromRow(const Row& row, std::size_t first = 0) {
  return {row[first], row[first + 1], toFlag(row[first + 2]), row[first + 3]};
}

std::optional<User> selectUser(Poco::Data::Session& session, const Database& db,
                               const std::string& name) {
  auto rows = SqlQuery(session, db, "SELECT id, name, is_admin, created_at FROM users WHERE name = ?")
                  .arg(name)
                  .rows();
  if (rows.empty()) return std::nullopt;
  return userFromRow(rows.front());
}

}  // namespace

Result<User> UserRepository::ensureUser(const std::string& name, bool isAdmin) {
  if (Status bad = checkUserName(name); !bad.isOk()) return bad;
  return store::writeIn(scope_, "ensure user '" + name + "'", [&](Poco::Data::Session& session) -> Result<User> {
    const Database& db = *scope_.db;
    // Insert-or-ignore then read back: two callers racing on the same name
    // both end up with the one row, neither sees a unique violation.
    SqlQuery(session, db,
             "INSERT INTO users(id, name, is_admin, created_at) VALUES (?, ?, ?, ?) "
             "ON CONFLICT (name) DO NOTHING")
        .arg(store::newRecordId("usr_"))
        .arg(name)
        .flag(isAdmin)
        .arg(store::utcNow())
        .run();
    if (isAdmin) {
      SqlQuery(session, db, "UPDATE users SET is_admin = 1 WHERE name = ? AND is_admin = 0").arg(name).run();
    }
    auto user = selectUser(session, db, name);
    if (!user) return Status(ErrorCode::Internal, "user '" + name + "' vanished right after creation");
    return *user;
  });
}

Result<std::optional<User>> UserRepository::findUser(const std::string& name) {
  return store::readIn(scope_, "find user '" + name + "'",
                       [&](Poco::Data::Session& session) -> Result<std::optional<User>> {
                         return selectUser(session, *scope_.db, name);
                       });
}

Result<std::optional<User>> UserRepository::findUserById(const std::string& userId) {
  return store::readIn(scope_, "find user id '" + userId + "'",
                       [&](Poco::Data::Session& session) -> Result<std::optional<User>> {
                         auto rows = SqlQuery(session, *scope_.db,
                                              "SELECT id, name, is_admin, created_at FROM users WHERE id = ?")
                                         .arg(userId)
                                         .rows();
                         if (rows.empty()) return std::optional<User>();
                         return std::optional<User>(userFromRow(rows.front()));
                       });
}

Result<std::size_t> UserRepository::countUsers() {
  return store::readIn(scope_, "count users", [&](Poco::Data::Session& session) -> Result<std::size_t> {
    auto rows = SqlQuery(session, *scope_.db, "SELECT COUNT(*) FROM users").rows();
    return static_cast<std::size_t>(toInt(rows.at(0).at(0)));
  });
}

Result<ApiToken> UserRepository::createToken(const std::string& userId, const std::string& tokenSha256Hex,
                                             const std::string& label) {
  if (!isSha256Hex(tokenSha256Hex)) {
    return Status(ErrorCode::InvalidArgument,
                  "token hash must be 64 lowercase hex characters (SHA-256)", "tokenHash");
  }
  if (label.size() > kMaxLabelLength) {
    return Status(ErrorCode::InvalidArgument, "token label must be at most 200 bytes", "label");
  }
  auto created = store::writeIn(scope_, "create API token", [&](Poco::Data::Session& session) -> Result<ApiToken> {
    const Database& db = *scope_.db;
    auto users = SqlQuery(session, db, "SELECT id FROM users WHERE id = ?").arg(userId).rows();
    if (users.empty()) return Status(ErrorCode::NotFound, "user id '" + userId + "' not found", "userId");
    ApiToken token{store::newRecordId("tok_"), userId, label, store::utcNow()};
    SqlQuery(session, db,
             "INSERT INTO api_tokens(id, user_id, token_hash, label, created_at) "
             "VALUES (?, ?, ?, ?, ?)")
        .arg(token.id)
        .arg(token.userId)
        .arg(tokenSha256Hex)
        .arg(token.label)
        .arg(token.createdAt)
        .run();
    return token;
  });
  if (created.status().code() == ErrorCode::AlreadyExists) {
    return Status(ErrorCode::AlreadyExists, "an API token with this hash already exists");
  }
  return created;
}

Result<std::optional<Principal>> UserRepository::findPrincipalByTokenHash(const std::string& tokenSha256Hex) {
  if (!isSha256Hex(tokenSha256Hex)) return std::optional<Principal>();
  return store::readIn(scope_, "look up API token", [&](Poco::Data::Session& session) -> Result<std::optional<Principal>> {
    auto rows = SqlQuery(session, *scope_.db,
                         "SELECT u.id, u.name, u.is_admin, u.created_at, t.id FROM api_tokens t "
                         "JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?")
                    .arg(tokenSha256Hex)
                    .rows();
    if (rows.empty()) return std::optional<Principal>();
    return std::optional<Principal>(Principal{userFromRow(rows.front()), rows.front()[4]});
  });
}

}  // namespace sb
