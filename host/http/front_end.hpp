// The HTTP/1.1 front end on Boost.Asio (with Boost.Beast's parser): a
// listening socket, `io_threads` I/O threads (each its own io_context, so a
// connection lives on one thread and needs no locks), connection limits
// (global and per client address: beyond them a new connection gets 503 with
// Retry-After and is closed, existing ones are untouched) and graceful stop.
// I/O threads only accept, read, parse and write; route handlers run on the
// TaskPool. See docs/architecture.md ("HTTP front end").
// Thread-safety: start()/stop() from one thread; port() after start().
#pragma once

#include <memory>

#include "config/config.hpp"
#include "core/metrics.hpp"
#include "core/result.hpp"
#include "http/request_pipeline.hpp"
#include "core/task_pool.hpp"

namespace sb::http {

class FrontEnd {
 public:
  // `pipeline` and `workers` outlive the front end; `metrics` may be null.
  FrontEnd(ServerConfig config, const RequestPipeline& pipeline, TaskPool& workers, Metrics* metrics);
  ~FrontEnd();  // stop()
  FrontEnd(const FrontEnd&) = delete;
  FrontEnd& operator=(const FrontEnd&) = delete;

  // Binds and listens. Unavailable, naming host and port, when the address
  // cannot be bound (e.g. "address already in use").
  Status start();
  int port() const;
  // Stops accepting, closes idle connections at once, lets requests in
  // progress finish (streams are ended), then joins the I/O threads.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sb::http
