#include "http/api_server.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>

#include <algorithm>
#include <chrono>

#include "auth/principal_cache.hpp"
#include "http/access_log.hpp"
#include "http/api_routes.hpp"
#include "http/request_dispatcher.hpp"
#include "http/server_params.hpp"

namespace sb {

struct ApiServer::Impl {
  ServerConfig config;
  ApiContext context;
  http::Router router;
  std::unique_ptr<http::AccessLog> accessLog;
  // Resolved tokens are reused for 5 s: at most that long for a user change
  // to show, in exchange for no store query on most requests.
  PrincipalCache principals{std::chrono::seconds(5)};
  http::DispatchTarget dispatchTarget;
  std::unique_ptr<Poco::ThreadPool> pool;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  int port = 0;
};

ApiServer::ApiServer(ServerConfig config, ApiContext context) : impl_(std::make_unique<Impl>()) {
  impl_->config = std::move(config);
  impl_->context = std::move(context);
  impl_->router = http::buildApiRouter(impl_->context);
}

ApiServer::~ApiServer() { stop(); }

Status ApiServer::start() {
  if (impl_->server) return Status::ok();
  if (impl_->context.store == nullptr) {
    return {ErrorCode::InvalidArgument, "ApiServer needs a Store"};
  }
  const ServerConfig& config = impl_->config;
  const std::string where = config.host + ":" + std::to_string(config.port);
  try {
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress(config.host, static_cast<Poco::UInt16>(config.port)), true);
    socket.listen(std::max(config.backlog, 1));
    impl_->accessLog = std::make_unique<http::AccessLog>(impl_->context.logging.accessLog);
    impl_->dispatchTarget = {&impl_->router, impl_->context.store, impl_->accessLog.get(),
                             config.maxBodyBytes, nullptr, &impl_->principals, impl_->context.metrics};
    // A pool of exactly `threads` workers: Poco's default pool is shared and
    // capped at 16, which would silently override the configuration.
    const int threads = std::max(config.threads, 1);
    impl_->pool = std::make_unique<Poco::ThreadPool>("sb-http", 1, threads);
    impl_->server = std::make_unique<Poco::Net::HTTPServer>(
        new http::ApiRequestHandlerFactory(impl_->dispatchTarget), *impl_->pool, socket,
        http::serverParams(config));
    impl_->dispatchTarget.server = impl_->server.get();
    impl_->server->start();
    impl_->port = socket.address().port();
  } catch (const Poco::Exception& e) {
    impl_->server.reset();
    impl_->pool.reset();
    return {ErrorCode::Unavailable, "cannot listen on " + where + ": " + e.displayText(),
            "server.port"};
  }
  return Status::ok();
}

int ApiServer::port() const { return impl_->port; }

void ApiServer::stop() {
  if (!impl_->server) return;
  // Stop accepting, close idle keep-alive connections at once, and let each
  // request already being handled finish (Poco waits on the connection's
  // request lock): a rolling restart does not cut clients off mid-write.
  impl_->server->stopAll(false);
  impl_->server.reset();
  impl_->pool->joinAll();
  impl_->pool.reset();
}

}  // namespace sb
