#include <limits>

#include "config/sections.hpp"

namespace sb::config {

void readServerSection(MappingReader& section, ServerConfig& out) {
  section.expectKeys({"host", "port", "io_threads", "threads", "max_queued", "backlog", "reuse_port",
                      "max_connections", "max_connections_per_client", "max_body_bytes",
                      "max_header_bytes", "max_header_count", "header_timeout_ms", "body_timeout_ms",
                      "idle_timeout_ms", "write_timeout_ms", "max_keep_alive_requests",
                      "stream_outbox_bytes"});
  constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();
  section.readString("host", out.host);
  if (section.ok() && section.has("host") && out.host.empty()) {
    section.fail("host", "must not be empty (use 0.0.0.0 to listen on every interface)");
  }
  section.readInt("port", out.port, 0, 65535);
  section.readInt("io_threads", out.ioThreads, 0, 256);
  section.readInt("threads", out.threads, 1, 1024);
  section.readInt("max_queued", out.maxQueued, 1, kIntMax);
  section.readInt("backlog", out.backlog, 1, kIntMax);
  section.readBool("reuse_port", out.reusePort);
  section.readInt("max_connections", out.maxConnections, 1, 1000000);
  section.readInt("max_connections_per_client", out.maxConnectionsPerClient, 1, 1000000);
  // Bodies are buffered whole, so cap at 1 GiB even if asked for more.
  section.readSize("max_body_bytes", out.maxBodyBytes, 1, std::int64_t{1} << 30);
  section.readSize("max_header_bytes", out.maxHeaderBytes, 256, 1 << 20);
  section.readInt("max_header_count", out.maxHeaderCount, 1, 10000);
  section.readInt("header_timeout_ms", out.headerTimeoutMs, 1, kIntMax);
  section.readInt("body_timeout_ms", out.bodyTimeoutMs, 1, kIntMax);
  section.readInt("idle_timeout_ms", out.idleTimeoutMs, 1, kIntMax);
  section.readInt("write_timeout_ms", out.writeTimeoutMs, 1, kIntMax);
  section.readInt("max_keep_alive_requests", out.maxKeepAliveRequests, 1, kIntMax);
  // A stream's outbox must hold at least one event of a few KiB.
  section.readSize("stream_outbox_bytes", out.streamOutboxBytes, 4096, std::int64_t{1} << 30);
}

}  // namespace sb::config
