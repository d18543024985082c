// Poco plumbing of the fake provider servers; see fake_server.hpp.
#include "fake_server.hpp"
#include "oauth_fake.hpp"

#include <chrono>
#include <sstream>
#include <thread>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/URI.h>

namespace sb::fakes {
namespace {

constexpr int kHangLimitMs = 10 * 60 * 1000;

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(FakeServer& server) : server_(server) {}
  void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
    FakeRequest request;
    request.method = in.getMethod();
    Poco::URI uri(in.getURI());
    request.path = uri.getPath();
    for (const auto& [key, value] : uri.getQueryParameters()) request.query[key] = value;
    for (const auto& [name, value] : in) request.headers[Poco::toLower(name)] = value;
    Poco::StreamCopier::copyToString(in.stream(), request.body);
    FakeResponse response;
    server_.serve(request, response);
    if (response.status == 0) return;  // released from a hang by stop(): drop the connection
    out.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status));
    for (const auto& [name, value] : response.headers) out.set(name, value);
    if (response.status == 304 || response.status == 204) {
      out.setContentLength(0);
      out.send();
      return;
    }
    out.setContentType(response.contentType);
    out.setContentLength(static_cast<std::streamsize>(response.body.size()));
    out.send().write(response.body.data(), static_cast<std::streamsize>(response.body.size()));
  }

 private:
  FakeServer& server_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(FakeServer& server) : server_(server) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(server_);
  }

 private:
  FakeServer& server_;
};

std::string behaviourJson(const Behaviour& b, std::size_t requests, std::int64_t busyMicros) {
  Poco::JSON::Object object;
  object.set("mode", b.mode);
  object.set("latencyMs", b.latencyMs);
  object.set("requests", static_cast<Poco::UInt64>(requests));
  object.set("busyMicros", static_cast<Poco::Int64>(busyMicros));
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

}  // namespace

FakeServer::FakeServer(std::shared_ptr<FakeProvider> provider) : provider_(std::move(provider)) {}

FakeServer::~FakeServer() { stop(); }

void FakeServer::start(int port) {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)), 256);
  port_ = socket.address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(64);
  params->setMaxQueued(512);
  params->setKeepAlive(true);
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
  }
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, params);
  server_->start();
}

void FakeServer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  released_.notify_all();
  if (server_) {
    server_->stopAll(true);
    server_.reset();
  }
}

std::string FakeServer::baseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }

void FakeServer::setBehaviour(Behaviour behaviour) {
  {
    std::lock_guard lock(mutex_);
    behaviour_ = std::move(behaviour);
  }
  released_.notify_all();  // a request hung under the old mode is answered under the new one
}

Behaviour FakeServer::behaviour() const {
  std::lock_guard lock(mutex_);
  return behaviour_;
}

void FakeServer::setMode(const std::string& mode) {
  Behaviour b = behaviour();
  b.mode = mode;
  setBehaviour(b);
}

void FakeServer::setLatencyMs(int latencyMs) {
  Behaviour b = behaviour();
  b.latencyMs = latencyMs;
  setBehaviour(b);
}

std::vector<FakeRequest> FakeServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::size_t FakeServer::requestCount() const {
  std::lock_guard lock(mutex_);
  return requests_.size();
}

void FakeServer::clearRequests() {
  std::lock_guard lock(mutex_);
  requests_.clear();
}

void FakeServer::waitReleased(int maxMs) {
  std::unique_lock lock(mutex_);
  released_.wait_for(lock, std::chrono::milliseconds(maxMs),
                     [&] { return stopping_ || behaviour_.mode != "hang"; });
}

void FakeServer::serve(const FakeRequest& request, FakeResponse& response) {
  if (request.path == "/__fake/behaviour") {
    if (request.method == "POST") {
      try {
        Poco::JSON::Parser parser;
        auto object = parser.parse(request.body).extract<Poco::JSON::Object::Ptr>();
        Behaviour b = behaviour();
        if (object->has("mode")) b.mode = object->getValue<std::string>("mode");
        if (object->has("latencyMs")) b.latencyMs = object->getValue<int>("latencyMs");
        setBehaviour(b);
      } catch (const std::exception& e) {
        response.json(400, std::string("{\"message\":\"bad behaviour: ") + e.what() + "\"}");
        return;
      }
    }
    response.json(200, behaviourJson(behaviour(), requestCount(), busyMicros()));
    return;
  }
  Behaviour b;
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    b = behaviour_;
  }
  if (b.latencyMs > 0) std::this_thread::sleep_for(std::chrono::milliseconds(b.latencyMs));
  if (b.mode == "hang") {
    waitReleased(kHangLimitMs);
    {
      std::lock_guard lock(mutex_);
      if (stopping_) {
        response.status = 0;
        return;
      }
    }
    b = behaviour();
  }
  if (b.mode == "malformed") {
    response.json(200, "{\"this is\": not json");
    return;
  }
  if (b.mode == "oversized") {
    std::string body = "{\"padding\":\"";
    body.append(b.oversizedBytes, 'x');
    body += "\"}";
    response.json(200, std::move(body));
    return;
  }
  const auto began = std::chrono::steady_clock::now();
  provider_->handle(request, response, b);
  busyMicros_ += std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - began).count();
}

std::shared_ptr<FakeProvider> makeFake(const std::string& name) {
  if (name == "github") return makeGithubFake();
  if (name == "vercel") return makeVercelFake();
  if (name == "sanity") return makeSanityFake();
  if (name == "supabase") return makeSupabaseFake();
  if (name == "netlify") return makeNetlifyFake();
  if (name == "oauth") return makeOAuthFake();
  return nullptr;
}

}  // namespace sb::fakes
