// Users and API tokens.
#include <cctype>

#include "store/record_ids.hpp"
#include "store/sql_query.hpp"
#include "store/sql_store.hpp"

namespace sb::store {
namespace {

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

Result<User> SqlStore::ensureUser(const std::string& name, bool isAdmin) {
  if (Status bad = checkUserName(name); !bad.isOk()) return bad;
  try {
    auto session = db_->session();
    // Insert-or-ignore then read back: two callers racing on the same name
    // both end up with the one row, neither sees a unique violation.
    SqlQuery(session, *db_,
             "INSERT INTO users(id, name, is_admin, created_at) VALUES (?, ?, ?, ?) "
             "ON CONFLICT (name) DO NOTHING")
        .arg(newRecordId("usr_"))
        .arg(name)
        .flag(isAdmin)
        .arg(utcNow())
        .run();
    if (isAdmin) {
      SqlQuery(session, *db_, "UPDATE users SET is_admin = 1 WHERE name = ? AND is_admin = 0")
          .arg(name)
          .run();
    }
    auto user = selectUser(session, *db_, name);
    if (!user) return Status(ErrorCode::Internal, "user '" + name + "' vanished right after creation");
    return *user;
  } catch (const std::exception& error) {
    return db_->failure(error, "ensure user '" + name + "'");
  }
}

Result<std::optional<User>> SqlStore::findUser(const std::string& name) {
  try {
    return db_->read([&](Poco::Data::Session& session) -> Result<std::optional<User>> {
      return selectUser(session, *db_, name);
    });
  } catch (const std::exception& error) {
    return db_->failure(error, "find user '" + name + "'");
  }
}

Result<std::size_t> SqlStore::countUsers() {
  try {
    return db_->read([&](Poco::Data::Session& session) -> Result<std::size_t> {
      auto rows = SqlQuery(session, *db_, "SELECT COUNT(*) FROM users").rows();
      return static_cast<std::size_t>(toInt(rows.at(0).at(0)));
    });
  } catch (const std::exception& error) {
    return db_->failure(error, "count users");
  }
}

Result<ApiToken> SqlStore::createToken(const std::string& userId, const std::string& tokenSha256Hex,
                                       const std::string& label) {
  if (!isSha256Hex(tokenSha256Hex)) {
    return Status(ErrorCode::InvalidArgument,
                  "token hash must be 64 lowercase hex characters (SHA-256)", "tokenHash");
  }
  if (label.size() > kMaxLabelLength) {
    return Status(ErrorCode::InvalidArgument, "token label must be at most 200 bytes", "label");
  }
  try {
    auto session = db_->session();
    auto users = SqlQuery(session, *db_, "SELECT id FROM users WHERE id = ?").arg(userId).rows();
    if (users.empty()) return Status(ErrorCode::NotFound, "user id '" + userId + "' not found", "userId");
    ApiToken token{newRecordId("tok_"), userId, label, utcNow()};
    SqlQuery(session, *db_,
             "INSERT INTO api_tokens(id, user_id, token_hash, label, created_at) "
             "VALUES (?, ?, ?, ?, ?)")
        .arg(token.id)
        .arg(token.userId)
        .arg(tokenSha256Hex)
        .arg(token.label)
        .arg(token.createdAt)
        .run();
    return token;
  } catch (const std::exception& error) {
    Status status = db_->failure(error, "create API token");
    if (status.code() == ErrorCode::AlreadyExists) {
      return Status(ErrorCode::AlreadyExists, "an API token with this hash already exists");
    }
    return status;
  }
}

Result<std::optional<Principal>> SqlStore::findPrincipalByTokenHash(
    const std::string& tokenSha256Hex) {
  if (!isSha256Hex(tokenSha256Hex)) return std::optional<Principal>();
  try {
    return db_->read([&](Poco::Data::Session& session) -> Result<std::optional<Principal>> {
      auto rows = SqlQuery(session, *db_,
                           "SELECT u.id, u.name, u.is_admin, u.created_at, t.id FROM api_tokens t "
                           "JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?")
                      .arg(tokenSha256Hex)
                      .rows();
      if (rows.empty()) return std::optional<Principal>();
      return std::optional<Principal>(Principal{userFromRow(rows.front()), rows.front()[4]});
    });
  } catch (const std::exception& error) {
    return db_->failure(error, "look up API token");
  }
}

}  // namespace sb::store
