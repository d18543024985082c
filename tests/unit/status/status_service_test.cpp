// StatusService against a real store (scratch SQLite file) and scripted
// adapters: single-flight, deadlines, stale-while-revalidate, the breaker,
// persistence across a restart and invalidation.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "scratch_database.hpp"
#include "status/status_service.hpp"
#include "store/store.hpp"

namespace sb::status {
namespace {

const std::string kConnected =
    R"({"status":"connected","summary":"All good","actions":[{"id":"push","label":"Push","minRole":"editor"}]})";

// An adapter whose answers the test scripts: a result, a failure, or a hang
// until released.
class ScriptedAdapter {
 public:
  void answer(std::string document) {
    std::lock_guard lock(mutex_);
    document_ = std::move(document);
    failure_ = ErrorCode::Ok;
  }
  void fail(ErrorCode code, std::string field = {}) {
    std::lock_guard lock(mutex_);
    failure_ = code;
    failureField_ = std::move(field);
  }
  void hang() {
    std::lock_guard lock(mutex_);
    hanging_ = true;
  }
  void release() {
    {
      std::lock_guard lock(mutex_);
      hanging_ = false;
    }
    released_.notify_all();
  }
  int calls() const { return calls_.load(); }
  std::string lastRequest() const {
    std::lock_guard lock(mutex_);
    return lastRequest_;
  }

  AdapterCallFn function() {
    return [this](const std::string& request, int64_t, const std::shared_ptr<CallAccessToken>&) -> Result<std::string> {
      ++calls_;
      std::unique_lock lock(mutex_);
      lastRequest_ = request;
      released_.wait_for(lock, std::chrono::seconds(20), [&] { return !hanging_; });
      if (failure_ != ErrorCode::Ok) return Result<std::string>(failure_, "scripted failure", failureField_);
      return document_;
    };
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable released_;
  std::string document_ = kConnected;
  ErrorCode failure_ = ErrorCode::Ok;
  std::string failureField_;
  bool hanging_ = false;
  std::atomic<int> calls_{0};
  std::string lastRequest_;
};

// The reply's items in these tests; only github has an adapter.
const std::vector<StatusProvider> kBundledProviders{
    {"github", "GitHub"}, {"vercel", "Vercel"}, {"sanity", "Sanity"}, {"supabase", "Supabase"}};

class StatusServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(database_.ok());
    auto store = Store::open(database_.config());
    ASSERT_TRUE(store) << store.status().message();
    store_ = std::move(store).value();
    ASSERT_TRUE(store_->migrate());
    ASSERT_TRUE(store_->users().ensureUser("alice", false));
    auto project = store_->projects().createProject("Demo", "alice");
    ASSERT_TRUE(project);
    projectId_ = project->id;
    link("github");
  }

  void link(const std::string& key, Role visibleTo = Role::Viewer) {
    IntegrationLink link;
    link.projectId = projectId_;
    link.key = key;
    link.settingsJson = R"({"repository":"acme/web"})";
    link.visibleTo = visibleTo;
    ASSERT_TRUE(store_->integrations().putIntegration(link));
  }

  std::unique_ptr<StatusService> makeService(StatusConfig config = {},
                                             std::vector<StatusProvider> providers = kBundledProviders) {
    StatusDependencies deps;
    deps.integrations = &store_->integrations();
    deps.providers = std::move(providers);
    deps.metrics = &metrics_;
    deps.adapterFor = [this](const std::string& key) -> AdapterCallFn {
      return key == "github" ? github_.function() : AdapterCallFn();
    };
    deps.credentials = [this](const IntegrationLink&) -> Result<LinkCredentials> {
      std::lock_guard lock(credentialsMutex_);
      if (!credentialsFailure_.isOk()) return credentialsFailure_;
      LinkCredentials credentials;
      credentials.secretsJson = R"({"token":"t"})";
      credentials.missingScopes = missingScopes_;
      return credentials;
    };
    deps.baseUrlFor = [](const std::string&) { return std::string("http://127.0.0.1:9"); };
    deps.nowMs = [this] { return clock_.load(); };
    deps.randomUnit = [] { return 0.5; };
    return std::make_unique<StatusService>(config, std::move(deps));
  }

  Poco::JSON::Object::Ptr github(StatusService& service, Role role = Role::Owner) {
    auto rendered = service.projectStatus({projectId_, "u1", role, "r1"});
    EXPECT_TRUE(rendered) << rendered.status().message();
    Poco::JSON::Parser parser;
    return parser.parse(rendered->body).extract<Poco::JSON::Object::Ptr>()->getArray("items")->getObject(0);
  }

  // Waits (bounded) until the background refresh has happened `calls` times
  // and its result has been stored.
  void waitForCalls(int calls, StatusService& service) {
    for (int i = 0; i < 400 && github_.calls() < calls; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_GE(github_.calls(), calls);
    // The flight completes right after the call returns; a lookup now sees it or joins it.
    static_cast<void>(service);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  testing::ScratchDatabase database_;
  std::unique_ptr<Store> store_;
  std::string projectId_;
  Metrics metrics_;
  ScriptedAdapter github_;
  std::atomic<int64_t> clock_{1'800'000'000'000};
  std::mutex credentialsMutex_;  // guards the two below, read by the service's threads
  Status credentialsFailure_;
  std::vector<std::string> missingScopes_;
};

TEST_F(StatusServiceTest, FirstCallWaitsForTheAdapterAndSendsTheDocumentedRequest) {
  auto service = makeService();
  auto item = github(*service);
  EXPECT_EQ(item->getValue<std::string>("status"), "connected");
  EXPECT_EQ(item->getValue<std::string>("summary"), "All good");
  EXPECT_FALSE(item->has("stale"));
  EXPECT_EQ(github_.calls(), 1);
  Poco::JSON::Parser parser;
  auto request = parser.parse(github_.lastRequest()).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(request->getValue<std::string>("projectId"), projectId_);
  EXPECT_EQ(request->getValue<std::string>("key"), "github");
  EXPECT_EQ(request->getValue<std::string>("baseUrl"), "http://127.0.0.1:9");
  EXPECT_EQ(request->getObject("settings")->getValue<std::string>("repository"), "acme/web");
  EXPECT_EQ(request->getObject("secrets")->getValue<std::string>("token"), "t");
}

// The host's egress policy refused the plugin's request: a problem for the
// operator, not a provider outage.
TEST_F(StatusServiceTest, AnEgressRefusalIsAProblemWithAnOperatorHint) {
  github_.fail(ErrorCode::PermissionDenied, kEgressRefusalField);
  auto service = makeService();
  auto item = github(*service);
  EXPECT_EQ(item->getValue<std::string>("status"), "error");
  EXPECT_EQ(item->getValue<std::string>("summary"), "GitHub is blocked by the server's egress policy");
  auto problem = item->getObject("problem");
  EXPECT_EQ(problem->getValue<std::string>("code"), "egress_refused");
  EXPECT_NE(problem->getValue<std::string>("hint").find("plugins.enabled[].egress"), std::string::npos);
  EXPECT_EQ(problem->getValue<std::string>("hint").find("scripted failure"), std::string::npos);

  // Another PermissionDenied (a plugin reporting rejected credentials) is not one.
  github_.fail(ErrorCode::PermissionDenied);
  service = makeService();
  EXPECT_EQ(github(*service)->getObject("problem")->getValue<std::string>("code"), "unknown");
}

// A link on a connection whose grant was revoked: no adapter call, an item
// that asks for reconnection, whatever the last good report said.
TEST_F(StatusServiceTest, ARevokedConnectionAsksToReconnectWithoutCallingThePlugin) {
  {
    std::lock_guard lock(credentialsMutex_);
    credentialsFailure_ = Status(ErrorCode::PermissionDenied, "revoked at the provider", kOAuthRevokedField);
  }
  auto service = makeService();
  auto item = github(*service);
  EXPECT_EQ(github_.calls(), 0);
  EXPECT_FALSE(item->getValue<bool>("configured"));
  EXPECT_EQ(item->getValue<std::string>("configuredReason"), "revoked");
  EXPECT_EQ(item->getValue<std::string>("status"), "error");
  EXPECT_EQ(item->getObject("problem")->getValue<std::string>("code"), "oauth_revoked");
  auto actions = item->getArray("actions");
  ASSERT_EQ(actions->size(), 1u);
  EXPECT_EQ(actions->getObject(0)->getValue<std::string>("id"), "reconnect");
  EXPECT_TRUE(actions->getObject(0)->getValue<bool>("can"));  // an owner asks
  EXPECT_FALSE(github(*service, Role::Viewer)->getArray("actions")->getObject(0)->getValue<bool>("can"));

  // Expired without a refresh token: the same remedy, its own reason.
  {
    std::lock_guard lock(credentialsMutex_);
    credentialsFailure_ = Status(ErrorCode::Unauthenticated, "expired", kOAuthExpiredField);
  }
  service = makeService();
  item = github(*service);
  EXPECT_EQ(item->getValue<std::string>("configuredReason"), "expired");
  EXPECT_EQ(item->getObject("problem")->getValue<std::string>("code"), "oauth_expired");
}

TEST_F(StatusServiceTest, ScopesGrantedShortOfTheConnectionsAreAWarningNamingThem) {
  {
    std::lock_guard lock(credentialsMutex_);
    missingScopes_ = {"repo", "read:org"};
  }
  auto service = makeService();
  auto item = github(*service);
  EXPECT_EQ(github_.calls(), 1);
  EXPECT_TRUE(item->getValue<bool>("configured"));
  EXPECT_EQ(item->getValue<std::string>("status"), "warning");
  auto problem = item->getObject("problem");
  EXPECT_EQ(problem->getValue<std::string>("code"), "oauth_scopes_missing");
  EXPECT_NE(problem->getValue<std::string>("hint").find("repo, read:org"), std::string::npos);
  auto actions = item->getArray("actions");
  EXPECT_EQ(actions->getObject(actions->size() - 1)->getValue<std::string>("id"), "reconnect");
}

TEST_F(StatusServiceTest, CachedWithinTheTtlThenServedStaleWhileOneRefreshRuns) {
  auto service = makeService();  // TTL 10-20 s, jitter 0.5 -> 15 s
  github(*service);
  clock_ += 14'000;
  github(*service);
  EXPECT_EQ(github_.calls(), 1);
  clock_ += 2'000;
  github_.answer(R"({"status":"warning","summary":"Changed","actions":[]})");
  auto stale = github(*service);
  EXPECT_TRUE(stale->getValue<bool>("stale"));
  EXPECT_EQ(stale->getValue<std::string>("summary"), "All good");
  waitForCalls(2, *service);
  auto fresh = github(*service);
  EXPECT_EQ(fresh->getValue<std::string>("summary"), "Changed");
  EXPECT_FALSE(fresh->has("stale"));
  EXPECT_EQ(github_.calls(), 2);
}

TEST_F(StatusServiceTest, ConcurrentRequestsShareOneUpstreamCall) {
  auto service = makeService();
  github_.hang();
  std::vector<std::thread> callers;
  std::atomic<int> connected{0};
  for (int i = 0; i < 8; ++i) {
    callers.emplace_back([&] {
      auto rendered = service->projectStatus({projectId_, "u1", Role::Owner, "r"});
      if (rendered && rendered->body.find("All good") != std::string::npos) ++connected;
    });
  }
  while (github_.calls() < 1) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  github_.release();
  for (auto& caller : callers) caller.join();
  EXPECT_EQ(github_.calls(), 1);
  EXPECT_EQ(connected.load(), 8);
}

TEST_F(StatusServiceTest, AHungAdapterIsReportedAsATimeoutAtTheDeadline) {
  StatusConfig config;
  config.deadlineMs = 150;
  auto service = makeService(config);
  github_.hang();
  auto item = github(*service);
  EXPECT_EQ(item->getObject("problem")->getValue<std::string>("code"), "timeout");
  EXPECT_EQ(item->getValue<std::string>("status"), "warning");
  EXPECT_EQ(github_.calls(), 1);  // still running in the pool, not abandoned
  github_.release();
  waitForCalls(1, *service);
  // The late answer fills the cache for the next caller.
  EXPECT_EQ(github(*service)->getValue<std::string>("summary"), "All good");
  EXPECT_NE(metrics_.render().find("switchboard_adapter_timeouts_total{provider=\"github\"} 1"), std::string::npos);
}

TEST_F(StatusServiceTest, FailuresServeTheLastGoodStatusAndOpenTheBreaker) {
  StatusConfig config;
  config.breakerFailures = 2;
  config.breakerCooldownMs = 60'000;
  config.cacheTtlMinMs = config.cacheTtlMaxMs = 1000;
  auto service = makeService(config);
  github(*service);  // good
  github_.fail(ErrorCode::Unavailable);
  for (int failure = 1; failure <= 2; ++failure) {
    clock_ += 1500;
    github(*service);  // stale-while-revalidate starts the failing refresh
    waitForCalls(1 + failure, *service);
  }
  auto item = github(*service);
  EXPECT_TRUE(item->getValue<bool>("stale"));
  EXPECT_EQ(item->getValue<std::string>("summary"), "All good");
  EXPECT_EQ(item->getObject("problem")->getValue<std::string>("code"), "unknown");
  // Open: no upstream call however often we ask, until the cool-down.
  for (int i = 0; i < 5; ++i) {
    clock_ += 5000;
    EXPECT_TRUE(github(*service)->getValue<bool>("stale"));
  }
  EXPECT_EQ(github_.calls(), 3);
  StatusService* raw = service.get();
  metrics_.setGaugeCollector(Metrics::kBreakers, [raw] { return raw->breakerGauges(); });
  EXPECT_NE(metrics_.render().find("switchboard_breakers{provider=\"github\",state=\"open\"} 1"), std::string::npos);
  auto gauges = service->breakerGauges();
  bool sawOpen = false;
  for (const auto& [labels, value] : gauges) {
    if (labels[0].second == "github" && labels[1].second == "open") sawOpen = value == 1;
  }
  EXPECT_TRUE(sawOpen);
  // After the cool-down one probe runs; it succeeds and closes the breaker.
  github_.answer(kConnected);
  clock_ += 60'000;
  github(*service);
  waitForCalls(4, *service);
  auto recovered = github(*service);
  EXPECT_FALSE(recovered->has("stale"));
  EXPECT_FALSE(recovered->has("problem"));
}

TEST_F(StatusServiceTest, ARestartServesThePersistedStatusAtOnce) {
  {
    auto service = makeService();
    github(*service);
  }
  auto snapshot = store_->integrations().getStatusSnapshot(projectId_, "github");
  ASSERT_TRUE(snapshot && snapshot->has_value());
  EXPECT_NE((*snapshot)->documentJson.find("All good"), std::string::npos);

  github_.hang();
  StatusConfig config;
  config.deadlineMs = 100;
  auto restarted = makeService(config);
  ASSERT_TRUE(restarted->warmStart());
  auto item = github(*restarted);
  EXPECT_EQ(item->getValue<std::string>("summary"), "All good");
  EXPECT_TRUE(item->getValue<bool>("stale"));
  EXPECT_FALSE(item->has("problem"));
  github_.release();
}

TEST_F(StatusServiceTest, InvalidateForgetsTheCachedStatus) {
  auto service = makeService();
  github(*service);
  github_.answer(R"({"status":"error","summary":"Broken","actions":[]})");
  service->invalidate(projectId_, "github");
  EXPECT_EQ(github(*service)->getValue<std::string>("summary"), "Broken");
  EXPECT_EQ(github_.calls(), 2);
}

TEST_F(StatusServiceTest, InvalidPluginDocumentsCountAsFailures) {
  auto service = makeService();
  github_.answer(R"({"status":"splendid"})");
  auto item = github(*service);
  EXPECT_EQ(item->getValue<std::string>("status"), "error");
  EXPECT_EQ(item->getObject("problem")->getValue<std::string>("code"), "unknown");
}

TEST_F(StatusServiceTest, HiddenAndDisabledLinksMakeNoAdapterCall) {
  link("github", Role::Editor);
  link("vercel");  // no adapter for vercel in this test: disabled
  auto service = makeService();
  auto viewer = github(*service, Role::Viewer);
  EXPECT_FALSE(viewer->getValue<bool>("visible"));
  EXPECT_EQ(viewer->getValue<std::string>("configuredReason"), "hidden_by_policy");
  EXPECT_EQ(github_.calls(), 0);
  auto rendered = service->projectStatus({projectId_, "u1", Role::Owner, "r"});
  ASSERT_TRUE(rendered);
  EXPECT_NE(rendered->body.find("\"configuredReason\":\"disabled\""), std::string::npos);
}

// The items are the providers the service was given, in that order, and only
// those: a link to a key no plugin reports for shows nowhere, an unlinked
// provider without an adapter (its plugin failed to load) says "disabled",
// and metrics name only providers with an adapter, whatever links, snapshots
// or invalidations mention.
TEST_F(StatusServiceTest, ItemsMetricsAndSnapshotsFollowTheProvidersGiven) {
  link("netlify");
  StatusSnapshot orphan;
  orphan.projectId = projectId_;
  orphan.provider = "heroku";
  orphan.breakerState = "open";
  orphan.consecutiveFailures = 9;
  ASSERT_TRUE(store_->integrations().putStatusSnapshot(orphan));
  auto service = makeService({}, {{"supabase", "Supabase"}, {"github", "GitHub"}, {"defunct", "defunct"}});
  ASSERT_TRUE(service->warmStart());
  service->invalidate(projectId_, "netlify");
  auto rendered = service->projectStatus({projectId_, "u1", Role::Owner, "r"});
  ASSERT_TRUE(rendered) << rendered.status().message();
  Poco::JSON::Parser parser;
  auto items = parser.parse(rendered->body).extract<Poco::JSON::Object::Ptr>()->getArray("items");
  ASSERT_EQ(items->size(), 3u) << rendered->body;
  EXPECT_EQ(items->getObject(0)->getValue<std::string>("key"), "supabase");
  EXPECT_EQ(items->getObject(0)->getValue<std::string>("configuredReason"), "disabled");
  EXPECT_EQ(items->getObject(1)->getValue<std::string>("key"), "github");
  EXPECT_EQ(items->getObject(1)->getValue<std::string>("status"), "connected");
  EXPECT_EQ(items->getObject(2)->getValue<std::string>("key"), "defunct");
  EXPECT_EQ(items->getObject(2)->getValue<std::string>("status"), "disconnected");
  EXPECT_EQ(items->getObject(2)->getValue<std::string>("configuredReason"), "disabled");
  EXPECT_EQ(rendered->body.find("netlify"), std::string::npos);

  std::string gauges;
  for (const auto& sample : service->breakerGauges()) {
    for (const auto& [name, value] : sample.first) gauges += name + "=" + value + " ";
    gauges += "\n";
  }
  EXPECT_NE(gauges.find("provider=github state=closed"), std::string::npos) << gauges;
  for (const char* absent : {"heroku", "netlify", "supabase", "defunct"}) {
    EXPECT_EQ(gauges.find(absent), std::string::npos) << absent << " in\n" << gauges;
  }
  const std::string metrics = metrics_.render();
  for (const char* absent : {"heroku", "netlify", "supabase", "defunct"}) {
    EXPECT_EQ(metrics.find(absent), std::string::npos) << absent << " in\n" << metrics;
  }
  EXPECT_NE(metrics.find("switchboard_status_cache_total{provider=\"github\""), std::string::npos) << metrics;
  EXPECT_EQ(service->keys(), (std::vector<std::string>{"supabase", "github", "defunct"}));
}

}  // namespace
// Polled replies are reused while nothing they show changed, per role, and
// rebuilt as soon as a refresh, an invalidation or the clock's second changes.
TEST_F(StatusServiceTest, RepliesAreReusedOnlyWhileNothingTheyShowChanged) {
  auto service = makeService();
  auto render = [&](Role role) {
    auto rendered = service->projectStatus({projectId_, "u1", role, "r"});
    EXPECT_TRUE(rendered) << rendered.status().message();
    return rendered ? rendered->body : std::string();
  };
  const std::string first = render(Role::Owner);
  EXPECT_EQ(render(Role::Owner), first);
  // Another role gets its own reply (actions' can/reason differ).
  const std::string viewer = render(Role::Viewer);
  EXPECT_NE(viewer, first);
  EXPECT_EQ(render(Role::Viewer), viewer);
  // A new second: updatedAt of the unlinked items moves.
  clock_ += 1'000;
  const std::string later = render(Role::Owner);
  EXPECT_NE(later, first);
  // An invalidated link is fetched again and its new answer shown at once.
  github_.answer(R"({"status":"error","summary":"Broken","actions":[]})");
  service->invalidate(projectId_, "github");
  EXPECT_NE(render(Role::Owner).find("Broken"), std::string::npos);
  EXPECT_EQ(github_.calls(), 2);
  // The stale-while-revalidate path never reuses: past the TTL the reply says stale.
  clock_ += 16'000;
  github_.answer(kConnected);
  EXPECT_NE(render(Role::Owner).find("\"stale\":true"), std::string::npos);
  waitForCalls(3, *service);
  const std::string refreshed = render(Role::Owner);
  EXPECT_EQ(refreshed.find("\"stale\":true"), std::string::npos);
  EXPECT_NE(refreshed.find("All good"), std::string::npos);
  const std::string metrics = metrics_.render();
  EXPECT_NE(metrics.find("switchboard_status_cache_total{provider=\"github\",result=\"hit\"} 5"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("switchboard_status_cache_total{provider=\"github\",result=\"stale\"} 1"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("switchboard_status_cache_total{provider=\"github\",result=\"miss\"} 2"), std::string::npos)
      << metrics;
}

// What the HTTP front end may answer from its I/O thread: exactly the reply
// projectStatus would reuse, and nothing when anything would need the store,
// an adapter or a new render.
TEST_F(StatusServiceTest, CachedProjectStatusIsTheReusedReplyOrNothing) {
  auto service = makeService();
  const StatusCaller owner{projectId_, "u1", Role::Owner, "r"};
  EXPECT_FALSE(service->cachedProjectStatus(owner)) << "nothing is cached yet";
  ASSERT_TRUE(service->projectStatus(owner));  // a miss: waits for the adapter, renders
  EXPECT_FALSE(service->cachedProjectStatus(owner)) << "only a reply rendered from fresh hits is kept";
  auto first = service->projectStatus(owner);  // every item a fresh hit: kept for reuse
  ASSERT_TRUE(first);
  auto cached = service->cachedProjectStatus(owner);
  ASSERT_TRUE(cached);
  EXPECT_EQ(cached->body, first->body);
  EXPECT_EQ(cached->hash, first->hash);
  EXPECT_FALSE(service->cachedProjectStatus({projectId_, "u1", Role::Viewer, "r"}))
      << "another role's reply was never rendered";
  clock_ += 1'000;
  EXPECT_FALSE(service->cachedProjectStatus(owner)) << "a new second needs a new render";
  ASSERT_TRUE(service->projectStatus(owner));
  EXPECT_TRUE(service->cachedProjectStatus(owner));
  service->invalidate(projectId_, "github");
  EXPECT_FALSE(service->cachedProjectStatus(owner)) << "an invalidated link needs the adapter";
  ASSERT_TRUE(service->projectStatus(owner));
  ASSERT_TRUE(service->projectStatus(owner));
  EXPECT_TRUE(service->cachedProjectStatus(owner));
  clock_ += 16'000;
  EXPECT_FALSE(service->cachedProjectStatus(owner)) << "past the TTL the entry is not a fresh hit";
  EXPECT_EQ(github_.calls(), 2) << "cachedProjectStatus never calls the adapter";
}

}  // namespace sb::status
