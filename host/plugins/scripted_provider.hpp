// The provider `plugin check` runs status calls against: an HTTP server on
// 127.0.0.1 that answers every request with the reply of the current script
// step (a canned 200, 401, 429 with Retry-After, 500, malformed JSON, an
// oversized body, a reply slower than the call deadline). The 200 body comes
// from the check's fixture (`--fixture FILE`, docs/plugin-authoring.md).
// ScriptedProvider owns its server and stops it (releasing slow replies) when
// destroyed. Thread-safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace Poco {
class ThreadPool;
namespace Net {
class HTTPServer;
}
}  // namespace Poco

namespace sb {

enum class ProviderReply { Ok, Unauthorized, RateLimited, ServerError, Malformed, Oversized, Slow };

// What the canned 200 answers: `byPath` for a request path it names, else
// `body`. `given` is false for the default (no --fixture): `{}` everywhere.
struct ProviderFixture {
  std::string body = "{}";
  std::map<std::string, std::string> byPath;
  bool given = false;
};

// A fixture file: a JSON object whose only member is "byPath" (an object of
// path -> body, each body any JSON value) maps paths; any other JSON value is
// the body of every 200. Invalid JSON is InvalidArgument naming the file.
Result<ProviderFixture> parseProviderFixture(const std::string& text, const std::string& fileName);

struct ProviderTiming {
  std::chrono::milliseconds slowReply{3000};  // how long the slow step waits before it answers
  std::size_t oversizedBytes = 0;             // the oversized body's size
  int retryAfterSeconds = 42;                 // the 429's Retry-After
};

class ScriptedProvider {
 public:
  ScriptedProvider(ProviderFixture fixture, ProviderTiming timing);
  ~ScriptedProvider();
  ScriptedProvider(const ScriptedProvider&) = delete;
  ScriptedProvider& operator=(const ScriptedProvider&) = delete;

  std::string baseUrl() const;  // http://127.0.0.1:<port>, no trailing slash
  const ProviderTiming& timing() const { return timing_; }

  // Every request from now on gets `reply`; the request list starts again.
  void answerWith(ProviderReply reply);
  // The paths (no query string) of the requests since answerWith, in arrival order.
  std::vector<std::string> requestsSinceAnswerWith() const;

  // The reply to one request (called by the server's handler threads).
  struct Reply {
    int status = 200;
    std::string body;
    std::string retryAfter;  // "" = no header
  };
  Reply replyTo(const std::string& path);

 private:
  ProviderFixture fixture_;
  ProviderTiming timing_;
  mutable std::mutex mutex_;
  std::condition_variable released_;
  ProviderReply reply_ = ProviderReply::Ok;
  std::vector<std::string> requests_;
  bool stopping_ = false;
  int port_ = 0;
  // Its own pool, not Poco's default one: the check runs in a forked child,
  // where the default pool's threads from the parent do not exist.
  std::unique_ptr<Poco::ThreadPool> threads_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace sb
