// Poco plumbing of `plugin check`'s scripted provider; see scripted_provider.hpp.
#include "plugins/scripted_provider.hpp"

#include <utility>

#include <nlohmann/json.hpp>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

namespace sb {
namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(ScriptedProvider& provider) : provider_(provider) {}

  void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
    std::string ignored;
    Poco::StreamCopier::copyToString(in.stream(), ignored);
    const ScriptedProvider::Reply reply = provider_.replyTo(Poco::URI(in.getURI()).getPath());
    if (reply.status == 0) return;  // stopping: the client sees the connection close
    out.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
    out.setContentType("application/json; charset=utf-8");
    if (!reply.retryAfter.empty()) out.set("Retry-After", reply.retryAfter);
    out.setContentLength(static_cast<std::streamsize>(reply.body.size()));
    out.send() << reply.body;
  }

 private:
  ScriptedProvider& provider_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(ScriptedProvider& provider) : provider_(provider) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(provider_);
  }

 private:
  ScriptedProvider& provider_;
};

}  // namespace

Result<ProviderFixture> parseProviderFixture(const std::string& text, const std::string& fileName) {
  const nlohmann::json value = nlohmann::json::parse(text, nullptr, false);
  if (value.is_discarded()) {
    return Status(ErrorCode::InvalidArgument, fileName + ": not valid JSON", "fixture");
  }
  ProviderFixture fixture;
  fixture.given = true;
  const auto byPath = value.is_object() && value.size() == 1 ? value.find("byPath") : value.end();
  if (byPath == value.end()) {
    fixture.body = value.dump();
    return fixture;
  }
  if (!byPath->is_object()) {
    return Status(ErrorCode::InvalidArgument, fileName + ": byPath must be an object", "fixture");
  }
  for (const auto& [path, body] : byPath->items()) fixture.byPath[path] = body.dump();
  return fixture;
}

ScriptedProvider::ScriptedProvider(ProviderFixture fixture, ProviderTiming timing)
    : fixture_(std::move(fixture)), timing_(timing) {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 64);
  port_ = socket.address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(16);
  params->setKeepAlive(false);  // every status call starts from a fresh connection
  threads_ = std::make_unique<Poco::ThreadPool>(2, 16);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), *threads_, socket, params);
  server_->start();
}

ScriptedProvider::~ScriptedProvider() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  released_.notify_all();
  server_->stopAll(true);
  server_.reset();
  threads_->joinAll();
}

std::string ScriptedProvider::baseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }

void ScriptedProvider::answerWith(ProviderReply reply) {
  {
    std::lock_guard lock(mutex_);
    reply_ = reply;
    requests_.clear();
  }
  released_.notify_all();  // a slow reply still waiting is released
}

std::vector<std::string> ScriptedProvider::requestsSinceAnswerWith() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

ScriptedProvider::Reply ScriptedProvider::replyTo(const std::string& path) {
  std::unique_lock lock(mutex_);
  requests_.push_back(path);
  const ProviderReply reply = reply_;
  switch (reply) {
    case ProviderReply::Ok: {
      const auto body = fixture_.byPath.find(path);
      return {200, body == fixture_.byPath.end() ? fixture_.body : body->second, {}};
    }
    case ProviderReply::Unauthorized:
      return {401, R"({"message":"Bad credentials"})", {}};
    case ProviderReply::RateLimited:
      return {429, R"({"message":"rate limit exceeded"})", std::to_string(timing_.retryAfterSeconds)};
    case ProviderReply::ServerError:
      return {500, R"({"message":"internal server error"})", {}};
    case ProviderReply::Malformed:
      return {200, R"({"this is": not json)", {}};
    case ProviderReply::Oversized:
      return {200, "{\"padding\":\"" + std::string(timing_.oversizedBytes, 'x') + "\"}", {}};
    case ProviderReply::Slow:
      released_.wait_for(lock, timing_.slowReply, [&] { return stopping_ || reply_ != ProviderReply::Slow; });
      if (stopping_) return {0, {}, {}};
      return {200, fixture_.body, {}};
  }
  return {500, {}, {}};
}

}  // namespace sb
