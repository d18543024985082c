#include <limits>

#include "config/sections.hpp"

namespace sb::config {

void readServerSection(MappingReader& section, ServerConfig& out) {
  section.expectKeys({"host", "port", "threads", "max_queued", "backlog", "max_body_bytes",
                      "header_timeout_ms", "idle_timeout_ms", "max_keep_alive_requests"});
  constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();
  section.readString("host", out.host);
  if (section.ok() && section.has("host") && out.host.empty()) {
    section.fail("host", "must not be empty (use 0.0.0.0 to listen on every interface)");
  }
  section.readInt("port", out.port, 0, 65535);
  section.readInt("threads", out.threads, 1, 1024);
  section.readInt("max_queued", out.maxQueued, 1, kIntMax);
  section.readInt("backlog", out.backlog, 1, kIntMax);
  // Bodies are buffered whole, so cap at 1 GiB even if asked for more.
  section.readSize("max_body_bytes", out.maxBodyBytes, 1, std::int64_t{1} << 30);
  section.readInt("header_timeout_ms", out.headerTimeoutMs, 1, kIntMax);
  section.readInt("idle_timeout_ms", out.idleTimeoutMs, 1, kIntMax);
  section.readInt("max_keep_alive_requests", out.maxKeepAliveRequests, 1, kIntMax);
}

}  // namespace sb::config
