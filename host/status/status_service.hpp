// Integration status for a project: runs the provider adapters in parallel on
// a bounded pool, each under a deadline, behind a cache per (project,
// provider) with a jittered TTL, single-flight refreshes, stale-while-
// revalidate and a circuit breaker; persists the last good status and the
// breaker so a restarted host answers at once. Rendering for one caller
// (roles, redaction, hashes) is status_view.hpp's job.
//
// Ownership: the service owns its cache and pool; the repository and Metrics are
// borrowed and must outlive it. Adapter functions it gets from adapterFor are
// called on pool threads until the destructor returns.
// Thread-safety: every public method may be called from any thread.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/config.hpp"
#include "core/expiring_cache.hpp"
#include "core/link_credentials.hpp"
#include "core/metrics.hpp"
#include "core/model.hpp"
#include "core/result.hpp"
#include "status/circuit_breaker.hpp"
#include "status/status_view.hpp"

namespace sb {
class IntegrationRepository;
}

namespace sb::status {

// Runs on_status with the request JSON under an absolute deadline (epoch ms)
// and returns the plugin's document, or the failure (Timeout = it missed the
// deadline; PermissionDenied with field kEgressRefusalField = the host's
// egress policy refused its request; anything else = it could not answer).
// `accessToken` is the link's connection token (null: none), for the call's
// host_access_token and host_access_token_refresh.
using AdapterCallFn = std::function<Result<std::string>(const std::string& requestJson, int64_t deadlineMs,
                                                        const std::shared_ptr<CallAccessToken>& accessToken)>;

// One item the status reply lists, for every project: a loaded plugin's
// schema with a status adapter, or a configured plugin that failed to load
// (its item then says "disabled"). See statusProvidersOf (status_providers.hpp).
struct StatusProvider {
  std::string key;          // integration key (schema id)
  std::string displayName;  // "GitHub"
};

struct StatusDependencies {
  IntegrationRepository* integrations = nullptr;  // required: links and snapshots
  // The items of every reply, in reply order (the catalog's display order).
  // Fixed for the service's life: the key set changes only when plugins do.
  std::vector<StatusProvider> providers;
  Metrics* metrics = nullptr;  // may be null
  // The adapter for an integration key of `providers`; an empty function when
  // no loaded plugin reports status for it (the item then says "disabled").
  // Which keys have one must not change after the service is built.
  std::function<AdapterCallFn(const std::string& key)> adapterFor;
  // A link's secret values as a JSON object ("{}" when none), decrypted, and
  // the access token of its connection if it uses one. A failure with field
  // oauth_revoked / oauth_expired means the user must reconnect. Empty: "{}".
  CredentialsFn credentials;
  // The operator's base_url for the key's plugin ("" = provider default).
  std::function<std::string(const std::string& key)> baseUrlFor;
  std::function<int64_t()> nowMs;     // empty = system clock (epoch ms)
  std::function<double()> randomUnit;  // [0, 1) for TTL jitter; empty = random
};

struct StatusCaller {
  std::string projectId;
  std::string userId;
  Role role = Role::Viewer;
  std::string requestId;
};

// One integration of a project for live events (status/live_status.hpp).
struct LiveItem {
  ItemState state;                // as the owner sees it: Linked, Disabled or NotLinked, never Hidden
  Role visibleTo = Role::Viewer;  // the link's; Viewer when there is no link
  bool settled = true;            // false: linked, but no answer arrived yet (its first refresh runs)
};

// What liveItems() starts besides reading the cache: nothing, the refreshes
// that are due (the TTL passed), or a refresh of every linked item even if
// fresh (a health ping; an open breaker still holds it back).
enum class LiveRefresh { None, Due, Force };

class StatusService {
 public:
  // The integrations every reply lists, in reply order (deps.providers).
  const std::vector<std::string>& keys() const { return keys_; }
  std::string displayName(const std::string& key) const;

  StatusService(StatusConfig config, StatusDependencies dependencies);
  ~StatusService();  // waits for running adapter calls (bounded by their deadline)
  StatusService(const StatusService&) = delete;
  StatusService& operator=(const StatusService&) = delete;

  // Loads persisted snapshots: their reports are served (stale) at once and
  // refreshed on first use; breakers resume where they were.
  Status warmStart();

  // The status of every integration of the project, for this caller. Returns
  // within the configured deadline whatever the adapters do. Errors only when
  // the store cannot list the project's links.
  Result<RenderedStatus> projectStatus(const StatusCaller& caller);
  // The reply projectStatus would reuse, when everything it shows is cached
  // and fresh; null otherwise (then call projectStatus). Never waits: no
  // store, no adapter, and only locks that are never held across either, so
  // it may run on the HTTP front end's I/O threads.
  std::shared_ptr<const RenderedStatus> cachedProjectStatus(const StatusCaller& caller);

  // Every integration of the project from the cache, for live events. Never
  // waits for an adapter: a refresh it starts reports through the refresh
  // listener. Reads the project's links (cached for a few seconds).
  Result<std::vector<LiveItem>> liveItems(const std::string& projectId, LiveRefresh refresh);
  // Called on a pool thread after each refresh of (projectId, key) stored its
  // outcome. Empty = none. Replacing it waits for running calls to return.
  using RefreshListener = std::function<void(const std::string& projectId, const std::string& key)>;
  void setRefreshListener(RefreshListener listener);
  // Runs `task` on the adapter pool; false when its queue is full.
  bool post(std::function<void()> task);

  // Drops what is cached for (projectId, key): its link changed or went away.
  void invalidate(const std::string& projectId, const std::string& key);

  // Breakers by provider and state, for the switchboard_breakers gauge: the
  // providers with a status adapter only, whatever snapshots or links name.
  Metrics::GaugeSamples breakerGauges() const;

  const StatusConfig& config() const { return config_; }

 private:
  struct Entry;
  struct Flight;
  using LinkList = std::vector<IntegrationLink>;
  static constexpr std::chrono::seconds kLinksFreshFor{5};  // other instances' link changes show within this
  static constexpr std::size_t kLinkListsKept = 10000;
  struct Lookup;
  struct RenderedFor;

  std::shared_ptr<Entry> entryFor(const std::string& projectId, const std::string& key);
  Result<std::shared_ptr<const LinkList>> linksOf(const std::string& projectId);
  Lookup lookup(const StatusCaller& caller, const IntegrationLink& link, const AdapterCallFn& adapter,
                bool force = false);
  ItemState finish(Lookup& lookup, const std::string& key, int64_t deadlineSteadyMs);
  static ItemState cachedState(const Entry& entry, const BreakerPolicy& policy, bool servedStale);
  bool startFlight(const std::shared_ptr<Entry>& entry, const StatusCaller& caller, const IntegrationLink& link,
                   const AdapterCallFn& adapter);
  void refresh(const std::shared_ptr<Entry>& entry, const std::shared_ptr<Flight>& flight, StatusCaller caller,
               IntegrationLink link, AdapterCallFn adapter, uint64_t generation);
  int64_t now() const;
  bool hasAdapter(const std::string& key) const;  // a key of the reply that a loaded plugin reports for
  int64_t ttlMs();
  void count(const char* family, const MetricLabels& labels);
  const Metrics::Counter& cacheCounter(const std::string& key, std::string_view result) const;

  StatusConfig config_;
  StatusDependencies deps_;
  std::vector<std::string> keys_;  // deps_.providers' keys, in reply order
  mutable std::mutex mutex_;  // guards entries_ and the jitter source
  std::map<std::string, std::shared_ptr<Entry>> entries_;
  ExpiringCache<std::shared_ptr<const LinkList>> links_{kLinksFreshFor, kLinkListsKept};  // by project
  uint64_t jitterState_;
  // switchboard_status_cache_total by (key index, hit|stale|miss), resolved once.
  std::vector<std::array<Metrics::Counter, 3>> cacheCounters_;
  std::vector<bool> hasAdapter_;  // per key index, from adapterFor at construction
  std::shared_mutex listenerMutex_;  // shared while calling listener_, unique to replace it
  RefreshListener listener_;
  std::mutex rendersMutex_;
  std::unordered_map<std::string, RenderedFor> renders_;  // by projectId + '\n' + role
  struct PoolHolder;
  std::unique_ptr<PoolHolder> pool_;  // last member: destroyed first, joining its threads
};

}  // namespace sb::status
