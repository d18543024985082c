// Quick actions (migration 4): action records with the lease of the instance
// running each, Idempotency-Key reservations with the stored response, and a
// sliding-window rate limit shared by every instance.
//
// Idempotency: reserveKey inserts (user, key) or finds it, in one statement
// guarded by the primary key, so of concurrent requests with one key exactly
// one reserves it (on any instance); the others read what it stored.
// Rate limit: hit() counts the bucket's hits in the window and records this
// one only when under the limit, serialised per bucket (PostgreSQL advisory
// lock on the bucket's hash; SQLite's write lock), so several instances
// never admit more than the limit between them.
// Thread-safety: as its Scope (store/scope.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"
#include "store/scope.hpp"

namespace sb {

// A workflow run's step that never started ends Failed with error code
// "skipped" (migration 4's CHECK allows only these four states).
enum class ActionState { Pending, Running, Succeeded, Failed };
const char* toString(ActionState state);
std::optional<ActionState> parseActionState(const std::string& text);

struct ActionRecord {
  std::string id;
  std::string projectId;
  std::string userId;
  std::string provider;
  std::string action;
  std::string paramsJson = "{}";
  ActionState state = ActionState::Pending;
  std::string progressJson = "[]";  // the steps so far, a JSON array
  std::string resultJson;           // succeeded: a JSON object
  std::string errorJson;            // failed: {"code","detail"}
  std::string leaseOwner;           // the instance running it
  std::int64_t leaseExpiresMs = 0;
  std::string createdAt;
  std::string updatedAt;
};

struct StoredKey {
  std::string requestHash;
  bool done = false;      // false: the first request is still being answered
  int responseStatus = 0;
  std::string responseBody;
};

struct KeyReservation {
  bool reserved = false;            // this call took the key
  std::optional<StoredKey> stored;  // otherwise: what the key holds
};

struct RateDecision {
  bool allowed = false;
  int remaining = 0;            // hits left in the window after this one
  std::int64_t resetSeconds = 0;  // until the oldest hit in the window leaves it
};

class ActionRepository {
 public:
  explicit ActionRepository(store::Scope scope) : scope_(scope) {}

  // Takes (userId, key) for a request whose payload hashes to requestHash,
  // or returns what the key already holds. Keys older than `expireBeforeMs`
  // count as absent (they are replaced).
  Result<KeyReservation> reserveKey(const std::string& userId, const std::string& key,
                                    const std::string& requestHash, std::int64_t nowMs,
                                    std::int64_t expireBeforeMs);
  // Stores the response of the request that reserved the key.
  Status completeKey(const std::string& userId, const std::string& key, int status, const std::string& body);
  // Gives the key up (the request was refused before anything happened).
  // `answeredToo` also drops a key whose response is stored: an action that
  // was accepted but will never start (a refused workflow run).
  Status releaseKey(const std::string& userId, const std::string& key, bool answeredToo = false);

  Result<RateDecision> hit(const std::string& bucket, int limit, std::int64_t windowMs, std::int64_t nowMs);
  // What hit() would say, recording nothing (for RateLimit headers on a replay).
  Result<RateDecision> peek(const std::string& bucket, int limit, std::int64_t windowMs, std::int64_t nowMs);

  Status insert(const ActionRecord& action);
  // Writes state, progress, result, error and lease of `action.id`.
  Status update(const ActionRecord& action);
  Result<std::optional<ActionRecord>> get(const std::string& id);
  Result<std::vector<ActionRecord>> listRecent(const std::string& projectId, std::size_t limit);  // newest first
  // Extends the lease of every running action of `owner`.
  Status renewLeases(const std::string& owner, std::int64_t expiresMs);
  // Marks failed ("interrupted") every pending or running action that is
  // `owner`'s (a restart of that instance), or whose lease has lapsed, and
  // returns them as they now are.
  Result<std::vector<ActionRecord>> failInterrupted(const std::string& owner, std::int64_t nowMs);
  // Drops keys created before `keysBeforeMs` and rate hits before `hitsBeforeMs`.
  Status prune(std::int64_t keysBeforeMs, std::int64_t hitsBeforeMs);

 private:
  store::Scope scope_;
};

}  // namespace sb
