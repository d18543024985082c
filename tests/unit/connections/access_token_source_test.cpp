// AccessTokenSource over a real store (SQLite file or PostgreSQL, as the
// store tests) and the fake authorization server on loopback, reached through
// the host's HTTP client and egress policy: refresh ahead of expiry, once
// after a 401, exactly one refresh for 100 concurrent callers on two store
// instances (two hosts on one database), invalid_grant revoking at once, and
// transient failures keeping the grant with a back-off.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>

#include "connections/access_token_source.hpp"
#include "connections/pkce.hpp"
#include "connections/sealed_grant.hpp"
#include "connections/token_client.hpp"
#include "core/clock.hpp"
#include "oauth_fake.hpp"
#include "scratch_database.hpp"
#include "store/store.hpp"

namespace sb::connections {
namespace {

using sb::testing::ScratchDatabase;

class AccessTokenSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.start();
    database_ = std::make_unique<ScratchDatabase>();
    ASSERT_TRUE(database_->ok()) << "test database unavailable";
    store_ = open();
    ASSERT_TRUE(store_);
    ASSERT_TRUE(store_->migrate().isOk());
    auto user = store_->users().ensureUser("olivia", false);
    ASSERT_TRUE(user.isOk()) << user.status().message();
    userId_ = user->id;
    box_ = std::move(SecretBox::fromKey(std::string(32, 'k')).value());

    ConnectionConfig acme;
    acme.name = "acme";
    acme.oauth.clientId = fakes::kOAuthClientId;
    acme.oauth.clientSecret = fakes::kOAuthClientSecret;
    acme.oauth.authorizeUrl = server_.baseUrl() + "/authorize";
    acme.oauth.tokenUrl = server_.baseUrl() + "/token";
    acme.oauth.redirectUri = "https://app.example/oauth/callback";
    acme.refreshMarginMs = 60000;
    acme.egress.allowHttp = true;
    acme.egress.allow = {"127.0.0.1"};
    directory_ = std::make_unique<ConnectionDirectory>(std::vector<ConnectionConfig>{acme});
  }

  void TearDown() override {
    store_.reset();
    database_.reset();
  }

  std::unique_ptr<Store> open() const {
    auto opened = Store::open(database_->config());
    EXPECT_TRUE(opened.isOk()) << opened.status().message();
    return opened.isOk() ? std::move(opened.value()) : nullptr;
  }

  // A real grant: the browser leg at the fake, then the host's code exchange.
  OAuthTokenRecord connect(std::int64_t expiresAtMs) {
    const std::string verifier = newCodeVerifier();
    Poco::URI authorize(server_.baseUrl() + "/authorize");
    authorize.addQueryParameter("response_type", "code");
    authorize.addQueryParameter("client_id", fakes::kOAuthClientId);
    authorize.addQueryParameter("redirect_uri", "https://app.example/oauth/callback");
    authorize.addQueryParameter("state", "s");
    authorize.addQueryParameter("code_challenge", codeChallengeS256(verifier));
    authorize.addQueryParameter("code_challenge_method", "S256");
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(server_.port()));
    Poco::Net::HTTPRequest request("GET", authorize.getPathEtc(), Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    session.receiveResponse(response);
    EXPECT_EQ(response.getStatus(), 302);
    std::string code;
    for (const auto& [key, value] : Poco::URI(response.get("Location")).getQueryParameters()) {
      if (key == "code") code = value;
    }
    TokenOutcome exchanged =
        exchangeAuthorizationCode(*directory_->find("acme"), code, verifier, "https://app.example/oauth/callback", "");
    EXPECT_TRUE(exchanged.ok()) << exchanged.message;
    OAuthTokenRecord record;
    record.userId = userId_;
    record.connectionName = "acme";
    record.tokenSealed = sealGrant(GrantSecrets{exchanged.grant->accessToken, exchanged.grant->refreshToken, "Bearer"},
                                   *box_, userId_, "acme");
    record.scopes = "read";
    record.expiresAtMs = expiresAtMs;
    auto stored = store_->connections().putToken(record);
    EXPECT_TRUE(stored.isOk()) << stored.status().message();
    accessToken_ = exchanged.grant->accessToken;
    return stored.isOk() ? *stored : record;
  }

  AccessTokenSource source(Store& store, const std::string& instance) {
    AccessTokenOptions options;
    options.instanceId = instance;
    return AccessTokenSource(store, *directory_, *box_, options);
  }

  std::shared_ptr<fakes::OAuthFake> oauth_ = fakes::makeOAuthFake();
  fakes::FakeServer server_{oauth_};
  std::unique_ptr<ScratchDatabase> database_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<SecretBox> box_;
  std::unique_ptr<ConnectionDirectory> directory_;
  std::string userId_;
  std::string accessToken_;  // as first issued
};

TEST_F(AccessTokenSourceTest, AFreshTokenIsUsedAsIs) {
  const OAuthTokenRecord grant = connect(systemNowMs() + 3'600'000);
  auto tokens = source(*store_, "a");
  auto token = tokens.current(grant.id);
  ASSERT_TRUE(token.isOk()) << token.status().message();
  EXPECT_EQ(token->token, accessToken_);
  EXPECT_EQ(oauth_->counters().refreshes, 0);
}

TEST_F(AccessTokenSourceTest, ATokenWithinTheMarginIsRefreshedAndTheRotatedTokenStored) {
  const OAuthTokenRecord grant = connect(systemNowMs() + 30'000);  // inside the 60 s margin
  auto tokens = source(*store_, "a");
  auto token = tokens.current(grant.id);
  ASSERT_TRUE(token.isOk()) << token.status().message();
  EXPECT_NE(token->token, accessToken_);
  EXPECT_TRUE(oauth_->accessTokenValid(token->token));
  EXPECT_EQ(oauth_->counters().refreshes, 1);
  auto again = tokens.current(grant.id);
  ASSERT_TRUE(again.isOk());
  EXPECT_EQ(again->token, token->token);
  EXPECT_EQ(oauth_->counters().refreshes, 1) << "the stored token is fresh now";
  auto stored = store_->connections().getTokenById(grant.id);
  ASSERT_TRUE(stored.isOk() && stored->has_value());
  EXPECT_GT((*stored)->expiresAtMs, systemNowMs() + 3'000'000);
  EXPECT_EQ((*stored)->generation, grant.generation + 1);
  // A second refresh uses the rotated refresh token: the fake would revoke
  // the grant if the old one came back.
  auto rejected = tokens.afterRejection(grant.id, again->generation);
  ASSERT_TRUE(rejected.isOk()) << rejected.status().message();
  EXPECT_EQ(oauth_->counters().reuseDetected, 0);
  EXPECT_EQ(oauth_->counters().refreshes, 2);
}

TEST_F(AccessTokenSourceTest, A401RefreshesOnceEvenWhenSeveralCallersSawIt) {
  const OAuthTokenRecord grant = connect(0);  // lifetime unknown: only a 401 triggers a refresh
  auto tokens = source(*store_, "a");
  auto first = tokens.current(grant.id);
  ASSERT_TRUE(first.isOk());
  EXPECT_EQ(oauth_->counters().refreshes, 0);
  oauth_->expireAccessTokens();
  auto refreshed = tokens.afterRejection(grant.id, first->generation);
  auto late = tokens.afterRejection(grant.id, first->generation);  // a second caller with the old token
  ASSERT_TRUE(refreshed.isOk() && late.isOk());
  EXPECT_EQ(late->token, refreshed->token);
  EXPECT_TRUE(oauth_->accessTokenValid(refreshed->token));
  EXPECT_EQ(oauth_->counters().refreshes, 1);
}

TEST_F(AccessTokenSourceTest, HundredCallersOnTwoInstancesMakeExactlyOneTokenRequest) {
  const OAuthTokenRecord grant = connect(systemNowMs() - 1000);  // expired
  std::unique_ptr<Store> other = open();
  ASSERT_TRUE(other);
  auto first = source(*store_, "host-a");
  auto second = source(*other, "host-b");
  const std::int64_t before = oauth_->counters().tokenRequests;
  server_.setLatencyMs(200);  // the refresh takes a while: everyone else arrives meanwhile
  std::atomic<int> failures{0};
  std::mutex mutex;
  std::set<std::string> seen;
  std::vector<std::thread> threads;
  for (int i = 0; i < 100; ++i) {
    threads.emplace_back([&, i] {
      auto token = (i % 2 == 0 ? first : second).current(grant.id);
      if (!token) {
        ++failures;
        return;
      }
      std::lock_guard lock(mutex);
      seen.insert(token->token);
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(seen.size(), 1u) << "every caller got the one refreshed token";
  EXPECT_EQ(oauth_->counters().tokenRequests - before, 1);
  EXPECT_EQ(oauth_->counters().reuseDetected, 0);
  ASSERT_FALSE(seen.empty());
  EXPECT_TRUE(oauth_->accessTokenValid(*seen.begin()));
}

TEST_F(AccessTokenSourceTest, InvalidGrantMarksTheGrantRevokedAtOnce) {
  const OAuthTokenRecord grant = connect(systemNowMs() - 1000);
  server_.setMode("invalid_grant");
  auto tokens = source(*store_, "a");
  auto token = tokens.current(grant.id);
  ASSERT_FALSE(token.isOk());
  EXPECT_EQ(token.status().code(), ErrorCode::PermissionDenied);
  EXPECT_EQ(token.status().field(), kOAuthRevokedField);
  auto stored = store_->connections().getTokenById(grant.id);
  ASSERT_TRUE(stored.isOk() && stored->has_value());
  EXPECT_EQ((*stored)->state, GrantState::Revoked);
  const std::int64_t requests = oauth_->counters().tokenRequests;
  EXPECT_FALSE(tokens.current(grant.id).isOk());
  EXPECT_EQ(oauth_->counters().tokenRequests, requests) << "a revoked grant is not refreshed again";
}

TEST_F(AccessTokenSourceTest, TransientFailuresKeepTheGrantAndBackOff) {
  const OAuthTokenRecord grant = connect(systemNowMs() - 1000);
  auto tokens = source(*store_, "a");
  for (const char* mode : {"rate_limited", "server_error"}) {
    ASSERT_TRUE(store_->connections().releaseRefreshLease(grant.id, "nobody", 0).isOk());  // clears the back-off
    server_.setMode(mode);
    const std::int64_t requests = oauth_->counters().tokenRequests;
    auto token = tokens.current(grant.id);
    ASSERT_FALSE(token.isOk()) << mode;
    EXPECT_EQ(token.status().code(), ErrorCode::Unavailable) << mode;
    auto stored = store_->connections().getTokenById(grant.id);
    ASSERT_TRUE(stored.isOk() && stored->has_value());
    EXPECT_EQ((*stored)->state, GrantState::Connected) << mode;
    const std::int64_t wait = (*stored)->refreshNotBeforeMs - systemNowMs();
    if (std::string(mode) == "rate_limited") {
      EXPECT_GT(wait, 5000) << "Retry-After: 7";
      EXPECT_LE(wait, 7000);
    } else {
      EXPECT_GT(wait, 25000) << "the default back-off";
    }
    EXPECT_FALSE(tokens.current(grant.id).isOk());
    EXPECT_EQ(oauth_->counters().tokenRequests, requests + 1) << mode << ": no request during the back-off";
  }
  server_.setMode("ok");
  ASSERT_TRUE(store_->connections().releaseRefreshLease(grant.id, "nobody", 0).isOk());
  auto recovered = tokens.current(grant.id);
  ASSERT_TRUE(recovered.isOk()) << recovered.status().message();
  EXPECT_TRUE(oauth_->accessTokenValid(recovered->token));
}

}  // namespace
}  // namespace sb::connections
