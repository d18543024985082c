#include "http/connection.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>

#include <Poco/Logger.h>

#include <algorithm>
#include <array>
#include <limits>
#include <vector>

#include "http/request_id.hpp"
#include "http/response_head.hpp"
#include "http/stream_channel.hpp"

namespace sb::http {
namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using boost::system::error_code;

namespace {

// How much of a refused request's body is still read (and dropped) after the
// reply, so the client sees our answer instead of a connection reset.
constexpr std::size_t kDrainLimit = 1 << 20;
constexpr int kLingerMs = 2000;

Poco::Logger& logger() { return Poco::Logger::get("switchboard.http"); }

std::string lowerCase(boost::beast::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace

Connection::Connection(asio::ip::tcp::socket socket, ConnectionContext& context, DeadlineSweep& sweep,
                       std::shared_ptr<StreamWakeups> wakeups, std::string peerAddress, std::string peerEndpoint)
    : socket_(std::move(socket)),
      context_(context),
      sweep_(sweep),
      wakeups_(std::move(wakeups)),
      peerAddress_(std::move(peerAddress)),
      peerEndpoint_(std::move(peerEndpoint)),
      scanner_(context.config.maxHeaderBytes, static_cast<std::size_t>(context.config.maxHeaderCount)) {}

Connection::~Connection() {
  sweep_.remove(this);
  // A producer may outlive the connection: its writes must fail from now on.
  if (stream_) stream_->end();
}

void Connection::start() {
  error_code ignored;
  socket_.non_blocking(true, ignored);
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  if (context_.stopping) {
    closeNow();
    return;
  }
  arm(Deadline::Idle, context_.config.idleTimeoutMs);
  waitReadable();
}

void Connection::stopGracefully() {
  stopRequested_ = true;
  if (phase_ == Phase::Idle && in_.empty()) {
    closeNow();
  } else if (phase_ == Phase::Streaming && stream_) {
    stream_->finish();
  }
}

void Connection::waitReadable() {
  if (readPending_ || phase_ == Phase::Closed) return;
  readPending_ = true;
  // async_read_some, not async_wait: asio tries the read at once and needs
  // no epoll_ctl per request (an async_wait re-registers the descriptor).
  socket_.async_read_some(asio::buffer(readBuffer_),
                          [self = shared_from_this()](const error_code& error, std::size_t bytes) {
                            self->readPending_ = false;
                            self->onRead(error, bytes);
                          });
}

void Connection::onRead(const error_code& error, std::size_t n) {
  if (phase_ == Phase::Closed) return;
  if (error || n == 0) {
    // The peer closed (or reset) its side. A half-closed client may still
    // read, but nothing it sends can complete a request: close.
    closeNow();
    return;
  }
  const char* data = readBuffer_;
  switch (phase_) {
    case Phase::Idle:
      phase_ = Phase::Head;
      arm(Deadline::Head, context_.config.headerTimeoutMs);
      in_.append(data, n);
      processHead();
      return;
    case Phase::Head:
      in_.append(data, n);
      processHead();
      return;
    case Phase::Body:
      in_.append(data, n);
      processBody();
      return;
    case Phase::Streaming:
    case Phase::Lingering:
      // Nothing the client sends now is read as a request.
      discarded_ += n;
      if (discarded_ > kDrainLimit) {
        closeNow();
        return;
      }
      waitReadable();
      return;
    default:
      in_.append(data, n);  // not expected: no read is pending then
      return;
  }
}

void Connection::processHead() {
  switch (scanner_.scan(in_)) {
    case HeadScanner::Outcome::NeedMore:
      waitReadable();
      return;
    case HeadScanner::Outcome::Failed:
      sendFramingError(scanner_.error());
      return;
    case HeadScanner::Outcome::Complete:
      break;
  }
  const std::string_view head(in_.data() + scanner_.start(), scanner_.end() - scanner_.start());
  if (auto failure = checkRequestLineVersion(head)) {
    in_.clear();
    sendFramingError(*failure);
    return;
  }
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(context_.config.maxHeaderBytes + 2, std::numeric_limits<std::uint32_t>::max())));
  // The body limit is set once routing and auth accepted the request; until
  // then nothing about the body is refused (refusals come in that order).
  parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
  parser_->eager(false);
  error_code error;
  const std::size_t start = scanner_.start();
  const std::size_t size = scanner_.end() - start;
  parser_->put(asio::buffer(in_.data() + start, size), error);
  in_.erase(0, scanner_.end());
  if (error || !parser_->is_header_done()) {
    sendFramingError({400, "malformed request head: " + (error ? error.message() : std::string("incomplete"))});
    return;
  }
  beginExchange();
}

void Connection::beginExchange() {
  const auto& head = parser_->get();
  http10_ = head.version() == 10;
  if (auto failure = checkRequestHead(head.version(), head, verdict_)) {
    sendFramingError(*failure);
    return;
  }
  bodyAnnounced_ = verdict_.body != BodyFraming::None;
  keepAlive_ = head.keep_alive();
  ++requestsServed_;

  exchange_ = std::make_unique<Exchange>();
  ApiRequest& request = exchange_->request;
  request.method = std::string(head.method_string());
  request.remote = peerEndpoint_;
  for (const auto& field : head) {
    std::string name = lowerCase(field.name_string());
    const std::string value(field.value());
    auto same = std::find_if(request.headers.begin(), request.headers.end(),
                             [&](const auto& entry) { return entry.first == name; });
    if (same != request.headers.end()) {
      same->second += ", " + value;
    } else {
      request.headers.emplace_back(std::move(name), value);
    }
  }
  const std::string* requestId = request.header("x-request-id");
  request.requestId = requestIdFor(requestId != nullptr ? *requestId : std::string());
  if (const std::string* tags = request.header("if-none-match")) request.ifNoneMatch = *tags;
  if (const std::string* type = request.header("content-type")) request.contentType = *type;
  if (const std::string* authorization = request.header("authorization")) {
    exchange_->hasAuthorization = true;
    exchange_->authorization = *authorization;
  }

  if (auto refusal = context_.pipeline->route(*exchange_, std::string(head.target()))) {
    sendReply(std::move(*refusal), bodyAnnounced_);
    return;
  }
  std::optional<ApiReply> refusal;
  if (context_.pipeline->cachedAuth(*exchange_, refusal)) {
    if (refusal) {
      sendReply(std::move(*refusal), bodyAnnounced_);
      return;
    }
    afterAuth();
    return;
  }
  phase_ = Phase::Auth;
  arm(Deadline::None, 0);
  submit([self = shared_from_this(), exchange = exchange_.get()] {
    auto refused = self->context_.pipeline->authenticate(*exchange);
    asio::post(self->executor(), [self, refused = std::move(refused)]() mutable {
      if (self->phase_ == Phase::Closed) return;
      if (refused) {
        self->sendReply(std::move(*refused), self->bodyAnnounced_);
      } else {
        self->afterAuth();
      }
    });
  });
}

void Connection::afterAuth() {
  if (!bodyAnnounced_) {
    dispatchHandler();
    return;
  }
  const std::size_t limit = context_.config.maxBodyBytes;
  if (verdict_.body == BodyFraming::Length && verdict_.contentLength > limit) {
    sendReply(problemReply(exchange_->request,
                           problemForHttpStatus(413, "request body exceeds the limit of " +
                                                         std::to_string(limit) + " bytes")),
              true);
    return;
  }
  const std::string* expect = exchange_->request.header("expect");
  if (!http10_ && expect != nullptr && lowerCase(*expect) == "100-continue") {
    // RFC 9110 §10.1.1: the client waits for this before sending the body.
    out_ = "HTTP/1.1 100 Continue\r\n\r\n";
    phase_ = Phase::Writing;
    arm(Deadline::Write, context_.config.writeTimeoutMs);
    asio::async_write(socket_, asio::buffer(out_), [self = shared_from_this()](const error_code& error, std::size_t) {
      if (self->phase_ == Phase::Closed) return;
      if (error) {
        self->closeNow();
        return;
      }
      self->startBody();
    });
    return;
  }
  startBody();
}

void Connection::startBody() {
  parser_->body_limit(static_cast<std::uint64_t>(context_.config.maxBodyBytes));
  phase_ = Phase::Body;
  arm(Deadline::Body, context_.config.bodyTimeoutMs);
  processBody();
}

void Connection::processBody() {
  while (!in_.empty()) {
    error_code error;
    const std::size_t used = parser_->put(asio::buffer(in_), error);
    in_.erase(0, used);
    if (error == bhttp::error::need_more) break;
    if (error == bhttp::error::body_limit) {
      sendReply(problemReply(exchange_->request,
                             problemForHttpStatus(413, "request body exceeds the limit of " +
                                                           std::to_string(context_.config.maxBodyBytes) + " bytes")),
                true);
      return;
    }
    if (error) {
      sendFramingError({400, "malformed request body: " + error.message()});
      return;
    }
    if (parser_->is_done()) {
      exchange_->request.body = std::move(parser_->get().body());
      dispatchHandler();
      return;
    }
    if (used == 0) break;
  }
  waitReadable();
}

void Connection::dispatchHandler() {
  // Most reads are answered from memory (cached status, catalog): without a
  // hop to a worker and back, which costs two context switches.
  if (auto reply = context_.pipeline->fast(*exchange_)) {
    sendReply(std::move(*reply), false);
    return;
  }
  phase_ = Phase::Handling;
  arm(Deadline::None, 0);
  submit([self = shared_from_this(), exchange = exchange_.get()] {
    ApiReply reply = self->context_.pipeline->handle(*exchange);
    asio::post(self->executor(), [self, reply = std::move(reply)]() mutable {
      if (self->phase_ == Phase::Closed) return;
      self->sendReply(std::move(reply), false);
    });
  });
}

void Connection::submit(std::function<void()> task) {
  if (context_.workers->submit(std::move(task))) return;
  // Every worker is busy and the queue is full: say so now rather than queue
  // without bound. Waiting requests keep their place.
  context_.overloaded.add();
  Problem problem = problemForHttpStatus(503, "the server is busy; retry shortly");
  problem.headers.emplace_back("Retry-After", "1");
  sendReply(problemReply(exchange_->request, problem), bodyAnnounced_ && phase_ != Phase::Handling);
}

void Connection::sendFramingError(const FramingError& error) {
  // The byte stream cannot be trusted past a framing error: answer and close.
  if (!exchange_) {
    exchange_ = std::make_unique<Exchange>();
    exchange_->request.requestId = generateRequestId();
    exchange_->request.remote = peerEndpoint_;
    if (parser_ && parser_->is_header_done()) {
      exchange_->request.method = std::string(parser_->get().method_string());
      const auto target = parser_->get().target();
      exchange_->request.path = std::string(target.substr(0, target.find('?')));
    }
  }
  if (error.status == 408) context_.requestTimeouts.add();
  sendReply(problemReply(exchange_->request, problemForHttpStatus(error.status, error.detail)), true);
}

void Connection::sendReply(ApiReply reply, bool close) {
  if (phase_ == Phase::Closed) return;
  const bool keep = keepAlive_ && !close && !stopRequested_ && !context_.stopping &&
                    requestsServed_ < context_.config.maxKeepAliveRequests;
  keepAlive_ = keep;
  HeadFraming framing;
  framing.headRequest = exchange_ && exchange_->request.method == "HEAD";
  framing.close = !keep || (reply.stream && http10_);
  framing.http10 = http10_;
  framing.stream = static_cast<bool>(reply.stream);
  if (framing.close) keepAlive_ = false;
  out_ = renderHead(reply, exchange_->request.requestId, framing);
  const bool sendsBody = !framing.stream && !framing.headRequest && !statusHasNoBody(reply.status);
  // The body is written from the reply itself (a gather write), not copied
  // behind the head.
  if (sendsBody) outBody_ = std::move(reply.body);
  // Logged as the reply leaves, so a client that has its answer finds the line.
  context_.pipeline->record(*exchange_, reply.status, sendsBody ? outBody_.size() : 0);
  phase_ = Phase::Writing;
  arm(Deadline::Write, context_.config.writeTimeoutMs);
  const std::array<asio::const_buffer, 2> pieces{asio::buffer(out_), asio::buffer(outBody_)};
  asio::async_write(socket_, pieces,
                    [self = shared_from_this(), reply = std::move(reply)](const error_code& error, std::size_t) mutable {
                      self->onReplyWritten(error, std::move(reply));
                    });
}

void Connection::onReplyWritten(const error_code& error, ApiReply reply) {
  if (phase_ == Phase::Closed) return;
  const bool headRequest = exchange_->request.method == "HEAD";
  if (error) {
    closeNow();
    return;
  }
  if (reply.stream && !headRequest) {
    startStream(std::move(reply.stream));
    return;
  }
  finishExchange();
}

void Connection::startStream(StreamStart start) {
  phase_ = Phase::Streaming;
  arm(Deadline::None, 0);
  stream_ = std::make_shared<StreamChannel>(wakeups_, weak_from_this(), context_.config.streamOutboxBytes,
                                            !http10_);
  std::shared_ptr<StreamSink> sink = stream_;
  if (!context_.workers->submit([start = std::move(start), sink] { start(sink); })) {
    context_.overloaded.add();
    closeNow();
    return;
  }
  if (stopRequested_ || context_.stopping) stream_->finish();
  waitReadable();  // to hear at once when the client goes away
}

void Connection::flushStream() {
  if (phase_ != Phase::Streaming || !stream_) return;
  if (stream_->overflowed()) {
    context_.streamsDropped.add();
    logger().information("request %s: stream reader too slow, disconnected", exchange_->request.requestId);
    closeNow();
    return;
  }
  if (writeInFlight_) return;
  for (;;) {
    const bool last = stream_->take(out_);
    if (out_.empty() && !last) return;
    // Send now: a reader that keeps up has room in its socket buffer (the
    // socket is non-blocking), and a fan-out to thousands of streams saves
    // a completion handler per stream. Only what does not fit waits for the
    // socket, under the write deadline.
    error_code error;
    const std::size_t sent = out_.empty() ? 0 : socket_.write_some(asio::buffer(out_), error);
    if (error == asio::error::would_block || error == asio::error::try_again) error = {};
    if (error) {
      closeNow();
      return;
    }
    if (sent < out_.size()) {
      stream_->written(sent);
      writeInFlight_ = true;
      arm(Deadline::Write, context_.config.writeTimeoutMs);
      asio::async_write(socket_, asio::buffer(out_.data() + sent, out_.size() - sent),
                        [self = shared_from_this(), last](const error_code& failure, std::size_t n) {
                          self->onStreamWritten(failure, n, last);
                        });
      return;
    }
    stream_->written(sent);
    if (last) {
      endStream();
      return;
    }
  }
}

void Connection::onStreamWritten(const error_code& error, std::size_t bytes, bool last) {
  writeInFlight_ = false;
  if (phase_ == Phase::Closed) return;
  arm(Deadline::None, 0);
  if (error) {
    closeNow();
    return;
  }
  stream_->written(bytes);
  if (last) {
    endStream();
    return;
  }
  flushStream();
}

void Connection::endStream() {
  stream_->end();
  stream_.reset();
  if (http10_) keepAlive_ = false;
  finishExchange();
}

void Connection::finishExchange() {
  exchange_.reset();
  parser_.reset();
  outBody_.clear();
  scanner_ = HeadScanner(context_.config.maxHeaderBytes, static_cast<std::size_t>(context_.config.maxHeaderCount));
  out_.clear();
  if (!keepAlive_) {
    lingerAndClose();
    return;
  }
  if (stopRequested_ || context_.stopping) {
    closeNow();
    return;
  }
  if (!in_.empty()) {
    // A pipelined request is already here: it is next, in order.
    phase_ = Phase::Head;
    arm(Deadline::Head, context_.config.headerTimeoutMs);
    processHead();
    return;
  }
  phase_ = Phase::Idle;
  if (in_.capacity() > 4096) std::string().swap(in_);
  if (out_.capacity() > 4096) std::string().swap(out_);
  if (outBody_.capacity() > 4096) std::string().swap(outBody_);
  arm(Deadline::Idle, context_.config.idleTimeoutMs);
  waitReadable();
}

void Connection::lingerAndClose() {
  // Half-close and drain for a moment: closing with unread input would make
  // the kernel send a reset that can destroy the reply in the client's buffer.
  error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  phase_ = Phase::Lingering;
  in_.clear();
  arm(Deadline::Linger, kLingerMs);
  waitReadable();
}

void Connection::closeNow() {
  if (phase_ == Phase::Closed) return;
  phase_ = Phase::Closed;
  deadline_ = Deadline::None;
  sweep_.remove(this);
  inSweep_ = false;
  error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  if (stream_) {
    stream_->end();
    stream_.reset();
  }
  if (context_.closed) context_.closed(this, peerAddress_);
}

void Connection::arm(Deadline deadline, int milliseconds) {
  deadline_ = deadline;
  if (deadline == Deadline::None) {
    // A stream waits for its producer with no deadline, for hours: out of
    // the sweep, thousands of idle subscribers cost its ticks nothing.
    // Requests stay in it (a short wait for a worker is not worth the churn).
    if (phase_ == Phase::Streaming && inSweep_) {
      sweep_.remove(this);
      inSweep_ = false;
    }
    return;
  }
  deadlineAt_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max(milliseconds, 1));
  if (!inSweep_) {
    sweep_.add(this, [this](std::chrono::steady_clock::time_point now) { checkDeadline(now); });
    inSweep_ = true;
  }
}

void Connection::checkDeadline(std::chrono::steady_clock::time_point now) {
  if (deadline_ == Deadline::None || phase_ == Phase::Closed || now < deadlineAt_) return;
  const Deadline expired = deadline_;
  deadline_ = Deadline::None;
  // Keep this connection alive while it answers and closes.
  auto self = shared_from_this();
  onDeadline(expired);
}

void Connection::onDeadline(Deadline deadline) {
  switch (deadline) {
    case Deadline::Head:
      sendFramingError({408, "the request head did not arrive within " +
                                 std::to_string(context_.config.headerTimeoutMs) + " ms"});
      return;
    case Deadline::Body:
      sendFramingError({408, "the request body did not arrive within " +
                                 std::to_string(context_.config.bodyTimeoutMs) + " ms"});
      return;
    case Deadline::Idle:
    case Deadline::Write:
    case Deadline::Linger:
    case Deadline::None:
      closeNow();
      return;
  }
}

}  // namespace sb::http
