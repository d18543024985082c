// JSON-lines access log: one object per request with time, requestId, method,
// path, route, status, durationMs, bytes, userId (when known) and remote.
// Destination from LoggingConfig.accessLog: "-" stdout, "" off, else a file
// opened for append. Headers and bodies are never logged, so bearer tokens
// cannot leak through it.
// Thread-safety: write() may be called from every worker thread at once.
#pragma once

#include <cstddef>
#include <fstream>
#include <mutex>
#include <string>

namespace sb::http {

struct AccessRecord {
  std::string requestId;
  std::string method;
  std::string path;
  std::string route;   // matched template; empty when no route matched
  int status = 0;
  double durationMs = 0;
  std::size_t bytes = 0;  // response body bytes
  std::string userId;  // empty when unauthenticated
  std::string remote;
};

class AccessLog {
 public:
  // An unopenable file falls back to "off" and reports it on stderr: a
  // broken log path must not stop the API.
  explicit AccessLog(const std::string& destination);
  void write(const AccessRecord& record);
  static std::string formatLine(const AccessRecord& record, const std::string& timestamp);

 private:
  enum class Sink { Off, Stdout, File };
  Sink sink_ = Sink::Off;
  std::ofstream file_;
  std::mutex mutex_;
};

}  // namespace sb::http
