// One client connection of the front end: reads and parses requests within
// the configured limits and deadlines, drives each through the
// RequestPipeline (handlers on the TaskPool, never here), writes replies in
// request order (pipelined requests wait their turn in the read buffer) and
// carries streaming replies through a bounded outbox.
// Deadlines: idle (before a request's first byte), header (whole head, from
// its first byte), body (from the end of the head), write (any one write).
// Thread-safety: every member function runs on the connection's I/O thread
// (its io_context has exactly one thread); workers and stream producers
// reach it only by posting to that executor.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "config/config.hpp"
#include "core/metrics.hpp"
#include "http/deadline_sweep.hpp"
#include "http/request_framing.hpp"
#include "http/request_pipeline.hpp"
#include "core/task_pool.hpp"

namespace sb::http {

class StreamChannel;
class StreamWakeups;

// What every connection of one server shares. Outlives its connections.
struct ConnectionContext {
  ServerConfig config;
  const RequestPipeline* pipeline = nullptr;
  TaskPool* workers = nullptr;
  Metrics::Counter streamsDropped;   // slow stream readers disconnected
  Metrics::Counter requestTimeouts;  // 408s: head or body not in time
  Metrics::Counter overloaded;       // 503s: worker queue full
  std::atomic<bool> stopping{false};
  // Called once per connection when it has closed (on its I/O thread).
  std::function<void(const class Connection* connection, const std::string& peerAddress)> closed;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // `sweep` and `wakeups` belong to the socket's io_context; the sweep
  // outlives the connection.
  Connection(boost::asio::ip::tcp::socket socket, ConnectionContext& context, DeadlineSweep& sweep,
             std::shared_ptr<StreamWakeups> wakeups, std::string peerAddress, std::string peerEndpoint);
  ~Connection();
  void start();
  // Closes at once, whatever is in progress (the stop's last resort).
  void abort() { closeNow(); }
  // The server is stopping: close now when idle, else after the reply in
  // progress (streams are finished). Post this to the connection's executor.
  void stopGracefully();
  boost::asio::any_io_executor executor() { return socket_.get_executor(); }

  // For StreamChannel: send what producers queued.
  void flushStream();

 private:
  enum class Phase { Idle, Head, Auth, Body, Handling, Writing, Streaming, Lingering, Closed };
  enum class Deadline { None, Idle, Head, Body, Write, Linger };
  using Parser = boost::beast::http::request_parser<boost::beast::http::string_body>;

  void waitReadable();
  void onRead(const boost::system::error_code& error, std::size_t bytes);
  void processHead();
  void beginExchange();
  void afterAuth();
  void startBody();
  void processBody();
  void dispatchHandler();
  void sendReply(ApiReply reply, bool close);
  void sendFramingError(const FramingError& error);
  void onReplyWritten(const boost::system::error_code& error, ApiReply reply);
  void startStream(StreamStart start);
  void onStreamWritten(const boost::system::error_code& error, std::size_t bytes, bool last);
  void endStream();  // the stream's last bytes are sent
  void finishExchange();
  void lingerAndClose();
  void closeNow();
  void arm(Deadline deadline, int milliseconds);
  void checkDeadline(std::chrono::steady_clock::time_point now);
  void onDeadline(Deadline deadline);
  void submit(std::function<void()> task);

  // Bytes per read: a pending read needs a buffer, and an idle connection
  // should hold little (docs/performance.md, idle connections).
  static constexpr std::size_t kReadBuffer = 4096;

  boost::asio::ip::tcp::socket socket_;
  ConnectionContext& context_;
  DeadlineSweep& sweep_;
  std::shared_ptr<StreamWakeups> wakeups_;
  std::string peerAddress_;   // IP only, for per-client limits
  std::string peerEndpoint_;  // "ip:port", for the access log
  Phase phase_ = Phase::Idle;
  Deadline deadline_ = Deadline::None;
  std::chrono::steady_clock::time_point deadlineAt_;
  bool readPending_ = false;
  bool stopRequested_ = false;
  bool keepAlive_ = true;
  bool http10_ = false;
  bool bodyAnnounced_ = false;
  bool writeInFlight_ = false;
  bool inSweep_ = false;        // registered with sweep_ (every armed deadline is)
  int requestsServed_ = 0;
  std::size_t discarded_ = 0;  // bytes dropped while lingering or streaming
  char readBuffer_[kReadBuffer];
  std::string in_;             // received, not yet parsed
  std::string out_;            // being written: a head, a stream batch, 100 Continue
  std::string outBody_;        // the body written after out_
  HeadScanner scanner_;
  std::optional<Parser> parser_;
  HeadVerdict verdict_;
  std::unique_ptr<Exchange> exchange_;
  std::shared_ptr<StreamChannel> stream_;
};

}  // namespace sb::http
