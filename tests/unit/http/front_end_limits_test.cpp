// The front end against hostile or broken clients, on dedicated servers with
// small limits: slowloris (a header deadline for the whole head), per-client
// and global connection caps, a port already in use, and streaming replies
// whose reader never reads or goes away. No assertion is about time: loops
// only wait, bounded, for something the server must do.
#include <gtest/gtest.h>

#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/metrics.hpp"
#include "raw_client.hpp"
#include "test_server.hpp"

namespace sb::testing {
namespace {

void raiseDescriptorLimit() {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
}

bool healthzAnswers(int port, const std::string& from) {
  RawClient probe(port, from);
  if (!probe.connected() || !probe.send("GET /healthz HTTP/1.1\r\nHost: probe\r\nConnection: close\r\n\r\n")) {
    return false;
  }
  auto response = probe.readResponse(10000);
  return response && response->status == 200;
}

TEST(FrontEndLimits, SlowHeaderClientsAreCutOffAtTheDeadlineAndOthersAreServed) {
  raiseDescriptorLimit();
  constexpr int kSlow = 1000;
  auto server = startDedicatedServer(2, [](ServerConfig& config) {
    config.headerTimeoutMs = 1500;
    config.maxConnectionsPerClient = kSlow;
  });
  const int port = server->port();

  std::vector<std::unique_ptr<RawClient>> slow;
  for (int i = 0; i < kSlow; ++i) {
    slow.push_back(std::make_unique<RawClient>(port));
    ASSERT_TRUE(slow.back()->connected()) << i;
    ASSERT_TRUE(slow.back()->send("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
  }
  // Connection number N+1 from the same address is refused with 503.
  RawClient extra(port);
  auto refused = extra.readResponse();
  ASSERT_TRUE(refused) << "no answer to the connection over the per-client cap";
  EXPECT_EQ(refused->status, 503);
  EXPECT_EQ(refused->header("Retry-After"), "1");
  EXPECT_EQ(refused->header("Content-Type"), "application/problem+json");
  EXPECT_TRUE(extra.waitForClose());

  // Dribble one header line per round to every slow client while probing
  // from another client address; each round's probe must be answered.
  std::vector<bool> closed(kSlow, false);
  int open = kSlow;
  int probes = 0;
  for (int round = 0; round < 200 && open > 0; ++round) {
    for (int i = 0; i < kSlow; ++i) {
      if (closed[i]) continue;
      const bool sent = slow[i]->send("X-Dribble-" + std::to_string(round) + ": 1\r\n");
      slow[i]->pump(0);
      if (!sent || slow[i]->received().find("HTTP/1.1 408") != std::string::npos) {
        if (slow[i]->waitForClose(5000)) {
          closed[i] = true;
          --open;
        }
      }
    }
    EXPECT_TRUE(healthzAnswers(port, "127.0.0.2")) << "round " << round;
    ++probes;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(open, 0) << "slow clients still connected after the header deadline";
  int timedOut = 0;
  for (const auto& client : slow) {
    if (client->received().rfind("HTTP/1.1 408", 0) == 0) ++timedOut;
  }
  EXPECT_EQ(timedOut, kSlow) << "every slow client is told 408 before the close";
  EXPECT_GT(probes, 1);
  server->stop();
}

TEST(FrontEndLimits, IdleConnectionsDoNotBlockOthers) {
  raiseDescriptorLimit();
  auto server = startDedicatedServer(1);
  std::vector<std::unique_ptr<RawClient>> idle;
  for (int i = 0; i < 200; ++i) idle.push_back(std::make_unique<RawClient>(server->port(), "127.0.0.3"));
  EXPECT_TRUE(healthzAnswers(server->port(), "127.0.0.4"));
  for (const auto& client : idle) EXPECT_TRUE(client->connected());
  server->stop();
  // Stopping closes idle connections at once.
  for (const auto& client : idle) EXPECT_TRUE(client->waitForClose(5000));
}

TEST(FrontEndLimits, TheGlobalConnectionCapRefusesWith503) {
  auto server = startDedicatedServer(1, [](ServerConfig& config) { config.maxConnections = 3; });
  std::vector<std::unique_ptr<RawClient>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<RawClient>(server->port(), "127.0.0." + std::to_string(10 + i)));
    // A round trip makes sure the server has accepted this one.
    ASSERT_TRUE(held.back()->send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_TRUE(held.back()->readResponse());
  }
  RawClient fourth(server->port(), "127.0.0.20");
  auto refused = fourth.readResponse();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 503);
  // The held connections are still served.
  ASSERT_TRUE(held[0]->send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto still = held[0]->readResponse();
  ASSERT_TRUE(still);
  EXPECT_EQ(still->status, 200);
  server->stop();
}

TEST(FrontEndLimits, ABusyPortStopsStartWithAddressInUse) {
  auto first = startDedicatedServer(1);
  ServerConfig config;
  config.host = "127.0.0.1";
  config.port = first->port();
  ApiContext context;
  context.store = &testServer().store();
  context.plugins = [] { return std::vector<PluginInfo>{}; };
  context.pluginsReady = [] { return true; };
  context.logging.accessLog = "";
  ApiServer second(config, context);
  const Status started = second.start();
  ASSERT_FALSE(started.isOk());
  EXPECT_EQ(started.message(),
            "cannot listen on 127.0.0.1:" + std::to_string(first->port()) + ": Address already in use");
  // With reuse_port both may bind on purpose (each must opt in).
  first->stop();
}

// A stream route for the tests. "/stream" writes 16 KiB chunks, pausing a
// millisecond between them, `chunks` times (then finishes) or until write()
// fails; "/hello" writes one line and keeps the stream open.
struct StreamProbe {
  std::mutex mutex;
  std::condition_variable changed;
  bool writeFailed = false;
  bool closedSeen = false;
  int written = 0;
};

http::Router streamRouter(const std::shared_ptr<StreamProbe>& probe, int chunks) {
  http::Router router;
  auto watch = [probe](const std::shared_ptr<http::StreamSink>& sink) {
    sink->onClose([probe] {
      std::lock_guard lock(probe->mutex);
      probe->closedSeen = true;
      probe->changed.notify_all();
    });
  };
  router.add("GET", "/stream", http::RouteAccess::Public, [probe, chunks, watch](http::ApiRequest&) {
    http::ApiReply reply;
    reply.contentType = "text/plain";
    reply.stream = [probe, chunks, watch](std::shared_ptr<http::StreamSink> sink) {
      watch(sink);
      const std::string chunk(16 * 1024, 'x');
      for (int i = 0; i < chunks; ++i) {
        if (!sink->write(chunk)) {
          std::lock_guard lock(probe->mutex);
          probe->writeFailed = true;
          probe->changed.notify_all();
          return;
        }
        {
          std::lock_guard lock(probe->mutex);
          ++probe->written;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      sink->finish();
    };
    return reply;
  });
  router.add("GET", "/hello", http::RouteAccess::Public, [watch](http::ApiRequest&) {
    http::ApiReply reply;
    reply.contentType = "text/plain";
    reply.stream = [watch](std::shared_ptr<http::StreamSink> sink) {
      watch(sink);
      sink->write("hello\n");
    };
    return reply;
  });
  router.add("GET", "/healthz", http::RouteAccess::Public, [](http::ApiRequest&) {
    return http::ApiReply{200, "application/json", R"({"status":"ok"})", {}, {}};
  });
  return router;
}

bool waitFor(StreamProbe& probe, const std::function<bool()>& condition) {
  std::unique_lock lock(probe.mutex);
  return probe.changed.wait_for(lock, std::chrono::seconds(20), condition);
}

TEST(FrontEndLimits, AStreamReaderThatNeverReadsIsCutOffAndCounted) {
  auto probe = std::make_shared<StreamProbe>();
  Metrics metrics;
  auto server = startDedicatedServer(2, streamRouter(probe, 100000), [](ServerConfig& config) {
    config.streamOutboxBytes = 256 * 1024;
  }, &metrics);
  RawClient reader(server->port());
  ASSERT_TRUE(reader.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n"));
  // The client never reads: the kernel's buffers fill, then the outbox.
  EXPECT_TRUE(waitFor(*probe, [&] { return probe->writeFailed && probe->closedSeen; })) << probe->written;
  EXPECT_NE(metrics.render().find("switchboard_http_streams_dropped_total 1"), std::string::npos)
      << metrics.render();
  EXPECT_TRUE(healthzAnswers(server->port(), "127.0.0.5"));
  EXPECT_TRUE(reader.waitForClose(20000)) << "the connection of the slow reader stays open";
  server->stop();
}

TEST(FrontEndLimits, AStreamReaderThatKeepsUpGetsEverything) {
  auto probe = std::make_shared<StreamProbe>();
  Metrics metrics;
  auto server = startDedicatedServer(2, streamRouter(probe, 200), {}, &metrics);
  RawClient reader(server->port());
  ASSERT_TRUE(reader.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto response = reader.readResponse(60000);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->header("Transfer-Encoding"), "chunked");
  EXPECT_EQ(response->body.size(), 200u * 16 * 1024);
  EXPECT_TRUE(waitFor(*probe, [&] { return probe->closedSeen; }));
  EXPECT_FALSE(probe->writeFailed);
  EXPECT_NE(metrics.render().find("switchboard_http_streams_dropped_total 0"), std::string::npos);
  // A finished stream leaves the connection usable for the next request.
  ASSERT_TRUE(reader.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto next = reader.readResponse();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
  server->stop();
}

TEST(FrontEndLimits, AStreamHearsAtOnceWhenItsClientGoesAway) {
  auto probe = std::make_shared<StreamProbe>();
  auto server = startDedicatedServer(2, streamRouter(probe, 0));
  {
    RawClient reader(server->port());
    ASSERT_TRUE(reader.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
    while (reader.received().find("hello") == std::string::npos && reader.pump(1000)) {
    }
    EXPECT_NE(reader.received().find("Transfer-Encoding: chunked"), std::string::npos) << reader.received();
    EXPECT_NE(reader.received().find("6\r\nhello\n\r\n"), std::string::npos) << reader.received();
    std::lock_guard lock(probe->mutex);
    EXPECT_FALSE(probe->closedSeen);
  }  // the client closes; the producer writes nothing more
  EXPECT_TRUE(waitFor(*probe, [&] { return probe->closedSeen; }));
  server->stop();
}

}  // namespace
}  // namespace sb::testing
