// The SSE load client for bench/sse.sh (docs/performance.md): COUNT
// subscribers on one project's event stream, on one thread with Boost.Asio.
//
//   sse_load PORT TOKEN PROJECT COUNT HOLD_SECONDS ROUNDS
//
// 1. Attaches COUNT subscribers (GET /api/v1/integrations/events) and prints
//    "attached N" once each has its 200 and `retry:`; holds them HOLD_SECONDS
//    (the script measures RSS and runs wrk meanwhile) and prints "held".
// 2. Fan-out, ROUNDS times: starts a quick action (POST .../actions) and
//    measures, per subscriber, the time from sending the POST to receiving
//    that action's first event. Prints p50, p99 and max per round and over
//    all of them, and p50 and p99 over the rounds of the time to the last
//    subscriber's receipt.
// 3. Reconnect storm: every subscriber disconnects; one more action runs
//    while they are away (a reference subscriber stays); then all reconnect
//    at once with Last-Event-ID and each must receive exactly the ids the
//    reference received after the disconnect. Prints resumed/lost/duplicated.
// 127.0.0.1 only; bounded in count and time (30 s per wait).
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <utility>  // before Asio: Boost 1.74 uses std::exchange without it

#include <boost/asio.hpp>

#include "percentile.hpp"

namespace {

using boost::asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Options {
  unsigned short port = 0;
  std::string token;
  std::string project;
  int count = 0;
  int holdSeconds = 0;
  int rounds = 0;
};

// One stream: dechunks the body and reports each event's id and type.
class Subscriber : public std::enable_shared_from_this<Subscriber> {
 public:
  Subscriber(boost::asio::io_context& io, const Options& options) : socket_(io), timer_(io), options_(options) {}

  std::function<void(Subscriber&, long long id, const std::string& type)> onEvent;
  bool attached = false;
  bool closed = false;
  long long lastId = 0;
  std::size_t lastRead = 0;  // bytes of the read being parsed

  int refusals = 0;

  void start(long long lastEventId) {
    lastEventId_ = lastEventId;
    attached = false;
    closed = false;
    head_.clear();
    body_.clear();
    line_.clear();
    inBody_ = false;
    pendingId_ = 0;
    pendingType_.clear();
    auto self = shared_from_this();
    socket_.async_connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), options_.port),
                          [self, lastEventId](const boost::system::error_code& error) {
                            if (error) {
                              self->retry(lastEventId);
                              return;
                            }
                            self->send(lastEventId);
                          });
  }

  void retry(long long lastEventId) {
    boost::system::error_code ignored;
    socket_.close(ignored);
    auto self = shared_from_this();
    timer_.expires_after(std::chrono::milliseconds(100 + std::rand() % 400));
    timer_.async_wait([self, lastEventId](const boost::system::error_code& error) {
      if (!error) self->start(lastEventId);
    });
  }

  void close() {
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    closed = true;
  }

 private:
  void send(long long lastEventId) {
    request_ = "GET /api/v1/integrations/events?projectId=" + options_.project +
               " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nAuthorization: Bearer " +
               options_.token + "\r\n";
    if (lastEventId > 0) request_ += "Last-Event-ID: " + std::to_string(lastEventId) + "\r\n";
    request_ += "\r\n";
    auto self = shared_from_this();
    boost::asio::async_write(socket_, boost::asio::buffer(request_),
                             [self](const boost::system::error_code& error, std::size_t) {
                               if (error) {
                                 self->closed = true;
                                 return;
                               }
                               self->read();
                             });
  }

  void read() {
    auto self = shared_from_this();
    socket_.async_read_some(boost::asio::buffer(buffer_), [self](const boost::system::error_code& error, std::size_t n) {
      if (error) {
        self->closed = true;
        return;
      }
      self->lastRead = n;
      if (self->consume(std::string_view(self->buffer_.data(), n))) self->read();
    });
  }

  // False when the stream is over here (closed, or coming back later).
  bool consume(std::string_view bytes) {
    if (!inBody_) {
      head_.append(bytes);
      const std::size_t end = head_.find("\r\n\r\n");
      if (end == std::string::npos) return true;
      if (head_.compare(0, 12, "HTTP/1.1 200") != 0) {
        // 503 (the server's queue was full): come back, as EventSource's retry would.
        ++refusals;
        boost::system::error_code ignored;
        socket_.close(ignored);
        retry(lastEventId_);
        return false;
      }
      inBody_ = true;
      body_ = head_.substr(end + 4);
      head_.clear();
    } else {
      body_.append(bytes);
    }
    // Dechunk whole chunks into SSE lines, in place (the client must cost
    // little next to the server it measures: they share the cores).
    std::size_t at = 0;
    for (;;) {
      const std::size_t lineEnd = body_.find("\r\n", at);
      if (lineEnd == std::string::npos) break;
      const std::size_t size = std::strtoul(body_.c_str() + at, nullptr, 16);
      if (body_.size() < lineEnd + 2 + size + 2) break;
      if (size == 0) {
        close();
        return false;
      }
      std::string_view data(body_.data() + lineEnd + 2, size);
      at = lineEnd + 2 + size + 2;
      while (!data.empty()) {
        const std::size_t newline = data.find('\n');
        if (newline == std::string_view::npos) {
          line_.append(data);
          break;
        }
        if (line_.empty()) {
          line(data.substr(0, newline));
        } else {
          line_.append(data.substr(0, newline));
          line(line_);
          line_.clear();
        }
        data.remove_prefix(newline + 1);
      }
    }
    body_.erase(0, at);
    return true;
  }

  void line(std::string_view text) {
    if (text.rfind("retry:", 0) == 0) attached = true;
    if (text.rfind("id: ", 0) == 0) pendingId_ = std::strtoll(std::string(text.substr(4)).c_str(), nullptr, 10);
    if (text.rfind("event: ", 0) == 0) pendingType_.assign(text.substr(7));
    if (text.empty() && pendingId_ > 0) {
      lastId = pendingId_;
      if (onEvent) onEvent(*this, pendingId_, pendingType_);
      pendingId_ = 0;
      pendingType_.clear();
    }
  }

  tcp::socket socket_;
  boost::asio::steady_timer timer_;
  const Options& options_;
  long long lastEventId_ = 0;
  std::string request_;
  std::array<char, 4096> buffer_{};
  std::string head_;
  std::string body_;
  std::string line_;
  bool inBody_ = false;
  long long pendingId_ = 0;
  std::string pendingType_;
};

// A blocking POST of one quick action; returns the HTTP status.
int startAction(const Options& options, const std::string& key) {
  boost::asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), options.port));
  const std::string body = R"({"projectId":")" + options.project +
                           R"(","provider":"supabase","action":"test-connection"})";
  const std::string request = "POST /api/v1/integrations/actions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                              options.token + "\r\nIdempotency-Key: " + key +
                              "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\n\r\n" + body;
  boost::asio::write(socket, boost::asio::buffer(request));
  std::string reply;
  boost::system::error_code error;
  std::array<char, 4096> buffer{};
  while (reply.find("\r\n") == std::string::npos) {
    const std::size_t n = socket.read_some(boost::asio::buffer(buffer), error);
    if (error) break;
    reply.append(buffer.data(), n);
  }
  return reply.size() > 12 ? std::atoi(reply.c_str() + 9) : 0;
}

template <class Done>
bool runUntil(boost::asio::io_context& io, Done done, int seconds = 30) {
  const auto deadline = Clock::now() + std::chrono::seconds(seconds);
  while (!done() && Clock::now() < deadline) {
    io.run_for(std::chrono::milliseconds(5));
    if (io.stopped()) io.restart();
  }
  return done();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7) {
    std::fprintf(stderr, "usage: sse_load PORT TOKEN PROJECT COUNT HOLD_SECONDS ROUNDS\n");
    return 2;
  }
  Options options;
  options.port = static_cast<unsigned short>(std::atoi(argv[1]));
  options.token = argv[2];
  options.project = argv[3];
  options.count = std::atoi(argv[4]);
  options.holdSeconds = std::atoi(argv[5]);
  options.rounds = std::atoi(argv[6]);
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);

  boost::asio::io_context io;
  std::vector<std::shared_ptr<Subscriber>> subscribers;
  for (int i = 0; i < options.count; ++i) subscribers.push_back(std::make_shared<Subscriber>(io, options));
  auto reference = std::make_shared<Subscriber>(io, options);
  // Connect in waves so the listen backlog is not the thing measured.
  for (std::size_t i = 0; i < subscribers.size(); ++i) {
    subscribers[i]->start(0);
    if (i % 500 == 499) runUntil(io, [] { return false; }, 0);
  }
  reference->start(0);
  auto attachedCount = [&] {
    int n = 0;
    for (const auto& s : subscribers) n += s->attached ? 1 : 0;
    return n;
  };
  runUntil(io, [&] { return attachedCount() == options.count && reference->attached; }, 60);
  int refused = 0;
  for (const auto& s : subscribers) refused += s->refusals;
  std::printf("attached %d (refused and retried %d times; reference %s)\n", attachedCount(), refused,
              reference->attached ? "attached" : "NOT attached");
  std::fflush(stdout);
  const auto holdEnd = Clock::now() + std::chrono::seconds(options.holdSeconds);
  runUntil(io, [&] { return Clock::now() >= holdEnd; }, options.holdSeconds + 1);
  std::printf("held\n");
  std::fflush(stdout);

  // Fan-out rounds.
  std::vector<double> latencies;
  std::vector<double> firstReads;  // bytes of the read that brought each first event
  std::vector<double> lastReceipts;  // per round: the time to the last subscriber's receipt
  for (int round = 0; round < options.rounds; ++round) {
    const long long before = reference->lastId;
    std::vector<char> got(subscribers.size(), 0);
    int received = 0;
    Clock::time_point sent;
    for (std::size_t i = 0; i < subscribers.size(); ++i) {
      subscribers[i]->onEvent = [&, i, before](Subscriber& s, long long id, const std::string& type) {
        if (got[i] || id <= before || type.rfind("action.", 0) != 0) return;
        got[i] = 1;
        ++received;
        firstReads.push_back(static_cast<double>(s.lastRead));
        latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
      };
    }
    sent = Clock::now();
    const int status = startAction(options, "bench-fanout-" + std::to_string(::getpid()) + "-" + std::to_string(round));
    if (status != 202) std::fprintf(stderr, "action POST answered %d\n", status);
    const std::size_t first = latencies.size();  // this round's samples follow
    runUntil(io, [&] { return received == options.count; });
    const std::vector<double> thisRound(latencies.begin() + static_cast<std::ptrdiff_t>(first), latencies.end());
    if (received == options.count) lastReceipts.push_back(percentile(thisRound, 1.0));
    std::printf("round %d received %d/%d p50 %.1f p99 %.1f max %.1f\n", round + 1, received, options.count,
                percentile(thisRound, 0.50), percentile(thisRound, 0.99), percentile(thisRound, 1.0));
    // Let the action finish (its later events) before the next round.
    runUntil(io, [&] { return false; }, 1);
  }
  std::printf("fanout_ms min %.1f p50 %.1f p99 %.1f max %.1f samples %zu\n", percentile(latencies, 0.0),
              percentile(latencies, 0.50), percentile(latencies, 0.99), percentile(latencies, 1.0), latencies.size());
  std::printf("last_receipt_ms p50 %.1f p99 %.1f rounds %zu\n", percentile(lastReceipts, 0.50),
              percentile(lastReceipts, 0.99), lastReceipts.size());
  std::printf("first_read_bytes p50 %.0f\n", percentile(firstReads, 0.50));

  // Reconnect storm.
  for (auto& s : subscribers) s->onEvent = nullptr;
  std::vector<long long> resumeFrom;
  for (auto& s : subscribers) {
    resumeFrom.push_back(s->lastId);
    s->close();
  }
  std::vector<long long> missed;
  const long long referenceBefore = reference->lastId;
  reference->onEvent = [&](Subscriber&, long long id, const std::string&) {
    if (id > referenceBefore) missed.push_back(id);
  };
  runUntil(io, [] { return false; }, 1);  // the server notices the closes
  startAction(options, "bench-storm-" + std::to_string(::getpid()));
  runUntil(io, [] { return false; }, 3);  // the action runs while they are away
  const std::vector<long long> expected = missed;
  std::vector<std::vector<long long>> seen(subscribers.size());
  for (std::size_t i = 0; i < subscribers.size(); ++i) {
    auto fresh = std::make_shared<Subscriber>(io, options);
    fresh->onEvent = [&seen, i](Subscriber&, long long id, const std::string&) { seen[i].push_back(id); };
    subscribers[i] = fresh;
  }
  const auto stormStart = Clock::now();
  for (std::size_t i = 0; i < subscribers.size(); ++i) subscribers[i]->start(resumeFrom[i]);
  auto complete = [&] {
    for (std::size_t i = 0; i < subscribers.size(); ++i) {
      if (!subscribers[i]->attached) return false;
      std::size_t wanted = 0;
      for (long long id : expected) wanted += id > resumeFrom[i] ? 1 : 0;
      if (seen[i].size() < wanted) return false;
    }
    return true;
  };
  runUntil(io, complete, 60);
  const double stormMs = std::chrono::duration<double, std::milli>(Clock::now() - stormStart).count();
  int resumed = 0;
  long long lost = 0;
  long long duplicated = 0;
  for (std::size_t i = 0; i < subscribers.size(); ++i) {
    std::vector<long long> wanted;
    for (long long id : expected) {
      if (id > resumeFrom[i]) wanted.push_back(id);
    }
    std::vector<long long> got = seen[i];
    for (long long id : wanted) {
      if (std::find(got.begin(), got.end(), id) == got.end()) ++lost;
    }
    std::sort(got.begin(), got.end());
    duplicated += static_cast<long long>(got.size()) -
                  static_cast<long long>(std::unique(got.begin(), got.end()) - got.begin());
    if (subscribers[i]->attached) ++resumed;
  }
  std::printf("storm resumed %d/%d missed_events_while_away %zu lost %lld duplicated %lld in %.0f ms\n", resumed,
              options.count, expected.size(), lost, duplicated, stormMs);
  for (auto& s : subscribers) s->close();
  reference->close();
  return lost == 0 && duplicated == 0 && resumed == options.count ? 0 : 1;
}
