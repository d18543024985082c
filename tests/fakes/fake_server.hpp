// A fake provider API on loopback: a Poco HTTPServer on 127.0.0.1 that hands
// each request to a FakeProvider after applying the behaviour the test (or the
// demo / bench) chose: latency, a hung reply, malformed or oversized bodies.
// Provider-specific replies (paths, headers, error bodies, rate limits) live in
// one FakeProvider per provider (github_fake.cpp, ...), each citing the
// provider's documentation.
//
// Control endpoint (used by the switchboard-fakes binary, bench and demo):
//   GET  /__fake/behaviour            -> {"mode","latencyMs","requests"}
//   POST /__fake/behaviour  {"mode":"ok","latencyMs":100}
// Thread-safety: every method may be called from any thread; handlers run on
// the server's worker threads.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace Poco::Net {
class HTTPServer;
}

namespace sb::fakes {

// Modes every fake understands. Providers add their own (documented in their
// file); an unknown mode is answered as "ok".
//   ok           normal documented replies
//   hang         accept the request and never answer (until stop or 10 min)
//   server_error 500 (or the provider's documented 5xx body)
//   malformed    200 with a body that is not valid JSON
//   oversized    200 with a JSON body of oversizedBytes (default 9 MiB)
//   unauthorized / rate_limited / not_found: the provider's documented reply
struct Behaviour {
  std::string mode = "ok";
  int latencyMs = 0;                        // added before every reply
  std::size_t oversizedBytes = 9u << 20;
};

struct FakeRequest {
  std::string method;
  std::string path;                          // without the query string
  std::map<std::string, std::string> query;  // decoded; last value wins
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string header(const std::string& lowerName) const {
    auto it = headers.find(lowerName);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct FakeResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string contentType = "application/json; charset=utf-8";

  void json(int code, std::string text) {
    status = code;
    body = std::move(text);
  }
};

class FakeProvider {
 public:
  virtual ~FakeProvider() = default;
  virtual std::string name() const = 0;
  // Answer one request. `behaviour.mode` is never hang/malformed/oversized here:
  // the server handles those itself.
  virtual void handle(const FakeRequest& request, FakeResponse& response, const Behaviour& behaviour) = 0;
};

class FakeServer {
 public:
  explicit FakeServer(std::shared_ptr<FakeProvider> provider);
  ~FakeServer();  // stops; hung requests are released
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;

  // Listens on 127.0.0.1:port (0 = ephemeral). Throws Poco::Exception on failure.
  void start(int port = 0);
  void stop();
  int port() const { return port_; }
  std::string baseUrl() const;  // "http://127.0.0.1:<port>"

  void setBehaviour(Behaviour behaviour);
  Behaviour behaviour() const;
  void setMode(const std::string& mode);
  void setLatencyMs(int latencyMs);

  // Every request answered or hung so far (control requests excluded).
  std::vector<FakeRequest> requests() const;
  std::size_t requestCount() const;
  void clearRequests();
  // Time spent making replies (the provider's handle(), latency and hangs
  // excluded), in microseconds since start: what a benchmark subtracts to
  // report the host's own time. Also `busyMicros` of GET /__fake/behaviour.
  std::int64_t busyMicros() const { return busyMicros_.load(); }

  FakeProvider& provider() { return *provider_; }

  // Internal: called by the request handler.
  void serve(const FakeRequest& request, FakeResponse& response);

 private:
  void waitReleased(int maxMs);

  std::shared_ptr<FakeProvider> provider_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  int port_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable released_;
  bool stopping_ = false;
  Behaviour behaviour_;
  std::vector<FakeRequest> requests_;
  std::atomic<std::int64_t> busyMicros_{0};
};

// The bundled fakes (one per provider file), by provider name:
// "github", "vercel", "sanity", "supabase", "netlify" (the third-party test
// plugin's, tests/plugins/netlify_status) and "oauth" (oauth_fake.hpp).
// Null for an unknown name.
std::shared_ptr<FakeProvider> makeFake(const std::string& name);
std::shared_ptr<FakeProvider> makeGithubFake();
std::shared_ptr<FakeProvider> makeVercelFake();
std::shared_ptr<FakeProvider> makeSanityFake();
std::shared_ptr<FakeProvider> makeSupabaseFake();
std::shared_ptr<FakeProvider> makeNetlifyFake();

}  // namespace sb::fakes
