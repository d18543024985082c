#include "http/api_server.hpp"

#include <chrono>

#include "auth/principal_cache.hpp"
#include "http/access_log.hpp"
#include "http/api_routes.hpp"
#include "http/front_end.hpp"
#include "http/request_pipeline.hpp"
#include "store/store.hpp"
#include "core/task_pool.hpp"

namespace sb {

struct ApiServer::Impl {
  ServerConfig config;
  ApiContext context;
  http::Router router;
  std::unique_ptr<http::AccessLog> accessLog;
  // Resolved tokens are reused for 5 s: at most that long for a user change
  // to show, in exchange for no store query on most requests.
  PrincipalCache principals{std::chrono::seconds(5)};
  std::unique_ptr<http::RequestPipeline> pipeline;
  std::unique_ptr<TaskPool> workers;
  std::unique_ptr<http::FrontEnd> frontEnd;
};

ApiServer::ApiServer(ServerConfig config, ApiContext context) : impl_(std::make_unique<Impl>()) {
  impl_->config = std::move(config);
  impl_->context = std::move(context);
  impl_->router = http::buildApiRouter(impl_->context);
}

ApiServer::ApiServer(ServerConfig config, ApiContext context, http::Router router)
    : impl_(std::make_unique<Impl>()) {
  impl_->config = std::move(config);
  impl_->context = std::move(context);
  impl_->router = std::move(router);
}

ApiServer::~ApiServer() { stop(); }

Status ApiServer::start() {
  if (impl_->frontEnd) return Status::ok();
  if (impl_->context.store == nullptr) {
    return {ErrorCode::InvalidArgument, "ApiServer needs a Store"};
  }
  const ServerConfig& config = impl_->config;
  impl_->accessLog = std::make_unique<http::AccessLog>(impl_->context.logging.accessLog);
  impl_->pipeline = std::make_unique<http::RequestPipeline>(impl_->router, impl_->context.store->users(),
                                                            impl_->accessLog.get(), &impl_->principals,
                                                            impl_->context.metrics);
  impl_->workers = std::make_unique<TaskPool>(config.threads, static_cast<std::size_t>(config.maxQueued), "sb-http");
  impl_->frontEnd =
      std::make_unique<http::FrontEnd>(config, *impl_->pipeline, *impl_->workers, impl_->context.metrics);
  if (Status started = impl_->frontEnd->start(); !started) {
    impl_->frontEnd.reset();
    impl_->workers.reset();
    return started;
  }
  return Status::ok();
}

int ApiServer::port() const { return impl_->frontEnd ? impl_->frontEnd->port() : 0; }

void ApiServer::stop() {
  if (!impl_->frontEnd) return;
  // Stop accepting, close idle connections at once and let each request in
  // progress finish, so a rolling restart does not cut clients off mid-reply.
  impl_->frontEnd->stop();
  // Whatever the workers still run posts into the stopped I/O contexts,
  // which the front end destroys last.
  impl_->workers->stop(TaskPool::Queued::Run);
  impl_->frontEnd.reset();
  impl_->workers.reset();
}

}  // namespace sb
