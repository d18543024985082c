// A deliberately dumb HTTP/1.x client over a raw loopback socket, for tests
// that must send bytes no well-behaved client would (smuggling attempts, slow
// headers, pipelining) and observe exactly what the server does, including
// when it closes the connection.
// Thread-safety: one thread per RawClient.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace sb::testing {

struct RawResponse {
  int status = 0;
  std::string statusLine;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string header(const std::string& name) const;
};

class RawClient {
 public:
  // Connects to 127.0.0.1:port, from `localAddress` when given (another
  // loopback address is another client to per-client limits).
  explicit RawClient(int port, const std::string& localAddress = {});
  ~RawClient();
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  // False when the server has closed or reset the connection.
  bool send(const std::string& bytes);
  // One response (Content-Length, chunked or until close), waiting at most
  // `timeoutMs`; nullopt on timeout or when the connection closed first.
  std::optional<RawResponse> readResponse(int timeoutMs = 10000);
  // True when the server closed the connection (EOF or reset) within
  // `timeoutMs`, after any bytes it sent first (kept in received()).
  bool waitForClose(int timeoutMs = 10000);
  // Bytes received and not yet consumed by readResponse().
  const std::string& received() const { return buffer_; }
  // Reads whatever arrives within `timeoutMs` into received(); false on EOF.
  bool pump(int timeoutMs);

 private:
  int fd_ = -1;
  bool eof_ = false;
  std::string buffer_;
};

}  // namespace sb::testing
