#include "http/front_end.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <Poco/Logger.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "http/connection.hpp"
#include "http/deadline_sweep.hpp"
#include "http/problem.hpp"
#include "http/request_id.hpp"
#include "http/response_head.hpp"
#include "http/stream_wakeups.hpp"

namespace sb::http {
namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

Poco::Logger& logger() { return Poco::Logger::get("switchboard.http"); }

// How long stop() lets requests in progress finish before closing them.
constexpr auto kStopGrace = std::chrono::seconds(30);

// Thousands of idle connections need thousands of descriptors: use the hard
// limit the operator allows rather than the distribution's soft default.
void raiseDescriptorLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
}

std::string endpointText(const tcp::endpoint& endpoint) {
  const std::string address = endpoint.address().to_string();
  const std::string port = std::to_string(endpoint.port());
  return endpoint.address().is_v6() ? "[" + address + "]:" + port : address + ":" + port;
}

// A connection refused by the limits: one 503, then closed.
struct Refusal : std::enable_shared_from_this<Refusal> {
  explicit Refusal(tcp::socket s) : socket(std::move(s)), timer(socket.get_executor()) {}
  void run(const std::string& detail) {
    ApiReply reply;
    reply.status = 503;
    reply.contentType = kProblemContentType;
    const std::string requestId = generateRequestId();
    Problem problem = problemForHttpStatus(503, detail);
    reply.body = problemJson(problem, "/", requestId);
    reply.headers.emplace_back("Retry-After", "1");
    HeadFraming framing;
    framing.close = true;
    bytes = renderHead(reply, requestId, framing) + reply.body;
    asio::async_write(socket, asio::buffer(bytes), [self = shared_from_this()](const error_code&, std::size_t) {
      error_code ignored;
      self->socket.shutdown(tcp::socket::shutdown_send, ignored);
      self->timer.expires_after(std::chrono::milliseconds(500));
      self->timer.async_wait([self](const error_code&) {
        error_code ignoredToo;
        self->socket.close(ignoredToo);
      });
      self->drain();
    });
  }
  void drain() {
    socket.async_read_some(asio::buffer(scratch), [self = shared_from_this()](const error_code& error, std::size_t) {
      if (error) {
        self->timer.cancel();
        return;
      }
      self->drain();
    });
  }
  tcp::socket socket;
  asio::steady_timer timer;
  std::string bytes;
  char scratch[1024];
};

}  // namespace

struct FrontEnd::Impl {
  ServerConfig config;
  ConnectionContext context;
  Metrics::Counter refusedConnections;
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<std::unique_ptr<DeadlineSweep>> sweeps;  // parallel to contexts
  std::vector<std::shared_ptr<StreamWakeups>> wakeups;  // parallel to contexts
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::vector<std::thread> threads;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<asio::steady_timer> acceptRetry;
  std::size_t nextContext = 0;  // the acceptor's thread only
  int port = 0;
  bool running = false;

  std::mutex mutex;
  std::condition_variable drained;
  std::size_t open = 0;
  std::unordered_map<std::string, int> perClient;
  std::unordered_map<const Connection*, std::weak_ptr<Connection>> live;

  void accept();
  void onAccepted(const error_code& error, tcp::socket socket, std::size_t lane);
  void closed(const Connection* connection, const std::string& peer);
  void forEachConnection(const std::function<void(const std::shared_ptr<Connection>&)>& action);
};

FrontEnd::FrontEnd(ServerConfig config, const RequestPipeline& pipeline, TaskPool& workers, Metrics* metrics)
    : impl_(std::make_unique<Impl>()) {
  impl_->config = config;
  impl_->context.config = std::move(config);
  impl_->context.pipeline = &pipeline;
  impl_->context.workers = &workers;
  if (metrics != nullptr) {
    impl_->context.streamsDropped = metrics->counter(Metrics::kHttpStreamsDropped, {});
    impl_->context.requestTimeouts = metrics->counter(Metrics::kHttpRequestTimeouts, {});
    impl_->context.overloaded = metrics->counter(Metrics::kHttpOverloaded, {});
    impl_->refusedConnections = metrics->counter(Metrics::kHttpConnectionsRefused, {});
  }
  Impl* impl = impl_.get();
  impl_->context.closed = [impl](const Connection* connection, const std::string& peer) {
    impl->closed(connection, peer);
  };
}

FrontEnd::~FrontEnd() {
  stop();
  // Handlers still queued (posted by workers after the stop) hold
  // connections; they are destroyed with their io_context, here.
  impl_->guards.clear();
  impl_->acceptor.reset();
  impl_->acceptRetry.reset();
  for (auto& sweep : impl_->sweeps) sweep->stop();
  // Connections still referenced by queued handlers die with their
  // io_context and may deregister from their sweep: sweeps go last.
  impl_->contexts.clear();
  impl_->sweeps.clear();
  impl_->wakeups.clear();
}

Status FrontEnd::start() {
  if (impl_->running) return Status::ok();
  const ServerConfig& config = impl_->config;
  const std::string where = config.host + ":" + std::to_string(config.port);
  raiseDescriptorLimit();
  int ioThreads = config.ioThreads > 0 ? config.ioThreads : static_cast<int>(std::thread::hardware_concurrency());
  ioThreads = std::max(ioThreads, 1);
  for (int i = 0; i < ioThreads; ++i) {
    impl_->contexts.push_back(std::make_unique<asio::io_context>(1));
    impl_->guards.push_back(asio::make_work_guard(*impl_->contexts.back()));
    impl_->sweeps.push_back(std::make_unique<DeadlineSweep>(*impl_->contexts.back()));
    impl_->wakeups.push_back(std::make_shared<StreamWakeups>(impl_->contexts.back()->get_executor()));
  }
  asio::io_context& first = *impl_->contexts.front();
  error_code error;
  tcp::endpoint endpoint;
  const auto address = asio::ip::make_address(config.host, error);
  if (!error) {
    endpoint = tcp::endpoint(address, static_cast<unsigned short>(config.port));
  } else {
    tcp::resolver resolver(first);
    auto results = resolver.resolve(config.host, std::to_string(config.port), error);
    if (error || results.empty()) {
      return {ErrorCode::Unavailable, "cannot listen on " + where + ": cannot resolve '" + config.host + "'",
              "server.host"};
    }
    endpoint = results.begin()->endpoint();
  }
  auto acceptor = std::make_unique<tcp::acceptor>(first);
  auto failed = [&](const error_code& cause) -> Status {
    return {ErrorCode::Unavailable, "cannot listen on " + where + ": " + cause.message(), "server.port"};
  };
  if (acceptor->open(endpoint.protocol(), error)) return failed(error);
  // SO_REUSEADDR only lets a restart bind over TIME_WAIT; it never lets two
  // live servers share a port. SO_REUSEPORT does, so it is an explicit opt-in.
  acceptor->set_option(tcp::acceptor::reuse_address(true), error);
  if (config.reusePort) {
    const int on = 1;
    if (setsockopt(acceptor->native_handle(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0) {
      return failed(error_code(errno, boost::system::system_category()));
    }
  }
  if (acceptor->bind(endpoint, error)) return failed(error);
  if (acceptor->listen(std::max(config.backlog, 1), error)) return failed(error);
  impl_->port = acceptor->local_endpoint().port();
  impl_->acceptor = std::move(acceptor);
  impl_->acceptRetry = std::make_unique<asio::steady_timer>(first);
  impl_->running = true;
  impl_->accept();
  for (std::size_t i = 0; i < impl_->contexts.size(); ++i) {
    asio::io_context* context = impl_->contexts[i].get();
    DeadlineSweep* sweep = impl_->sweeps[i].get();
    asio::post(*context, [sweep] { sweep->start(); });
    impl_->threads.emplace_back([context] { context->run(); });
    pthread_setname_np(impl_->threads.back().native_handle(), ("sb-io-" + std::to_string(i)).c_str());
  }
  return Status::ok();
}

int FrontEnd::port() const { return impl_->port; }

void FrontEnd::Impl::accept() {
  const std::size_t target = nextContext;
  nextContext = (nextContext + 1) % contexts.size();
  acceptor->async_accept(*contexts[target], [this, target](const error_code& error, tcp::socket socket) {
    onAccepted(error, std::move(socket), target);
  });
}

void FrontEnd::Impl::onAccepted(const error_code& error, tcp::socket socket, std::size_t lane) {
  if (context.stopping || !acceptor->is_open()) return;
  if (error) {
    if (error == asio::error::no_descriptors || error == asio::error::no_buffer_space ||
        error == asio::error::no_memory) {
      // Out of descriptors: pause instead of spinning; connections that close meanwhile free some.
      logger().warning("accept failed (%s); pausing 100 ms", error.message());
      acceptRetry->expires_after(std::chrono::milliseconds(100));
      acceptRetry->async_wait([this](const error_code& cancelled) {
        if (!cancelled && !context.stopping) accept();
      });
      return;
    }
    accept();
    return;
  }
  error_code peerError;
  const tcp::endpoint peer = socket.remote_endpoint(peerError);
  if (peerError) {
    accept();
    return;
  }
  const std::string peerAddress = peer.address().to_string();
  std::string refusal;
  {
    std::lock_guard lock(mutex);
    int& fromPeer = perClient[peerAddress];
    if (open >= static_cast<std::size_t>(config.maxConnections)) {
      refusal = "the server holds its maximum of " + std::to_string(config.maxConnections) + " connections";
    } else if (fromPeer >= config.maxConnectionsPerClient) {
      refusal = "this client address holds its maximum of " + std::to_string(config.maxConnectionsPerClient) +
                " connections";
    }
    if (refusal.empty()) {
      ++fromPeer;
      ++open;
    } else if (fromPeer == 0) {
      perClient.erase(peerAddress);
    }
  }
  if (!refusal.empty()) {
    refusedConnections.add();
    auto refused = std::make_shared<Refusal>(std::move(socket));
    asio::post(refused->socket.get_executor(), [refused, refusal] { refused->run(refusal); });
    accept();
    return;
  }
  auto connection = std::make_shared<Connection>(std::move(socket), context, *sweeps[lane], wakeups[lane], peerAddress,
                                                 endpointText(peer));
  {
    std::lock_guard lock(mutex);
    live.emplace(connection.get(), connection);
  }
  asio::post(connection->executor(), [connection] { connection->start(); });
  accept();
}

void FrontEnd::Impl::closed(const Connection* connection, const std::string& peer) {
  std::lock_guard lock(mutex);
  live.erase(connection);
  auto it = perClient.find(peer);
  if (it != perClient.end() && --it->second <= 0) perClient.erase(it);
  if (open > 0) --open;
  if (open == 0) drained.notify_all();
}

void FrontEnd::Impl::forEachConnection(const std::function<void(const std::shared_ptr<Connection>&)>& action) {
  std::vector<std::shared_ptr<Connection>> connections;
  {
    std::lock_guard lock(mutex);
    for (auto& [key, weak] : live) {
      if (auto connection = weak.lock()) connections.push_back(std::move(connection));
    }
  }
  for (const auto& connection : connections) action(connection);
}

void FrontEnd::stop() {
  if (!impl_->running) return;
  impl_->running = false;
  impl_->context.stopping = true;
  Impl* impl = impl_.get();
  asio::post(*impl_->contexts.front(), [impl] {
    error_code ignored;
    impl->acceptor->close(ignored);
    impl->acceptRetry->cancel();
  });
  impl_->forEachConnection([](const std::shared_ptr<Connection>& connection) {
    asio::post(connection->executor(), [connection] { connection->stopGracefully(); });
  });
  {
    std::unique_lock lock(impl_->mutex);
    impl_->drained.wait_for(lock, kStopGrace, [impl] { return impl->open == 0; });
  }
  impl_->forEachConnection([](const std::shared_ptr<Connection>& connection) {
    asio::post(connection->executor(), [connection] { connection->abort(); });
  });
  {
    std::unique_lock lock(impl_->mutex);
    impl_->drained.wait_for(lock, std::chrono::seconds(5), [impl] { return impl->open == 0; });
  }
  impl_->guards.clear();
  for (auto& context : impl_->contexts) context->stop();
  for (auto& thread : impl_->threads) {
    if (thread.joinable()) thread.join();
  }
  impl_->threads.clear();
  for (auto& sweep : impl_->sweeps) sweep->stop();  // its timer goes before its io_context
}

}  // namespace sb::http
