#include "status/status_service.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <random>
#include <sstream>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>

#include <switchboard/json.hpp>

#include "core/clock.hpp"
#include "core/task_pool.hpp"
#include "status/circuit_breaker.hpp"
#include "store/integration_repository.hpp"

namespace sb::status {
namespace {

using switchboard::json::quote;

constexpr std::size_t kRenderedEntries = 10000;  // (project, role) replies kept for reuse
constexpr std::array<std::string_view, 3> kCacheResults{"hit", "stale", "miss"};

Poco::Logger& logger() { return Poco::Logger::get("status"); }

int64_t steadyNow() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The project's link for `key`, or null (the last one, should the list hold two).
const IntegrationLink* linkFor(const std::vector<IntegrationLink>& links, const std::string& key) {
  const IntegrationLink* link = nullptr;
  for (const auto& candidate : links) {
    if (candidate.key == key) link = &candidate;
  }
  return link;
}

std::string entryKey(const std::string& projectId, const std::string& key) { return projectId + '\n' + key; }

// The problem code a failed adapter call shows: a timeout, a request the
// host's egress policy refused (the operator's to fix), or anything else.
std::string failureCodeOf(const Status& failure) {
  if (failure.field() == kOAuthRevokedField || failure.field() == kOAuthExpiredField) return failure.field();
  if (failure.code() == ErrorCode::Timeout) return "timeout";
  if (failure.code() == ErrorCode::PermissionDenied && failure.field() == kEgressRefusalField) {
    return "egress_refused";
  }
  return "unknown";
}

// The on_status request. Settings and secrets are spliced in as the JSON
// objects they already are; a connection's token goes in as "accessToken".
std::string adapterRequest(const IntegrationLink& link, const std::string& baseUrl,
                           const LinkCredentials& credentials) {
  std::string request = "{\"projectId\":" + quote(link.projectId) + ",\"key\":" + quote(link.key) +
                        ",\"baseUrl\":" + quote(baseUrl) + ",\"settings\":" +
                        (link.settingsJson.empty() ? std::string("{}") : link.settingsJson) +
                        ",\"secrets\":" + credentials.secretsJson;
  if (credentials.token) request += ",\"accessToken\":" + quote(credentials.token->current());
  return request + "}";
}

bool isCredentialFailure(const std::string& failureCode) {
  return failureCode == kOAuthRevokedField || failureCode == kOAuthExpiredField;
}

}  // namespace

struct StatusService::Flight {
  std::mutex mutex;
  std::condition_variable done;
  bool finished = false;
};

struct StatusService::Entry {
  std::mutex mutex;
  std::string projectId;
  std::string key;
  std::shared_ptr<const ProviderReport> report;  // last good
  std::string reportJson;                        // as the plugin wrote it, for persistence
  int64_t fetchedAtMs = 0;
  int64_t refreshDueMs = 0;  // the cached answer is fresh until then
  std::string failureCode;   // the latest attempt failed: timeout | unknown | oauth_revoked | ...
  std::string connectionName;              // the link's connection at the latest attempt ("" = none)
  std::vector<std::string> missingScopes;  // its required scopes the grant lacks
  CircuitBreaker breaker;
  std::shared_ptr<Flight> flight;  // the one upstream call in progress
  uint64_t generation = 0;         // bumped by invalidate(): older flights' results are dropped
  uint64_t version = 0;            // bumped by every change a reply could show (see RenderedFor)
};

struct StatusService::PoolHolder {
  explicit PoolHolder(const StatusConfig& config)
      : pool(config.poolThreads, static_cast<std::size_t>(config.queueLimit), "sb-adapters") {}
  TaskPool pool;
};

// One provider's part of a request: what to render, or the flight to wait for.
struct StatusService::Lookup {
  std::shared_ptr<Entry> entry;
  std::shared_ptr<Flight> waitFor;
  ItemState state;
  bool done = false;
  const char* cacheResult = "hit";  // hit | stale | miss
  uint64_t version = 0;              // the entry's version when it was read
};

// The last reply rendered for one (project, role). It is reused while nothing
// it was rendered from changed: the same link list, the same entries at the
// same versions, every lookup a fresh hit, and the same wall-clock second (the
// reply shows times to the second). Each item's link state (not linked,
// hidden, disabled, linked) follows from the list and the role, so it needs no
// field of its own. Polling clients then cost a copy, not a render and two hashes.
struct StatusService::RenderedFor {
  std::shared_ptr<const LinkList> links;  // the very list read: a reload is a change
  std::vector<std::pair<const Entry*, uint64_t>> entries;  // per key; null = not fetched
  int64_t second = 0;
  std::shared_ptr<const RenderedStatus> rendered;  // shared with the front end's fast path, never copied there

  bool sameAs(const RenderedFor& other) const {
    return links == other.links && entries == other.entries && second == other.second;
  }
};

// What a request renders from an entry (its mutex held). The last good report
// is stale when served past its TTL (`servedStale`) or after a failed refresh.
ItemState StatusService::cachedState(const Entry& entry, const BreakerPolicy& policy, bool servedStale) {
  ItemState state;
  state.report = entry.report;
  state.reportFetchedAtMs = entry.fetchedAtMs;
  state.failureCode = entry.failureCode;
  state.connectionName = entry.connectionName;
  state.missingScopes = entry.missingScopes;
  state.stale = entry.report != nullptr && (servedStale || !entry.failureCode.empty());
  state.breaker = entry.breaker.state();
  state.probeAtMs = entry.breaker.probeAtMs(policy);
  return state;
}

std::string StatusService::displayName(const std::string& key) const {
  for (const StatusProvider& provider : deps_.providers) {
    if (provider.key == key) return provider.displayName.empty() ? key : provider.displayName;
  }
  return key;
}

StatusService::StatusService(StatusConfig config, StatusDependencies dependencies)
    : config_(config), deps_(std::move(dependencies)), jitterState_(std::random_device{}()) {
  if (config_.cacheTtlMaxMs < config_.cacheTtlMinMs) config_.cacheTtlMaxMs = config_.cacheTtlMinMs;
  for (const StatusProvider& provider : deps_.providers) {
    if (std::find(keys_.begin(), keys_.end(), provider.key) == keys_.end()) keys_.push_back(provider.key);
  }
  cacheCounters_.resize(keys().size());
  for (const auto& key : keys()) hasAdapter_.push_back(deps_.adapterFor && deps_.adapterFor(key));
  if (deps_.metrics != nullptr) {
    for (std::size_t i = 0; i < keys().size(); ++i) {
      if (!hasAdapter_[i]) continue;  // never called: no series for it
      for (std::size_t r = 0; r < kCacheResults.size(); ++r) {
        cacheCounters_[i][r] =
            deps_.metrics->counter(Metrics::kStatusCache, {{"provider", keys()[i]}, {"result", std::string(kCacheResults[r])}});
      }
    }
  }
  pool_ = std::make_unique<PoolHolder>(config_);
}

bool StatusService::hasAdapter(const std::string& key) const {
  const auto at = std::find(keys().begin(), keys().end(), key);
  return at != keys().end() && hasAdapter_[static_cast<std::size_t>(at - keys().begin())];
}

const Metrics::Counter& StatusService::cacheCounter(const std::string& key, std::string_view result) const {
  static const Metrics::Counter none;
  const auto keyAt = std::find(keys().begin(), keys().end(), key);
  const auto resultAt = std::find(kCacheResults.begin(), kCacheResults.end(), result);
  if (keyAt == keys().end() || resultAt == kCacheResults.end()) return none;
  return cacheCounters_[static_cast<std::size_t>(keyAt - keys().begin())]
                       [static_cast<std::size_t>(resultAt - kCacheResults.begin())];
}

StatusService::~StatusService() { pool_.reset(); }

int64_t StatusService::now() const { return deps_.nowMs ? deps_.nowMs() : systemNowMs(); }

int64_t StatusService::ttlMs() {
  double unit = 0;
  if (deps_.randomUnit) {
    unit = deps_.randomUnit();
  } else {
    std::lock_guard lock(mutex_);
    jitterState_ = jitterState_ * 6364136223846793005ULL + 1442695040888963407ULL;
    unit = static_cast<double>(jitterState_ >> 11) / static_cast<double>(1ULL << 53);
  }
  const int64_t span = config_.cacheTtlMaxMs - config_.cacheTtlMinMs;
  return config_.cacheTtlMinMs + static_cast<int64_t>(unit * static_cast<double>(span));
}

void StatusService::count(const char* family, const MetricLabels& labels) {
  if (deps_.metrics != nullptr) deps_.metrics->increment(family, labels);
}

std::shared_ptr<StatusService::Entry> StatusService::entryFor(const std::string& projectId, const std::string& key) {
  std::lock_guard lock(mutex_);
  auto& slot = entries_[entryKey(projectId, key)];
  if (!slot) {
    slot = std::make_shared<Entry>();
    slot->projectId = projectId;
    slot->key = key;
  }
  return slot;
}

Status StatusService::warmStart() {
  auto snapshots = deps_.integrations->listStatusSnapshots();
  if (!snapshots) return snapshots.status();
  int restored = 0;
  for (const auto& snapshot : *snapshots) {
    // A provider no loaded plugin reports for: its snapshot waits in the
    // store for the plugin's return and stays out of the breaker gauge.
    if (!hasAdapter(snapshot.provider)) continue;
    auto entry = entryFor(snapshot.projectId, snapshot.provider);
    std::lock_guard lock(entry->mutex);
    if (!snapshot.documentJson.empty()) {
      auto report = parseProviderReport(snapshot.documentJson);
      if (report) {
        entry->report = std::make_shared<const ProviderReport>(std::move(report).value());
        entry->reportJson = snapshot.documentJson;
        entry->fetchedAtMs = snapshot.fetchedAtMs;
        ++restored;
      }
    }
    const auto state = parseBreakerState(snapshot.breakerState).value_or(BreakerState::Closed);
    entry->breaker = CircuitBreaker(state, snapshot.consecutiveFailures, snapshot.breakerOpenedAtMs);
    if (snapshot.consecutiveFailures > 0) entry->failureCode = "unknown";
    entry->refreshDueMs = 0;  // served stale at once, refreshed on first use
    ++entry->version;
  }
  logger().information("status: restored %d last good statuses from %z snapshots", restored, snapshots->size());
  return Status::ok();
}

void StatusService::invalidate(const std::string& projectId, const std::string& key) {
  links_.forget(projectId);
  if (hasAdapter(key)) {
    auto entry = entryFor(projectId, key);
    std::lock_guard lock(entry->mutex);
    ++entry->generation;
    ++entry->version;
    entry->report.reset();
    entry->reportJson.clear();
    entry->fetchedAtMs = 0;
    entry->refreshDueMs = 0;
    entry->failureCode.clear();
    entry->breaker = CircuitBreaker();
    entry->flight.reset();  // a running flight finishes into the void (generation check)
  }
  // A restart must not resurrect the old link's status.
  StatusSnapshot cleared;
  cleared.projectId = projectId;
  cleared.provider = key;
  if (Status stored = deps_.integrations->putStatusSnapshot(cleared); !stored) {
    logger().warning("status: cannot reset the snapshot of %s/%s: %s", projectId, key, stored.message());
  }
}

Result<std::shared_ptr<const StatusService::LinkList>> StatusService::linksOf(const std::string& projectId) {
  if (auto cached = links_.find(projectId)) return *cached;
  auto links = deps_.integrations->listIntegrations(projectId);
  if (!links) return links.status();
  auto list = std::make_shared<const LinkList>(std::move(links).value());
  links_.put(projectId, list);
  return list;
}

bool StatusService::startFlight(const std::shared_ptr<Entry>& entry, const StatusCaller& caller,
                                const IntegrationLink& link, const AdapterCallFn& adapter) {
  // Called with entry->mutex held.
  auto flight = std::make_shared<Flight>();
  const uint64_t generation = entry->generation;
  const bool accepted = pool_->pool.submit(
      [this, entry, flight, caller, link, adapter, generation] { refresh(entry, flight, caller, link, adapter, generation); });
  if (!accepted) return false;
  entry->flight = flight;
  return true;
}

StatusService::Lookup StatusService::lookup(const StatusCaller& caller, const IntegrationLink& link,
                                            const AdapterCallFn& adapter, bool force) {
  Lookup result;
  result.entry = entryFor(caller.projectId, link.key);
  Entry& entry = *result.entry;
  std::lock_guard lock(entry.mutex);
  const int64_t nowMs = now();
  const BreakerPolicy policy{config_.breakerFailures, config_.breakerCooldownMs};
  auto serveCached = [&](bool stale) {
    result.state = cachedState(entry, policy, stale);
    result.version = entry.version;
    result.done = true;
  };
  const bool known = entry.report != nullptr || !entry.failureCode.empty();
  if (known && nowMs < entry.refreshDueMs && !(force && !entry.flight)) {
    serveCached(false);
    return result;
  }
  if (!entry.flight) {
    if (!entry.breaker.allowCall(policy, nowMs)) {
      // Open: no upstream call at all; the last good status, marked stale.
      result.cacheResult = "stale";
      serveCached(true);
      return result;
    }
    if (!startFlight(result.entry, caller, link, adapter)) {
      logger().warning("status: adapter queue full; %s/%s not refreshed", caller.projectId, link.key);
      if (!known) {
        entry.failureCode = "unknown";
        ++entry.version;
      }
      result.cacheResult = "stale";
      serveCached(true);
      return result;
    }
  }
  if (entry.report) {
    // Stale-while-revalidate: the refresh runs, this request does not wait.
    result.cacheResult = "stale";
    serveCached(true);
    return result;
  }
  result.cacheResult = "miss";
  result.waitFor = entry.flight;
  return result;
}

ItemState StatusService::finish(Lookup& lookup, const std::string& key, int64_t deadlineSteadyMs) {
  ItemState state = lookup.state;
  if (!lookup.done) {
    {
      std::unique_lock lock(lookup.waitFor->mutex);
      const auto deadline = std::chrono::steady_clock::time_point(std::chrono::milliseconds(deadlineSteadyMs));
      lookup.waitFor->done.wait_until(lock, deadline, [&] { return lookup.waitFor->finished; });
    }
    Entry& entry = *lookup.entry;
    std::lock_guard lock(entry.mutex);
    state = cachedState(entry, {config_.breakerFailures, config_.breakerCooldownMs}, false);
    if (!state.report && state.failureCode.empty()) {
      // Still running at our deadline: report it, the cache gets the answer later.
      state.failureCode = "timeout";
      count(Metrics::kAdapterTimeouts, {{"provider", key}});
    }
  }
  return state;
}

void StatusService::refresh(const std::shared_ptr<Entry>& entry, const std::shared_ptr<Flight>& flight,
                            StatusCaller caller, IntegrationLink link, AdapterCallFn adapter, uint64_t generation) {
  const auto started = std::chrono::steady_clock::now();
  std::string failureCode;
  std::string failureReason;
  std::optional<ProviderReport> report;
  std::string reportJson;
  std::vector<std::string> dropped;  // URLs of the report the view will not send
  std::string connectionName = link.connectionName;
  std::vector<std::string> missingScopes;
  try {
    auto credentials = deps_.credentials ? deps_.credentials(link) : Result<LinkCredentials>(LinkCredentials{});
    if (!credentials) {
      failureCode = isCredentialFailure(credentials.status().field()) ? credentials.status().field() : "unknown";
      failureReason = "cannot open the link's credentials: " + credentials.status().message();
    } else {
      missingScopes = credentials->missingScopes;
      const std::string baseUrl = deps_.baseUrlFor ? deps_.baseUrlFor(link.key) : std::string();
      auto answer =
          adapter(adapterRequest(link, baseUrl, *credentials), now() + config_.deadlineMs, credentials->token);
      // A refresh after the provider's 401 that found the grant revoked
      // decides the item, whatever the plugin made of it.
      const std::optional<Status> refresh = credentials->token ? credentials->token->refreshFailure() : std::nullopt;
      if (refresh && isCredentialFailure(refresh->field())) {
        failureCode = refresh->field();
        failureReason = refresh->message();
      } else if (!answer) {
        failureCode = failureCodeOf(answer.status());
        failureReason = answer.status().message();
      } else if (auto parsed = parseProviderReport(*answer); !parsed) {
        failureCode = "unknown";
        failureReason = "the plugin wrote an invalid status document: " + parsed.status().message();
      } else {
        report = std::move(parsed).value();
        reportJson = std::move(answer).value();
        dropped = droppedUrls(*report);
      }
    }
  } catch (const std::exception& e) {
    failureCode = "unknown";
    failureReason = std::string("adapter call threw: ") + e.what();
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const int64_t latencyMs = static_cast<int64_t>(seconds * 1000);

  StatusSnapshot snapshot;
  bool current = false;
  BreakerState breaker = BreakerState::Closed;
  {
    std::lock_guard lock(entry->mutex);
    current = entry->generation == generation;
    if (current) {
      const int64_t nowMs = now();
      const BreakerPolicy policy{config_.breakerFailures, config_.breakerCooldownMs};
      int64_t fresh = ttlMs();
      if (report) {
        if (report->retryAfterSeconds > 0) fresh = std::max(fresh, report->retryAfterSeconds * 1000);
        entry->report = std::make_shared<const ProviderReport>(std::move(*report));
        entry->reportJson = std::move(reportJson);
        entry->fetchedAtMs = nowMs;
        entry->failureCode.clear();
        entry->breaker.recordSuccess();
      } else {
        entry->failureCode = failureCode;
        // The grant, not the provider, failed: no reason to pause the checks.
        if (!isCredentialFailure(failureCode)) entry->breaker.recordFailure(policy, nowMs);
      }
      entry->connectionName = std::move(connectionName);
      entry->missingScopes = std::move(missingScopes);
      entry->refreshDueMs = nowMs + fresh;
      entry->flight.reset();
      ++entry->version;
      breaker = entry->breaker.state();
      snapshot.projectId = entry->projectId;
      snapshot.provider = entry->key;
      snapshot.documentJson = entry->reportJson;
      snapshot.fetchedAtMs = entry->fetchedAtMs;
      snapshot.breakerState = toString(entry->breaker.state());
      snapshot.consecutiveFailures = entry->breaker.consecutiveFailures();
      snapshot.breakerOpenedAtMs = entry->breaker.openedAtMs();
    }
  }
  {
    std::lock_guard lock(flight->mutex);
    flight->finished = true;
  }
  flight->done.notify_all();

  const std::string outcome = failureCode.empty() ? "ok" : failureCode == "timeout" ? "timeout" : "failed";
  if (deps_.metrics != nullptr) {
    deps_.metrics->observe(Metrics::kAdapterLatency, {{"provider", link.key}}, seconds);
    deps_.metrics->increment(Metrics::kAdapterCalls, {{"provider", link.key}, {"outcome", outcome}});
  }
  std::ostringstream line;
  line << "{\"event\":\"status.refresh\",\"projectId\":" << quote(caller.projectId)
       << ",\"userId\":" << quote(caller.userId) << ",\"provider\":" << quote(link.key)
       << ",\"latencyMs\":" << latencyMs << ",\"cacheHit\":false,\"outcome\":" << quote(outcome)
       << ",\"breaker\":" << quote(toString(breaker)) << ",\"requestId\":" << quote(caller.requestId);
  if (!failureReason.empty()) line << ",\"reason\":" << quote(failureReason);
  if (!dropped.empty()) {
    line << ",\"droppedUrls\":[";
    for (std::size_t i = 0; i < dropped.size(); ++i) line << (i == 0 ? "" : ",") << quote(dropped[i]);
    line << "]";
  }
  line << "}";
  if (failureCode.empty() && dropped.empty()) {
    logger().information(line.str());
  } else {
    logger().warning(line.str());
  }
  if (current) {
    if (Status stored = deps_.integrations->putStatusSnapshot(snapshot); !stored) {
      logger().warning("status: cannot persist the snapshot of %s/%s: %s", snapshot.projectId, snapshot.provider,
                       stored.message());
    }
    std::shared_lock lock(listenerMutex_);
    if (listener_) {
      try {
        listener_(snapshot.projectId, snapshot.provider);
      } catch (const std::exception& e) {
        logger().error("status: refresh listener threw: %s", std::string(e.what()));
      }
    }
  }
}

void StatusService::setRefreshListener(RefreshListener listener) {
  std::unique_lock lock(listenerMutex_);
  listener_ = std::move(listener);
}

bool StatusService::post(std::function<void()> task) { return pool_->pool.submit(std::move(task)); }

Result<std::vector<LiveItem>> StatusService::liveItems(const std::string& projectId, LiveRefresh refresh) {
  auto links = linksOf(projectId);
  if (!links) return links.status();
  const StatusCaller caller{projectId, "", Role::Owner, "live-status"};
  const BreakerPolicy policy{config_.breakerFailures, config_.breakerCooldownMs};
  std::vector<LiveItem> items;
  items.reserve(keys().size());
  for (std::size_t i = 0; i < keys().size(); ++i) {
    const std::string& key = keys()[i];
    LiveItem item;
    const IntegrationLink* link = linkFor(**links, key);
    if (link != nullptr) item.visibleTo = link->visibleTo;
    if (link == nullptr || !hasAdapter_[i]) {
      // A configured plugin that failed to load shows "disabled", linked or not.
      item.state.key = key;
      item.state.displayName = displayName(key);
      item.state.link = !hasAdapter_[i] ? LinkState::Disabled : LinkState::NotLinked;
    } else {
      if (refresh != LiveRefresh::None) {
        // Starts the flight when one is due (or forced); never waits for it.
        lookup(caller, *link, deps_.adapterFor(key), refresh == LiveRefresh::Force);
      }
      auto entry = entryFor(projectId, key);
      std::lock_guard lock(entry->mutex);
      item.state = cachedState(*entry, policy, now() >= entry->refreshDueMs);
      item.state.key = key;
      item.state.displayName = displayName(key);
      item.state.link = LinkState::Linked;
      item.settled = entry->report != nullptr || !entry->failureCode.empty();
    }
    items.push_back(std::move(item));
  }
  return items;
}

std::shared_ptr<const RenderedStatus> StatusService::cachedProjectStatus(const StatusCaller& caller) {
  auto links = links_.find(caller.projectId);
  if (!links) return nullptr;
  RenderedFor signature;
  signature.links = *links;
  signature.second = now() / 1000;
  const int64_t nowMs = now();
  std::vector<std::size_t> hits;  // key indexes, counted only when the reply is reused
  for (std::size_t i = 0; i < keys().size(); ++i) {
    const std::string& key = keys()[i];
    const IntegrationLink* link = linkFor(**links, key);
    const bool fetched = link != nullptr && roleAtLeast(caller.role, link->visibleTo) && hasAdapter_[i];
    if (!fetched) {
      signature.entries.emplace_back(nullptr, 0);
      continue;
    }
    std::shared_ptr<Entry> entry;
    {
      std::lock_guard lock(mutex_);
      auto it = entries_.find(entryKey(caller.projectId, key));
      if (it == entries_.end()) return nullptr;
      entry = it->second;
    }
    std::lock_guard lock(entry->mutex);
    const bool known = entry->report != nullptr || !entry->failureCode.empty();
    if (!known || nowMs >= entry->refreshDueMs) return nullptr;  // not a fresh hit
    signature.entries.emplace_back(entry.get(), entry->version);
    hits.push_back(i);
  }
  std::shared_ptr<const RenderedStatus> reused;
  {
    std::lock_guard lock(rendersMutex_);
    auto it = renders_.find(caller.projectId + '\n' + toString(caller.role));
    if (it == renders_.end() || !it->second.sameAs(signature)) return nullptr;
    reused = it->second.rendered;
  }
  for (std::size_t i : hits) cacheCounter(keys()[i], "hit").add();
  if (logger().debug()) {
    logger().debug("{\"event\":\"status\",\"projectId\":" + quote(caller.projectId) + ",\"userId\":" +
                   quote(caller.userId) + ",\"overall\":" + quote(reused->overall) + ",\"requestId\":" +
                   quote(caller.requestId) + ",\"reused\":true,\"fromMemory\":true}");
  }
  return reused;
}

Result<RenderedStatus> StatusService::projectStatus(const StatusCaller& caller) {
  const auto startedSteady = steadyNow();
  const int64_t deadlineSteadyMs = startedSteady + config_.deadlineMs;
  auto links = linksOf(caller.projectId);
  if (!links) return links.status();

  struct Pending {
    std::string key;
    std::optional<Lookup> lookup;
    ItemState state;
  };
  std::vector<Pending> pending;
  pending.reserve(keys().size());
  for (const auto& key : keys()) {
    Pending item;
    item.key = key;
    item.state.key = key;
    item.state.displayName = displayName(key);
    const IntegrationLink* link = linkFor(**links, key);
    if (link != nullptr && !roleAtLeast(caller.role, link->visibleTo)) {
      item.state.link = LinkState::Hidden;
    } else if (AdapterCallFn adapter = hasAdapter(key) ? deps_.adapterFor(key) : AdapterCallFn(); !adapter) {
      item.state.link = LinkState::Disabled;  // a configured plugin that failed to load, linked or not
    } else if (link == nullptr) {
      item.state.link = LinkState::NotLinked;
    } else {
      item.state.link = LinkState::Linked;
      // Every lookup starts its flight before any waits: the adapters run in parallel.
      item.lookup = lookup(caller, *link, adapter);
    }
    pending.push_back(std::move(item));
  }

  std::vector<ItemState> states;
  states.reserve(pending.size());
  RenderedFor signature;
  signature.links = *links;
  signature.second = now() / 1000;
  bool allHits = true;
  for (auto& item : pending) {
    const Entry* entry = nullptr;
    uint64_t version = 0;
    if (item.lookup) {
      ItemState found = finish(*item.lookup, item.key, deadlineSteadyMs);
      found.key = item.state.key;
      found.displayName = item.state.displayName;
      found.link = LinkState::Linked;
      item.state = std::move(found);
      const std::string_view result = item.lookup->cacheResult;
      allHits = allHits && result == "hit";
      cacheCounter(item.key, result).add();
      entry = item.lookup->entry.get();
      version = item.lookup->version;
    }
    signature.entries.emplace_back(entry, version);
    states.push_back(std::move(item.state));
  }

  const std::string renderKey = caller.projectId + '\n' + toString(caller.role);
  std::optional<RenderedStatus> reused;
  if (allHits) {
    std::lock_guard lock(rendersMutex_);
    auto it = renders_.find(renderKey);
    if (it != renders_.end() && it->second.sameAs(signature)) reused = *it->second.rendered;
  }
  RenderedStatus rendered;
  if (reused) {
    rendered = std::move(*reused);
  } else {
    rendered = renderStatus(caller.projectId, caller.role, states, signature.second * 1000, config_.deadlineMs);
    if (allHits) {
      signature.rendered = std::make_shared<const RenderedStatus>(rendered);
      std::lock_guard lock(rendersMutex_);
      if (renders_.size() >= kRenderedEntries) renders_.clear();  // deleted projects must not pile up
      renders_[renderKey] = std::move(signature);
    }
  }

  // Cache hits are the bulk of traffic: only at debug level, and the line is
  // only built when it is written.
  if (allHits ? !logger().debug() : !logger().information()) return rendered;
  std::string providers;
  for (std::size_t i = 0; i < pending.size(); ++i) {
    if (!pending[i].lookup) continue;
    const std::string_view result = pending[i].lookup->cacheResult;
    if (!providers.empty()) providers += ',';
    providers += "{\"provider\":" + quote(pending[i].key) + ",\"cacheHit\":" + (result == "hit" ? "true" : "false") +
                 ",\"cache\":" + quote(std::string(result)) + ",\"breaker\":" + quote(toString(states[i].breaker)) +
                 ",\"stale\":" + (states[i].stale ? "true" : "false") + "}";
  }
  const int64_t latencyMs = steadyNow() - startedSteady;
  const std::string line = "{\"event\":\"status\",\"projectId\":" + quote(caller.projectId) +
                           ",\"userId\":" + quote(caller.userId) + ",\"latencyMs\":" + std::to_string(latencyMs) +
                           ",\"overall\":" + quote(rendered.overall) + ",\"requestId\":" + quote(caller.requestId) +
                           ",\"reused\":" + (reused ? "true" : "false") + ",\"providers\":[" + providers + "]}";
  if (allHits) {
    logger().debug(line);
  } else {
    logger().information(line);
  }
  return rendered;
}

Metrics::GaugeSamples StatusService::breakerGauges() const {
  std::map<std::pair<std::string, std::string>, double> counts;
  for (const auto& key : keys()) {
    if (!hasAdapter(key)) continue;
    for (const char* state : {"closed", "open", "half_open"}) counts[{key, state}] = 0;
  }
  std::vector<std::shared_ptr<Entry>> entries;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [name, entry] : entries_) entries.push_back(entry);
  }
  for (const auto& entry : entries) {
    std::lock_guard lock(entry->mutex);
    if (!hasAdapter(entry->key)) continue;  // entries exist only for those; never invent a series
    counts[{entry->key, toString(entry->breaker.state())}] += 1;
  }
  Metrics::GaugeSamples samples;
  for (const auto& [labels, value] : counts) {
    samples.push_back({{{"provider", labels.first}, {"state", labels.second}}, value});
  }
  return samples;
}

}  // namespace sb::status
